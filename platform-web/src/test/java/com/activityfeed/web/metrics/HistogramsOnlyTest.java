package com.activityfeed.web.metrics;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class HistogramsOnlyTest {
    @Test
    void aTimerThatAsksForPercentilesGetsHistogramBucketsInstead() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new HistogramsOnly().histogramsOnly());
        Timer timer = Timer.builder("delivery.latency").publishPercentiles(0.5, 0.95, 0.99).register(registry);
        timer.record(Duration.ofMillis(12));

        HistogramSnapshot snapshot = timer.takeSnapshot();
        assertThat(snapshot.percentileValues()).isEmpty();
        assertThat(snapshot.histogramCounts()).isNotEmpty();
    }

    @Test
    void aTimerWithoutPercentilesIsLeftAsItIs() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new HistogramsOnly().histogramsOnly());
        Timer timer = Timer.builder("plain").register(registry);
        timer.record(Duration.ofMillis(12));

        assertThat(timer.takeSnapshot().histogramCounts()).isEmpty();
    }
}
