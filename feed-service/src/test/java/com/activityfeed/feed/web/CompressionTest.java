package com.activityfeed.feed.web;

import com.activityfeed.testsupport.infra.InfraTestResource;
import com.activityfeed.testsupport.infra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON answers are gzipped for clients that accept it (a phone's first page is a seventh of the
 * bytes); the stream never is, whatever the client accepts: a compressor would hold its events back.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class CompressionTest {
    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String tenant = "gz-" + UUID.randomUUID().toString().substring(0, 8);

    private HttpRequest.Builder get(String path, String acceptEncoding) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TestTokens.reader(tenant, "alice"));
        return acceptEncoding == null ? request : request.header("Accept-Encoding", acceptEncoding);
    }

    @Test
    void jsonIsGzippedForClientsThatAcceptIt() throws Exception {
        HttpResponse<byte[]> gzipped = http.send(get("/api/v1/feed?limit=20", "gzip, deflate, br").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gzipped.statusCode()).isEqualTo(200);
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String json;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(json).startsWith("{").contains("\"items\"");

        HttpResponse<String> plain = http.send(get("/api/v1/feed?limit=20", null).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Encoding").filter(e -> !e.equals("identity"))).isEmpty();
        assertThat(plain.body()).isEqualTo(json);
    }

    @Test
    void theStreamIsNeverCompressed() throws Exception {
        HttpResponse<InputStream> stream = http.send(get("/api/v1/feed/stream", "gzip, deflate, br").header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = stream.body()) {
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
            assertThat(stream.headers().firstValue("Content-Encoding").filter(e -> !e.equals("identity"))).isEmpty();
            // the first bytes arrive as they are written, readable as text (a gzip stream would start with 0x1f 0x8b)
            byte[] first = body.readNBytes(1);
            assertThat(first).hasSize(1);
            assertThat(first[0]).isNotEqualTo((byte) 0x1f);
        }
    }
}
