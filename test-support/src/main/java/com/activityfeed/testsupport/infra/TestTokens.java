package com.activityfeed.testsupport.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Mints HS256 tokens the way any script can (SPEC §2): for tests with a fixed secret, for the
 * local run with the stack's secret.
 */
public final class TestTokens {
    public static final String SECRET = "test-secret-that-is-at-least-32-characters-long";
    public static final String ISSUER = "activity-feed";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestTokens() {
    }

    public static String reader(String tenant, String user) {
        return mint(SECRET, ISSUER, user, tenant, nameOf(user), List.of("reader"), Duration.ofHours(1));
    }

    public static String ingest(String tenant) {
        return mint(SECRET, ISSUER, "producer-" + tenant, tenant, "Producer", List.of("ingest"), Duration.ofHours(1));
    }

    public static String platform(String tenant) {
        return mint(SECRET, ISSUER, "platform", tenant, "Platform", List.of("platform"), Duration.ofHours(1));
    }

    public static String admin(String tenant) {
        return mint(SECRET, ISSUER, "admin", tenant, "Admin", List.of("admin", "reader"), Duration.ofHours(1));
    }

    public static String mint(String secret, String issuer, String sub, String tenant, String name,
                              List<String> groups, Duration ttl) {
        ObjectNode header = MAPPER.createObjectNode().put("alg", "HS256").put("typ", "JWT");
        ObjectNode claims = MAPPER.createObjectNode()
                .put("iss", issuer)
                .put("sub", sub)
                .put("tenant", tenant)
                .put("name", name)
                .put("iat", Instant.now().getEpochSecond())
                .put("exp", Instant.now().plus(ttl).getEpochSecond());
        groups.forEach(claims.putArray("groups")::add);
        return sign(secret, header, claims);
    }

    /** Signs arbitrary header and claims; tests use it for tokens that must be refused. */
    public static String sign(String secret, ObjectNode header, ObjectNode claims) {
        String input = b64(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + b64(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String nameOf(String user) {
        return user.isEmpty() ? user : Character.toUpperCase(user.charAt(0)) + user.substring(1);
    }
}
