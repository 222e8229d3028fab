package com.activityfeed.messages;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.UUID;

/**
 * A request to erase a person (or a whole tenant) from every service, on {@code erasure.requests}
 * (SPEC §6a). Key = {@code tenantId}. Every service consumes it in its own consumer group, so a
 * service that is down does its part when it is back; handling it twice does no harm. It names
 * whom to erase, never what: the services find the data themselves.
 *
 * @param id     the erasure record's id in feed-service: results refer to it
 * @param userId the person to erase; null when {@code scope} is {@link #TENANT}
 * @param scope  {@link #USER} or {@link #TENANT}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErasureRequest(int v, UUID id, String tenantId, String scope, String userId, Instant requestedAt) {
    public static final int VERSION = 1;
    public static final String USER = "user";
    public static final String TENANT = "tenant";

    public boolean wholeTenant() {
        return TENANT.equals(scope);
    }
}
