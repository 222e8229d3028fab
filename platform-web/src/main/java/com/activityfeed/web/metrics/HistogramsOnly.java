package com.activityfeed.web.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Every service's timers and summaries publish histogram buckets, never client-side percentiles:
 * a histogram family that also carries {@code quantile} samples is refused by Prometheus' own
 * OpenMetrics parser ("Clashing name"), and percentiles cannot be aggregated across replicas
 * anyway ({@code histogram_quantile} over the buckets can). A meter that asked for percentiles
 * gets its buckets instead.
 */
@Singleton
public class HistogramsOnly {
    static final DistributionStatisticConfig BUCKETS_NOT_PERCENTILES = DistributionStatisticConfig.builder()
            .percentiles(new double[0])
            .percentilesHistogram(true)
            .build();

    @Produces
    @Singleton
    MeterFilter histogramsOnly() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                double[] percentiles = config.getPercentiles();
                if (percentiles == null || percentiles.length == 0) {
                    return config;
                }
                return BUCKETS_NOT_PERCENTILES.merge(config);
            }
        };
    }
}
