package com.activityfeed.feed.sql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SqlArraysTest {
    @Test
    void listsTravelAsArrayLiteralsThatSurviveQuotesBackslashesAndBraces() {
        assertThat(SqlArrays.literal(List.of())).isEqualTo("{}");
        assertThat(SqlArrays.literal(List.of("a", "b"))).isEqualTo("{\"a\",\"b\"}");
        assertThat(SqlArrays.literal(List.of("we\"ird\\type,{x}"))).isEqualTo("{\"we\\\"ird\\\\type,{x}\"}");
    }
}
