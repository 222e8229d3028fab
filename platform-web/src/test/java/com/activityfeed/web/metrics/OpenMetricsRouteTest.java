package com.activityfeed.web.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenMetricsRouteTest {
    @Test
    void exemplarsStayOnBucketsAndCountersAndLeaveEveryOtherSample() {
        String scraped = """
                # TYPE http_server_requests_seconds summary
                http_server_requests_seconds_count{uri="/a"} 3.0 # {span_id="76619c62ff9fae55",trace_id="4bf92f3577b34da6a3ce929d0e0e4706"} 1.0 1795794185.791
                http_server_requests_seconds_sum{uri="/a"} 0.5
                # TYPE pipeline_hop_latency_seconds histogram
                pipeline_hop_latency_seconds_bucket{le="0.005"} 1.0 # {span_id="1",trace_id="2"} 0.004 1795794185.791
                # TYPE events_total counter
                events_total 7.0 # {span_id="1",trace_id="2"} 1.0
                # EOF
                """;
        assertThat(OpenMetricsRoute.validExemplars(scraped)).isEqualTo("""
                # TYPE http_server_requests_seconds summary
                http_server_requests_seconds_count{uri="/a"} 3.0
                http_server_requests_seconds_sum{uri="/a"} 0.5
                # TYPE pipeline_hop_latency_seconds histogram
                pipeline_hop_latency_seconds_bucket{le="0.005"} 1.0 # {span_id="1",trace_id="2"} 0.004 1795794185.791
                # TYPE events_total counter
                events_total 7.0 # {span_id="1",trace_id="2"} 1.0
                # EOF
                """);
        assertThat(OpenMetricsRoute.validExemplars("a 1.0\n# EOF\n")).isEqualTo("a 1.0\n# EOF\n");
    }
}
