package com.activityfeed.feed;

import com.activityfeed.messages.Actor;
import com.activityfeed.messages.EntityRef;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.Priority;
import com.activityfeed.messages.RawEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Raw events as ingest publishes them, for tests. */
public final class TestEvents {
    private TestEvents() {
    }

    public static String tenant(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static Builder event(String tenant, String type, Instant at) {
        return new Builder(tenant, type, at);
    }

    public static final class Builder {
        private UUID id = UUID.randomUUID();
        private final String tenant;
        private final String type;
        private final Instant at;
        private Actor actor;
        private EntityRef entity;
        private String source = "api";
        private Priority priority = Priority.NORMAL;
        private List<String> tags = List.of();
        private Instant expiresAt;
        private ObjectNode payload;
        private String title;

        Builder(String tenant, String type, Instant at) {
            this.tenant = tenant;
            this.type = type;
            this.at = at;
        }

        public Builder id(UUID id) {
            this.id = id;
            return this;
        }

        public Builder actor(String id, String name) {
            this.actor = new Actor(id, name);
            return this;
        }

        public Builder entity(String type, String id, String name) {
            this.entity = new EntityRef(type, id, name);
            return this;
        }

        public Builder source(String source) {
            this.source = source;
            return this;
        }

        public Builder priority(Priority priority) {
            this.priority = priority;
            return this;
        }

        public Builder tags(String... tags) {
            this.tags = List.of(tags);
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public Builder title(String title) {
            this.title = title;
            return this;
        }

        public Builder payload(String key, String value) {
            if (payload == null) {
                payload = MessageCodec.mapper().createObjectNode();
            }
            payload.put(key, value);
            return this;
        }

        public RawEvent build() {
            return new RawEvent(RawEvent.VERSION, id, tenant, type, actor, entity, at, Instant.now(), title, null, source,
                    priority, tags, null, expiresAt, null, payload, null);
        }
    }
}
