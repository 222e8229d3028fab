package com.activityfeed.web;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses a query parameter of the matched endpoint given with no value ({@code ?actorId=},
 * {@code ?types=}, {@code ?limit=}): the REST layer hands such a value to the endpoint as if the
 * parameter were absent, so {@code GET /api/v1/feed?actorId=} would answer the whole feed to a
 * client whose actor variable was unset. Leaving the parameter out is how a client asks for no
 * filter; a parameter the endpoint does not declare is left alone (cache busters and the like).
 */
public class EmptyQueryParameters {
    private static final Map<Method, List<String>> DECLARED = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public void refuse(UriInfo uri, ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null || uri.getRequestUri().getRawQuery() == null) {
            return;
        }
        List<String> declared = DECLARED.computeIfAbsent(method, EmptyQueryParameters::declared);
        if (declared.isEmpty()) {
            return;
        }
        Map<String, List<String>> given = uri.getQueryParameters();
        for (String name : declared) {
            List<String> values = given.get(name);
            if (values != null && values.stream().anyMatch(String::isEmpty)) {
                throw ProblemException.badRequest(refusal(name));
            }
        }
    }

    /** Why a parameter given with no value is refused; also for endpoints outside the REST layer (the stream). */
    public static String refusal(String name) {
        return name + " has an empty value; leave the parameter out for none";
    }

    /** The names of the method's {@code @QueryParam} parameters, in declaration order. */
    static List<String> declared(Method method) {
        List<String> names = new ArrayList<>();
        for (Annotation[] annotations : method.getParameterAnnotations()) {
            for (Annotation a : annotations) {
                if (a instanceof QueryParam q) {
                    names.add(q.value());
                }
            }
        }
        return List.copyOf(names);
    }
}
