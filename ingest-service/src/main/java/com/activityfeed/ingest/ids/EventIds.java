package com.activityfeed.ingest.ids;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Event ids (SPEC §3): a time-ordered UUIDv7 (RFC 9562) for an event without key, a name-based
 * UUIDv5 of (tenant, idempotencyKey) otherwise, so a retried request yields the same id.
 */
public final class EventIds {
    /** Namespace of event ids derived from idempotency keys; fixed forever, ids depend on it. */
    public static final UUID NAMESPACE = UUID.fromString("6f1c2a4e-7d3b-4c55-9a51-3e0f8b2d9c17");

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private long lastMillis = -1;
    private long sequence;

    public EventIds(Clock clock) {
        this.clock = clock;
    }

    /**
     * A UUIDv7: 48-bit Unix milliseconds, then a 12-bit counter that keeps ids made within one
     * millisecond by this generator increasing (RFC 9562 §6.2 method 1), then 62 random bits.
     */
    public synchronized UUID next() {
        long millis = clock.millis();
        if (millis > lastMillis) {
            lastMillis = millis;
            sequence = random.nextInt(1 << 11); // leaves room for the counter to grow
        } else {
            sequence++;
            if (sequence > 0xFFF) {
                // Counter exhausted: borrow the next millisecond rather than lose ordering.
                lastMillis++;
                sequence = 0;
            }
            millis = lastMillis;
        }
        long msb = (millis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (sequence & 0xFFF);
        long lsb = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /** The id of the event with this key in this tenant: UUIDv5 over "tenant\nkey". */
    public static UUID fromKey(String tenant, String key) {
        return nameBased(NAMESPACE, tenant + "\n" + key);
    }

    /** RFC 9562 version 5 (SHA-1) name-based UUID. */
    public static UUID nameBased(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha1.update(ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits()).array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) (hash[6] & 0x0F | 0x50);
        hash[8] = (byte) (hash[8] & 0x3F | 0x80);
        ByteBuffer buffer = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(buffer.getLong(), buffer.getLong());
    }
}
