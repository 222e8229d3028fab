package com.activityfeed.feed.tickets;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A stream cookie (table {@code stream_cookie}, migration V32), reusable until the token it was
 * traded for expires, keyed by the SHA-256 of its value.
 */
@Entity
@Table(name = "stream_cookie")
public class IssuedCookie extends IssuedCredential {
    @Id
    @Column(name = "cookie_hash")
    public byte[] cookieHash;
}
