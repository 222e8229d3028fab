/**
 * The JSON shapes of the feed's tile answers (SPEC §4), for the API description and the clients
 * generated from it. The service never serialises these records: tiles are built and completed as
 * JSON trees on the hot path ({@code TileBuilder}, {@code TileQueries}, {@code TileJson}). These
 * records mirror those trees field by field, and {@code OpenApiContractIT} validates real answers
 * against the published schemas, so the description cannot drift from what is sent.
 */
package com.activityfeed.feed.tiles.api;
