package com.activityfeed.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place every service turns failures into RFC 9457 problem+json: our own
 * {@link ProblemException}s, security failures (401/403), framework answers (404, 405, 413, 415…),
 * unreadable bodies (400) and, last, anything unexpected (500 without the exception's details).
 */
public class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response.ResponseBuilder response = respond(e.problem());
        if (e.retryAfter() != null) {
            response.header("Retry-After", Math.max(1, (e.retryAfter().toMillis() + 999) / 1000));
        }
        return response.build();
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        String detail = e.getMessage() == null || e.getMessage().isBlank()
                ? "a valid bearer token is required" : e.getMessage();
        return respond(Problem.of(401, "Unauthorized", detail)).header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(Problem.of(403, "Forbidden", "the token's roles do not allow this")).build();
    }

    /** Wrong JSON types in a body bound to a record; without this, Quarkus' own mapper answers a bare 400. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        String detail = e instanceof MismatchedInputException m && m.getPathReference() != null
                ? "wrong type at " + m.getPathReference().replaceAll("^.*\\[\"?", "").replaceAll("\"?]$", "")
                : "the body is not valid JSON";
        return respond(Problem.of(400, "Bad request", detail)).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error";
        String detail = switch (status) {
            case 404 -> "no such resource";
            case 405 -> "method not allowed here";
            case 406 -> "no acceptable representation";
            case 413 -> "the request body is too large";
            case 415 -> "unsupported content type";
            default -> status >= 500 ? "the request could not be completed" : e.getMessage();
        };
        return respond(Problem.of(status, title, detail)).build();
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return respond(Problem.of(500, "Internal error", "the request could not be completed")).build();
    }

    private static Response.ResponseBuilder respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }
}
