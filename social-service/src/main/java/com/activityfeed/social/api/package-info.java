/**
 * The JSON shapes of social-service's answers and request bodies (SPEC §6, §7), for the API
 * description and the clients generated from it. The answers themselves are the shared message
 * records ({@code SocialUpdate.Comment}, {@code .Thread}, {@code .Message}), which live in a
 * module without OpenAPI annotations, and request bodies are read strictly as trees
 * ({@code PlainText}); these records mirror both and are never serialised.
 * {@code OpenApiContractIT} validates real answers against the published schemas.
 */
package com.activityfeed.social.api;
