package com.activityfeed.feed.tickets;

import java.time.Duration;

/** The stream cookie's name and attributes (SPEC §2), shared by the ticket endpoint and the stream. */
public final class StreamCookies {
    public static final String NAME = "afp_stream";
    public static final String PATH = "/api/v1/feed/stream";

    private StreamCookies() {
    }

    /**
     * A {@code Set-Cookie} value: HttpOnly (no script reads it), {@code SameSite=Strict} (no other
     * site's page makes a browser send it), scoped to the stream's path, and gone when the token
     * it was traded for expires.
     */
    static String header(String value, Duration lifetime, boolean secure) {
        long maxAge = Math.max(0, lifetime.toSeconds());
        return NAME + "=" + value + "; Path=" + PATH + "; Max-Age=" + maxAge + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }
}
