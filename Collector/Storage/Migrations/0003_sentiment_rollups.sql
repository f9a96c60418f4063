-- Rollups: per subreddit, kind and UTC hour (and UTC day, kept alongside so that a 30-day read sums 30 rows
-- per subreddit, not 720), the counts per label and the sums of scores and confidences. The Gateway's
-- aggregate reads come from here, so their cost follows the buckets asked for, not the items stored.
--
-- Sums are kept in integer millionths (round(x * 1e6)): adding and taking away the same contribution is then
-- exact, so a re-delivered or re-scored item replaces its old contribution instead of drifting the sum, and a
-- recomputation (sentiment_rollup_differences) compares equal to the last unit.
CREATE TABLE sentiment_rollup_hourly (
    subreddit         text        NOT NULL,
    kind              text        NOT NULL CHECK (kind IN ('post', 'comment')),
    bucket            timestamptz NOT NULL,               -- the UTC hour's start
    items             bigint      NOT NULL,
    positive          bigint      NOT NULL,
    neutral           bigint      NOT NULL,
    negative          bigint      NOT NULL,
    score_micros      bigint      NOT NULL,               -- sum of round(sentiment_score * 1e6)
    confidence_micros bigint      NOT NULL,               -- sum of round(confidence_score * 1e6)
    PRIMARY KEY (subreddit, bucket, kind)
);
CREATE INDEX sentiment_rollup_hourly_bucket_idx ON sentiment_rollup_hourly (bucket);

CREATE TABLE sentiment_rollup_daily (LIKE sentiment_rollup_hourly INCLUDING ALL);
COMMENT ON COLUMN sentiment_rollup_daily.bucket IS 'the UTC day''s start';

-- One statement-level trigger per table and operation, fed by the statement's transition tables: a batch
-- upsert of 64 items costs one grouped upsert per touched bucket, not one per item. Rows taken away (the old
-- version of an updated row, a deleted row) count -1, rows added +1; an update that changes nothing nets to
-- zero and touches no rollup row. Rollup rows are upserted in key order, so concurrent writers queue on a
-- hot bucket instead of deadlocking.
CREATE FUNCTION sentiment_rollup_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    item_kind text := CASE TG_TABLE_NAME WHEN 'reddit_posts' THEN 'post' ELSE 'comment' END;
    columns   constant text := 'subreddit, created_at, sentiment_label, sentiment_score, confidence_score';
    changes   text;
BEGIN
    changes := CASE TG_OP
        WHEN 'INSERT' THEN format('SELECT 1 AS sign, %s FROM new_rows', columns)
        WHEN 'DELETE' THEN format('SELECT -1 AS sign, %s FROM old_rows', columns)
        ELSE format('SELECT -1 AS sign, %1$s FROM old_rows UNION ALL SELECT 1, %1$s FROM new_rows', columns)
    END;
    EXECUTE format($sql$
        WITH delta AS (
            SELECT subreddit, date_trunc('hour', created_at, 'UTC') AS bucket,
                   sum(sign) AS items,
                   sum(sign) FILTER (WHERE sentiment_label = 'positive') AS positive,
                   sum(sign) FILTER (WHERE sentiment_label = 'neutral') AS neutral,
                   sum(sign) FILTER (WHERE sentiment_label = 'negative') AS negative,
                   sum(sign * round(sentiment_score::float8 * 1e6)::bigint) AS score_micros,
                   sum(sign * round(confidence_score::float8 * 1e6)::bigint) AS confidence_micros
            FROM (%s) changes
            GROUP BY 1, 2),
        moved AS (
            SELECT subreddit, bucket, items, coalesce(positive, 0) AS positive, coalesce(neutral, 0) AS neutral,
                   coalesce(negative, 0) AS negative, score_micros, confidence_micros
            FROM delta
            WHERE items <> 0 OR positive <> 0 OR neutral <> 0 OR negative <> 0 OR score_micros <> 0 OR confidence_micros <> 0),
        hourly AS (
            INSERT INTO sentiment_rollup_hourly AS r
            SELECT subreddit, %2$L, bucket, items, positive, neutral, negative, score_micros, confidence_micros
            FROM moved ORDER BY subreddit, bucket
            ON CONFLICT (subreddit, bucket, kind) DO UPDATE SET
                items = r.items + EXCLUDED.items, positive = r.positive + EXCLUDED.positive,
                neutral = r.neutral + EXCLUDED.neutral, negative = r.negative + EXCLUDED.negative,
                score_micros = r.score_micros + EXCLUDED.score_micros,
                confidence_micros = r.confidence_micros + EXCLUDED.confidence_micros)
        INSERT INTO sentiment_rollup_daily AS r
        SELECT subreddit, %2$L, date_trunc('day', bucket, 'UTC') AS day, sum(items), sum(positive), sum(neutral),
               sum(negative), sum(score_micros), sum(confidence_micros)
        FROM moved GROUP BY subreddit, day ORDER BY subreddit, day
        ON CONFLICT (subreddit, bucket, kind) DO UPDATE SET
            items = r.items + EXCLUDED.items, positive = r.positive + EXCLUDED.positive,
            neutral = r.neutral + EXCLUDED.neutral, negative = r.negative + EXCLUDED.negative,
            score_micros = r.score_micros + EXCLUDED.score_micros,
            confidence_micros = r.confidence_micros + EXCLUDED.confidence_micros
        $sql$, changes, item_kind);
    RETURN NULL;
END
$$;

CREATE TRIGGER reddit_posts_rollup_insert AFTER INSERT ON reddit_posts
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sentiment_rollup_apply();
CREATE TRIGGER reddit_posts_rollup_update AFTER UPDATE ON reddit_posts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sentiment_rollup_apply();
CREATE TRIGGER reddit_posts_rollup_delete AFTER DELETE ON reddit_posts
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sentiment_rollup_apply();
CREATE TRIGGER reddit_comments_rollup_insert AFTER INSERT ON reddit_comments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sentiment_rollup_apply();
CREATE TRIGGER reddit_comments_rollup_update AFTER UPDATE ON reddit_comments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sentiment_rollup_apply();
CREATE TRIGGER reddit_comments_rollup_delete AFTER DELETE ON reddit_comments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sentiment_rollup_apply();

-- The rollups recomputed from the items, as the same integers. A view, so the check command, the tests and
-- an operator at psql compare against one definition.
CREATE VIEW sentiment_rollup_recomputed AS
SELECT subreddit, kind, date_trunc('hour', created_at, 'UTC') AS bucket, count(*) AS items,
       count(*) FILTER (WHERE sentiment_label = 'positive') AS positive,
       count(*) FILTER (WHERE sentiment_label = 'neutral') AS neutral,
       count(*) FILTER (WHERE sentiment_label = 'negative') AS negative,
       sum(round(sentiment_score::float8 * 1e6)::bigint) AS score_micros,
       sum(round(confidence_score::float8 * 1e6)::bigint) AS confidence_micros
FROM (SELECT subreddit, 'post' AS kind, created_at, sentiment_label, sentiment_score, confidence_score FROM reddit_posts
      UNION ALL
      SELECT subreddit, 'comment', created_at, sentiment_label, sentiment_score, confidence_score FROM reddit_comments) items
GROUP BY 1, 2, 3;

-- Every (subreddit, kind, bucket, grain) whose stored rollup differs from the recomputation, with both sides.
-- Rows that net to zero (every item taken away again) count as absent.
CREATE VIEW sentiment_rollup_differences AS
WITH stored AS (
    SELECT 'hour' AS grain, * FROM sentiment_rollup_hourly WHERE items <> 0 OR score_micros <> 0 OR confidence_micros <> 0
    UNION ALL
    SELECT 'day', * FROM sentiment_rollup_daily WHERE items <> 0 OR score_micros <> 0 OR confidence_micros <> 0),
recomputed AS (
    SELECT 'hour' AS grain, * FROM sentiment_rollup_recomputed
    UNION ALL
    SELECT 'day', subreddit, kind, date_trunc('day', bucket, 'UTC'), sum(items), sum(positive), sum(neutral), sum(negative),
           sum(score_micros), sum(confidence_micros)
    FROM sentiment_rollup_recomputed GROUP BY subreddit, kind, date_trunc('day', bucket, 'UTC'))
SELECT coalesce(s.grain, r.grain) AS grain, coalesce(s.subreddit, r.subreddit) AS subreddit,
       coalesce(s.kind, r.kind) AS kind, coalesce(s.bucket, r.bucket) AS bucket,
       s.items AS stored_items, r.items AS recomputed_items,
       s.score_micros AS stored_score_micros, r.score_micros AS recomputed_score_micros
FROM stored s FULL JOIN recomputed r USING (grain, subreddit, kind, bucket)
WHERE (s.items, s.positive, s.neutral, s.negative, s.score_micros, s.confidence_micros)
      IS DISTINCT FROM (r.items, r.positive, r.neutral, r.negative, r.score_micros, r.confidence_micros);

-- The rollups rebuilt from the items (the migration fills them so; `collector check-rollups --repair` after a
-- difference). Writers wait meanwhile, so no item is counted twice or missed.
CREATE FUNCTION sentiment_rollup_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE reddit_posts, reddit_comments IN SHARE ROW EXCLUSIVE MODE;
    TRUNCATE sentiment_rollup_hourly, sentiment_rollup_daily;
    INSERT INTO sentiment_rollup_hourly SELECT * FROM sentiment_rollup_recomputed;
    INSERT INTO sentiment_rollup_daily
    SELECT subreddit, kind, date_trunc('day', bucket, 'UTC'), sum(items), sum(positive), sum(neutral), sum(negative),
           sum(score_micros), sum(confidence_micros)
    FROM sentiment_rollup_hourly GROUP BY subreddit, kind, date_trunc('day', bucket, 'UTC');
END
$$;

SELECT sentiment_rollup_rebuild();
