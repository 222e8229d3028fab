package com.activityfeed.feed.follows;

import com.activityfeed.feed.tiles.Terms;
import com.activityfeed.web.Problem;
import com.activityfeed.web.ProblemException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a user follows: an actor, an entity or an event type of their own tenant, checked as the
 * event fields are (SPEC §3): ids are never rewritten, so a control character is refused, not stripped.
 */
public record FollowTarget(String kind, String actorId, String entityType, String entityId, String type) {
    public static final String ACTOR = "actor";
    public static final String ENTITY = "entity";
    public static final String TYPE = "type";
    private static final Pattern TYPE_PATTERN = Pattern.compile("^[a-z][a-z0-9_.-]{0,63}$");

    public static FollowTarget actor(String actorId) {
        List<Problem.FieldError> errors = new ArrayList<>();
        id(errors, "actorId", actorId, 128);
        check(errors);
        return new FollowTarget(ACTOR, actorId, null, null, null);
    }

    public static FollowTarget entity(String entityType, String entityId) {
        List<Problem.FieldError> errors = new ArrayList<>();
        id(errors, "entityType", entityType, 64);
        id(errors, "entityId", entityId, 128);
        check(errors);
        return new FollowTarget(ENTITY, null, entityType, entityId, null);
    }

    public static FollowTarget type(String type) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (type == null || !TYPE_PATTERN.matcher(type).matches()) {
            errors.add(new Problem.FieldError(null, "type", "must match ^[a-z][a-z0-9_.-]{0,63}$"));
        }
        check(errors);
        return new FollowTarget(TYPE, null, null, null, type);
    }

    /** The target spelled as the tile terms it matches ({@link Terms}). */
    public String term(String tenant) {
        return switch (kind) {
            case ACTOR -> Terms.actor(tenant, actorId);
            case ENTITY -> Terms.entity(tenant, entityType, entityId);
            default -> Terms.type(tenant, type);
        };
    }

    private static void id(List<Problem.FieldError> errors, String field, String value, int max) {
        if (value == null || value.isEmpty() || value.length() > max) {
            errors.add(new Problem.FieldError(null, field, "must be 1 to " + max + " characters"));
        } else if (value.chars().anyMatch(Character::isISOControl)) {
            errors.add(new Problem.FieldError(null, field, "must not contain control characters"));
        }
    }

    private static void check(List<Problem.FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
    }
}
