package com.activityfeed.social.text;

import com.activityfeed.web.ProblemException;
import com.activityfeed.web.StrictUtf8;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Refuses a request body that is not well-formed UTF-8 (SPEC §3) before JSON binding, which
 * would otherwise replace the bad bytes and store the damaged text.
 */
@Provider
public class StrictBodies implements ReaderInterceptor {
    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        byte[] body = context.getInputStream().readAllBytes();
        String fault = StrictUtf8.fault(body);
        if (fault != null) {
            throw ProblemException.badRequest("the body is not valid JSON in UTF-8: " + fault);
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }
}
