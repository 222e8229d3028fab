package com.activityfeed.feed.stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which Last-Event-IDs the change log can bring up to date (SPEC §5). */
class ResumePositionTest {
    @Test
    void anIdFromOneBeforeTheOldestKeptUpToTheNewestCanResume() {
        ChangeReplay.Position position = new ChangeReplay.Position(100, 41);
        assertThat(position.canResumeFrom(40)).isTrue();
        assertThat(position.canResumeFrom(39)).isFalse();
        assertThat(position.canResumeFrom(100)).isTrue();
        assertThat(position.canResumeFrom(101)).isFalse();
        assertThat(position.canResumeFrom(-1)).isFalse();
    }

    @Test
    void aFullLogFromTheFirstChangeResumesFromZero() {
        assertThat(new ChangeReplay.Position(5, 1).canResumeFrom(0)).isTrue();
    }

    @Test
    void anEmptyOrFullyPrunedLogResumesOnlyFromItsNewestNumber() {
        assertThat(new ChangeReplay.Position(0, 0).canResumeFrom(0)).isTrue();
        assertThat(new ChangeReplay.Position(0, 0).canResumeFrom(1)).isFalse();
        assertThat(new ChangeReplay.Position(7, 0).canResumeFrom(7)).isTrue();
        assertThat(new ChangeReplay.Position(7, 0).canResumeFrom(6)).isFalse();
    }
}
