package com.activityfeed.feed.erasure;

import com.activityfeed.messages.ErasureRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.SQLException;

/** Does feed-service's part of one request and records it as done, in one transaction. */
@ApplicationScoped
public class ErasureHandler {
    private final FeedEraser eraser;
    private final ErasureService erasures;

    public ErasureHandler(FeedEraser eraser, ErasureService erasures) {
        this.eraser = eraser;
        this.erasures = erasures;
    }

    @Transactional
    public void apply(ErasureRequest request) {
        try {
            if (request.wholeTenant()) {
                eraser.eraseTenant(request.tenantId());
            } else {
                eraser.eraseUser(request.tenantId(), request.userId());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot apply erasure " + request.id(), e);
        }
        erasures.feedDone(request.id());
    }
}
