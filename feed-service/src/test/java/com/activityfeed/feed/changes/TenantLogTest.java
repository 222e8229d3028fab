package com.activityfeed.feed.changes;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TenantLogTest {
    @Test
    void typesTravelAsArrayLiteralsThatSurviveQuotesAndBackslashes() {
        assertThat(TenantLog.arrayLiteral(List.of())).isEqualTo("{}");
        assertThat(TenantLog.arrayLiteral(List.of("a", "b"))).isEqualTo("{\"a\",\"b\"}");
        assertThat(TenantLog.arrayLiteral(List.of("we\"ird\\type,{x}"))).isEqualTo("{\"we\\\"ird\\\\type,{x}\"}");
    }
}
