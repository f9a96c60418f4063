-- Keyword search for the Gateway: generated tsvector columns with GIN indexes.
ALTER TABLE reddit_posts
    ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', title || ' ' || body)) STORED;
CREATE INDEX reddit_posts_search_idx ON reddit_posts USING gin (search_vector);

ALTER TABLE reddit_comments
    ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED;
CREATE INDEX reddit_comments_search_idx ON reddit_comments USING gin (search_vector);
