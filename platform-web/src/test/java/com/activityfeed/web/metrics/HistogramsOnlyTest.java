package com.activityfeed.web.metrics;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class HistogramsOnlyTest {
    private static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new HistogramsOnly().histogramsOnly());
        return registry;
    }

    @Test
    void aTimerThatAsksForPercentilesIsScrapedAsBucketsWithoutQuantiles() {
        PrometheusMeterRegistry registry = registry();
        Timer.builder("delivery.latency").publishPercentiles(0.5, 0.95, 0.99).register(registry).record(Duration.ofMillis(12));

        String scrape = registry.scrape();
        assertThat(scrape).contains("delivery_latency_seconds_bucket{").doesNotContain("quantile=");
        assertThat(registry.scrape("application/openmetrics-text; version=1.0.0; charset=utf-8"))
                .contains("# TYPE delivery_latency_seconds histogram").doesNotContain("quantile=");
    }

    @Test
    void aTimerWithoutPercentilesIsLeftAsItIs() {
        PrometheusMeterRegistry registry = registry();
        Timer.builder("plain").register(registry).record(Duration.ofMillis(12));

        assertThat(registry.scrape()).contains("plain_seconds_count").doesNotContain("plain_seconds_bucket");
    }
}
