package com.activityfeed.feed.grouping;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/** Tile ids: a single's is its event id; a group's a version 5 UUID of (tenant, first member's event id). */
public final class TileIds {
    /** Fixed namespace of group tile ids (a random UUID chosen once; changing it changes every group id). */
    static final UUID GROUP_NAMESPACE = UUID.fromString("5b7f3a52-1c8e-4d43-9a7e-2f1c6d0b8e41");

    private TileIds() {
    }

    public static UUID group(String tenant, UUID firstMember) {
        return v5(GROUP_NAMESPACE, tenant + "/" + firstMember);
    }

    static UUID v5(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] ns = new byte[16];
        long msb = namespace.getMostSignificantBits();
        long lsb = namespace.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            ns[i] = (byte) (msb >>> (8 * (7 - i)));
            ns[8 + i] = (byte) (lsb >>> (8 * (7 - i)));
        }
        sha1.update(ns);
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (hash[i] & 0xff);
            lo = (lo << 8) | (hash[8 + i] & 0xff);
        }
        return new UUID(hi, lo);
    }
}
