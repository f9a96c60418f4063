-- The item tables partitioned by month of created_at (PostgreSQL's declarative partitioning). A month, because
-- dump backfills span Reddit's whole history (2005 on: about 250 months, where days would be 7,500 partitions for
-- the planner to weigh), while a month of all of Reddit (a few million items a day, ~100 M a month) is still a
-- partition that an index scan, a VACUUM or a DROP handles whole; and retention is set in months. Partitions are
-- created ahead by the Collector (reddit_items_ensure_partition, for the months around now and for every month
-- a stored batch touches), and dropped whole by retention (reddit_items_drop_partitions_before); rollups stay.
--
-- A partitioned table's unique keys must contain the partition key, so the primary key becomes (id, created_at)
-- and upserts conflict on it: an item's created_utc never changes, so a re-delivered item still finds its row.
--
-- Existing databases migrate in place: the tables are renamed, their rows copied into the new partitions, and
-- the old tables dropped, all in this migration's transaction (writers wait; minutes at tens of millions).

CREATE FUNCTION reddit_items_ensure_partition(instant timestamptz) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    first  timestamp := date_trunc('month', instant AT TIME ZONE 'UTC');
    suffix text := to_char(first, 'YYYY_MM');
    item   text;
BEGIN
    -- Concurrent writers that meet a new month take turns, so none fails on the other's CREATE.
    PERFORM pg_advisory_xact_lock(hashtext('reddit_items_ensure_partition'));
    FOREACH item IN ARRAY ARRAY['reddit_posts', 'reddit_comments'] LOOP
        EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
            item || '_' || suffix, item, first AT TIME ZONE 'UTC', (first + interval '1 month') AT TIME ZONE 'UTC');
    END LOOP;
END
$$;

-- What retention has dropped: items before retained_from are gone, their rollups kept.
CREATE TABLE item_retention (
    singleton     boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    retained_from timestamptz NOT NULL
);

-- Drops every month partition that ends at or before `cutoff` (taken down to its month), and returns their names.
CREATE FUNCTION reddit_items_drop_partitions_before(cutoff timestamptz) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    keep_from timestamp := date_trunc('month', cutoff AT TIME ZONE 'UTC');
    partition record;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('reddit_items_ensure_partition'));
    FOR partition IN
        SELECT c.relname AS name FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname IN ('reddit_posts', 'reddit_comments') AND c.relname ~ '_\d{4}_\d{2}$'
          AND to_timestamp(right(c.relname, 7), 'YYYY_MM')::timestamp < keep_from
        ORDER BY c.relname
    LOOP
        EXECUTE format('DROP TABLE %I', partition.name);
        RETURN NEXT partition.name;
    END LOOP;
    INSERT INTO item_retention (retained_from) VALUES (keep_from AT TIME ZONE 'UTC')
    ON CONFLICT (singleton) DO UPDATE SET retained_from = greatest(item_retention.retained_from, EXCLUDED.retained_from);
END
$$;

LOCK TABLE reddit_posts, reddit_comments IN ACCESS EXCLUSIVE MODE;
ALTER TABLE reddit_posts RENAME TO reddit_posts_unpartitioned;
ALTER TABLE reddit_comments RENAME TO reddit_comments_unpartitioned;
ALTER INDEX reddit_posts_pkey RENAME TO reddit_posts_unpartitioned_pkey;
ALTER INDEX reddit_comments_pkey RENAME TO reddit_comments_unpartitioned_pkey;
ALTER INDEX reddit_posts_created_at_idx RENAME TO reddit_posts_unpartitioned_created_at_idx;
ALTER INDEX reddit_posts_subreddit_idx RENAME TO reddit_posts_unpartitioned_subreddit_idx;
ALTER INDEX reddit_posts_sentiment_score_idx RENAME TO reddit_posts_unpartitioned_sentiment_score_idx;
ALTER INDEX reddit_posts_subreddit_created_score_idx RENAME TO reddit_posts_unpartitioned_subreddit_created_score_idx;
ALTER INDEX reddit_posts_search_idx RENAME TO reddit_posts_unpartitioned_search_idx;
ALTER INDEX reddit_comments_created_at_idx RENAME TO reddit_comments_unpartitioned_created_at_idx;
ALTER INDEX reddit_comments_subreddit_idx RENAME TO reddit_comments_unpartitioned_subreddit_idx;
ALTER INDEX reddit_comments_sentiment_score_idx RENAME TO reddit_comments_unpartitioned_sentiment_score_idx;
ALTER INDEX reddit_comments_subreddit_created_score_idx RENAME TO reddit_comments_unpartitioned_subreddit_created_score_idx;
ALTER INDEX reddit_comments_post_id_idx RENAME TO reddit_comments_unpartitioned_post_id_idx;
ALTER INDEX reddit_comments_search_idx RENAME TO reddit_comments_unpartitioned_search_idx;

CREATE TABLE reddit_posts (LIKE reddit_posts_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED,
    PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at);
CREATE TABLE reddit_comments (LIKE reddit_comments_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED,
    PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at);

-- The same indexes as before, now on every partition. Sorting by sentiment within a subreddit and a time range is
-- the posts page's and the runbook's query; created_at alone serves ranges across subreddits.
CREATE INDEX reddit_posts_created_at_idx ON reddit_posts (created_at);
CREATE INDEX reddit_posts_subreddit_idx ON reddit_posts (subreddit);
CREATE INDEX reddit_posts_sentiment_score_idx ON reddit_posts (sentiment_score);
CREATE INDEX reddit_posts_subreddit_created_score_idx ON reddit_posts (subreddit, created_at, sentiment_score);
CREATE INDEX reddit_posts_search_idx ON reddit_posts USING gin (search_vector);
CREATE INDEX reddit_comments_created_at_idx ON reddit_comments (created_at);
CREATE INDEX reddit_comments_subreddit_idx ON reddit_comments (subreddit);
CREATE INDEX reddit_comments_sentiment_score_idx ON reddit_comments (sentiment_score);
CREATE INDEX reddit_comments_subreddit_created_score_idx ON reddit_comments (subreddit, created_at, sentiment_score);
CREATE INDEX reddit_comments_post_id_idx ON reddit_comments (post_id);
CREATE INDEX reddit_comments_search_idx ON reddit_comments USING gin (search_vector);

SELECT reddit_items_ensure_partition(month)
FROM (SELECT DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS month FROM reddit_posts_unpartitioned
      UNION
      SELECT DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' FROM reddit_comments_unpartitioned
      UNION
      SELECT now() + make_interval(months => m) FROM generate_series(-1, 3) m) months;

INSERT INTO reddit_posts (id, subreddit, author, title, body, created_at, reddit_score, permalink, sentiment_score, sentiment_label,
                          confidence_score, positive_prob, neutral_prob, negative_prob, truncated, model_name, model_version, scored_at, ingested_at)
SELECT id, subreddit, author, title, body, created_at, reddit_score, permalink, sentiment_score, sentiment_label,
       confidence_score, positive_prob, neutral_prob, negative_prob, truncated, model_name, model_version, scored_at, ingested_at
FROM reddit_posts_unpartitioned;
INSERT INTO reddit_comments (id, post_id, parent_id, subreddit, author, body, created_at, reddit_score, permalink, sentiment_score, sentiment_label,
                             confidence_score, positive_prob, neutral_prob, negative_prob, truncated, model_name, model_version, scored_at, ingested_at)
SELECT id, post_id, parent_id, subreddit, author, body, created_at, reddit_score, permalink, sentiment_score, sentiment_label,
       confidence_score, positive_prob, neutral_prob, negative_prob, truncated, model_name, model_version, scored_at, ingested_at
FROM reddit_comments_unpartitioned;

DROP TABLE reddit_posts_unpartitioned, reddit_comments_unpartitioned;
