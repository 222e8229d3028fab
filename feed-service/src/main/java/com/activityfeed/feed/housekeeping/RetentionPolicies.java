package com.activityfeed.feed.housekeeping;

import com.activityfeed.web.retention.RetentionPolicy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.List;

/** This service's {@link RetentionPolicy}, from {@code feed.retention.*}; a malformed setting stops the start. */
public class RetentionPolicies {
    @Produces
    @Singleton
    RetentionPolicy policy(RetentionConfig config) {
        return new RetentionPolicy("feed.retention", config.defaultDays(), config.tenantDays().orElse(List.of()));
    }
}
