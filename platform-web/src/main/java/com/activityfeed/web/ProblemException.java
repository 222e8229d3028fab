package com.activityfeed.web;

import java.time.Duration;
import java.util.List;

/**
 * Thrown by resources and services to answer a problem+json; the mapper writes it as is.
 * {@code retryAfter} becomes a {@code Retry-After} header (429, 503).
 */
public class ProblemException extends RuntimeException {
    private final Problem problem;
    private final Duration retryAfter;

    public ProblemException(Problem problem, Duration retryAfter) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public Problem problem() {
        return problem;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(Problem.of(400, "Bad request", detail), null);
    }

    public static ProblemException validation(List<Problem.FieldError> errors) {
        return new ProblemException(new Problem(Problem.typeFor(400), "Validation failed", 400,
                errors.size() + (errors.size() == 1 ? " field is" : " fields are") + " invalid", errors), null);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Problem.of(404, "Not found", detail), null);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(403, "Forbidden", detail), null);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of(409, "Conflict", detail), null);
    }

    public static ProblemException tooManyRequests(String detail, Duration retryAfter) {
        return new ProblemException(Problem.of(429, "Too many requests", detail), retryAfter);
    }

    public static ProblemException unavailable(String detail, Duration retryAfter) {
        return new ProblemException(Problem.of(503, "Service unavailable", detail), retryAfter);
    }
}
