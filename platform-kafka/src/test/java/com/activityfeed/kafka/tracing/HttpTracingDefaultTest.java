package com.activityfeed.kafka.tracing;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HttpTracingDefaultTest {
    private static final String HTTP_SPANS = HttpTracingDefault.HTTP_SPANS;

    /** A config like a service's: Quarkus' default (true) lowest, then the given settings. */
    private static boolean httpSpans(Map<String, String> settings) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withDefaultValue(HTTP_SPANS, "true")
                .withSources(new PropertiesConfigSource(settings, "settings", 250))
                .withInterceptors(new HttpTracingDefault())
                .build();
        return config.getValue(HTTP_SPANS, Boolean.class);
    }

    @Test
    void offWithoutACollector() {
        assertThat(httpSpans(Map.of())).isFalse();
        assertThat(httpSpans(Map.of(TraceExport.ENDPOINT, ""))).isFalse();
    }

    @Test
    void onOnceACollectorIsSetIncludingThroughAnExpression() {
        assertThat(httpSpans(Map.of(TraceExport.ENDPOINT, "http://collector:4317"))).isTrue();
        // the services' application.properties maps OTEL_EXPORTER_OTLP_ENDPOINT this way
        assertThat(httpSpans(Map.of(TraceExport.ENDPOINT, "${collector.url:}", "collector.url", "http://c:4318"))).isTrue();
        assertThat(httpSpans(Map.of(TraceExport.ENDPOINT, "${collector.url:}"))).isFalse();
    }

    @Test
    void anExplicitSettingWinsEitherWay() {
        assertThat(httpSpans(Map.of(HTTP_SPANS, "true"))).isTrue();
        assertThat(httpSpans(Map.of(HTTP_SPANS, "false", TraceExport.ENDPOINT, "http://collector:4317"))).isFalse();
    }

    @Test
    void otherSettingsPassThrough() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(Map.of("a", "1"), "settings", 250))
                .withInterceptors(new HttpTracingDefault())
                .build();
        assertThat(config.getValue("a", String.class)).isEqualTo("1");
        assertThat(config.getOptionalValue("b", String.class)).isEmpty();
    }
}
