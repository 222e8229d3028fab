-- Every replica looks once a second for erasures whose feed part was just done, to close the
-- person's streams it holds (ErasureStreamCloser).
CREATE INDEX erasure_request_feed_done ON erasure_request (feed_done_at);
