package com.activityfeed.feed.tiles;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Completes a stored tile JSON with its social counts and change numbers. */
public final class TileJson {
    private TileJson() {
    }

    /** The tile as the stream and the change log carry it: without myReactions and read. */
    public static ObjectNode shared(ObjectNode body, TileSocialStore.Social social, long ownSeq, long contentSeq) {
        ObjectNode t = body.deepCopy();
        ObjectNode reactions = t.putObject("reactions");
        reactions.put("hype", social.hype());
        reactions.put("respect", social.respect());
        reactions.put("tribute", social.tribute());
        t.put("commentCount", social.commentCount());
        t.put("seq", Math.max(ownSeq, social.lastSeq()));
        t.put("contentSeq", contentSeq);
        return t;
    }
}
