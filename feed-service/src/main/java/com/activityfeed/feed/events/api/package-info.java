/**
 * The JSON shapes of the raw event log's answers (SPEC §4), for the API description and the
 * clients generated from it. The log's answers are the stored event JSON completed as a tree
 * ({@code EventLogRepository}); these records mirror it and are never serialised themselves.
 * {@code OpenApiContractIT} validates real answers against the published schemas.
 */
package com.activityfeed.feed.events.api;
