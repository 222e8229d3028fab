package com.activityfeed.messages;

import com.fasterxml.jackson.databind.JsonNode;

/** An old and a new value of one field (seed 002's status changes); values are any JSON. */
public record FieldChange(String field, JsonNode from, JsonNode to) {
}
