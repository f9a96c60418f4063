-- Rollups: per subreddit, kind and UTC hour (and UTC day, kept alongside so that a 30-day read sums 30 rows
-- per subreddit, not 720), the counts per label and the sums of scores and confidences. The Gateway's
-- aggregate reads come from here, so their cost follows the buckets asked for, not the items stored.
--
-- Sums are kept in integer millionths (round(x * 1e6)): adding and taking away the same contribution is then
-- exact, so a re-delivered or re-scored item replaces its old contribution instead of drifting the sum, and a
-- recomputation (rollup_differences) compares equal to the last unit.
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

-- Tracked keywords: phrases an admin registers (for one subreddit or all), whose mentions and sentiment are rolled
-- up per UTC hour as items are stored, by the same statement-level triggers as the sentiment rollups.
CREATE TABLE tracked_keywords (
    id         integer     GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    phrase     text        NOT NULL,
    subreddit  text,                                      -- null: every subreddit
    query      tsquery     NOT NULL,                      -- phraseto_tsquery('english', phrase): words in this order
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (phrase, subreddit)
);

CREATE TABLE keyword_rollup_hourly (
    keyword_id        integer     NOT NULL REFERENCES tracked_keywords ON DELETE CASCADE,
    bucket            timestamptz NOT NULL,
    items             bigint      NOT NULL,
    positive          bigint      NOT NULL,
    neutral           bigint      NOT NULL,
    negative          bigint      NOT NULL,
    score_micros      bigint      NOT NULL,
    confidence_micros bigint      NOT NULL,
    PRIMARY KEY (keyword_id, bucket)
);

-- Contributions not yet folded into the rollups. The storage triggers only append here (no row is shared between
-- writers, so concurrent workers never wait on each other's hot hour); rollup_fold() moves them into the rollups
-- in bulk, one folder at a time, every second (the Collector's RollupFolder). Reads and the check add what is
-- pending, so they are exact at any moment.
CREATE TABLE sentiment_rollup_pending (
    subreddit         text        NOT NULL,
    kind              text        NOT NULL,
    bucket            timestamptz NOT NULL,               -- the UTC hour's start
    items             bigint      NOT NULL,
    positive          bigint      NOT NULL,
    neutral           bigint      NOT NULL,
    negative          bigint      NOT NULL,
    score_micros      bigint      NOT NULL,
    confidence_micros bigint      NOT NULL
);
CREATE INDEX sentiment_rollup_pending_bucket_idx ON sentiment_rollup_pending (bucket);

CREATE TABLE keyword_rollup_pending (
    keyword_id        integer     NOT NULL REFERENCES tracked_keywords ON DELETE CASCADE,
    bucket            timestamptz NOT NULL,
    items             bigint      NOT NULL,
    positive          bigint      NOT NULL,
    neutral           bigint      NOT NULL,
    negative          bigint      NOT NULL,
    score_micros      bigint      NOT NULL,
    confidence_micros bigint      NOT NULL
);
CREATE INDEX keyword_rollup_pending_keyword_idx ON keyword_rollup_pending (keyword_id, bucket);

-- Shifts the Gateway's detector found in a keyword's latest window against its trailing baseline; one row per
-- keyword, kind and window start, so evaluating the same window again (every minute, on every replica) raises
-- an alert once.
CREATE TABLE keyword_alerts (
    id             bigint           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    keyword_id     integer          NOT NULL REFERENCES tracked_keywords ON DELETE CASCADE,
    kind           text             NOT NULL CHECK (kind IN ('sentiment_drop', 'sentiment_rise', 'volume_spike')),
    window_start   timestamptz      NOT NULL,
    z_score        double precision NOT NULL,
    window_items   bigint           NOT NULL,
    window_value   double precision NOT NULL,   -- net sentiment, or mentions per hour
    baseline_value double precision NOT NULL,
    raised_at      timestamptz      NOT NULL,
    UNIQUE (keyword_id, kind, window_start)
);
CREATE INDEX keyword_alerts_raised_at_idx ON keyword_alerts (raised_at);

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

-- The keyword rollups of the items as they are, for the check and for filling a newly registered keyword's.
CREATE VIEW keyword_rollup_recomputed AS
SELECT k.id AS keyword_id, date_trunc('hour', i.created_at, 'UTC') AS bucket, count(*) AS items,
       count(*) FILTER (WHERE i.sentiment_label = 'positive') AS positive,
       count(*) FILTER (WHERE i.sentiment_label = 'neutral') AS neutral,
       count(*) FILTER (WHERE i.sentiment_label = 'negative') AS negative,
       sum(round(i.sentiment_score::float8 * 1e6)::bigint) AS score_micros,
       sum(round(i.confidence_score::float8 * 1e6)::bigint) AS confidence_micros
FROM tracked_keywords k
CROSS JOIN LATERAL (
    SELECT created_at, sentiment_label, sentiment_score, confidence_score FROM reddit_posts
    WHERE search_vector @@ k.query AND (k.subreddit IS NULL OR subreddit = k.subreddit)
    UNION ALL
    SELECT created_at, sentiment_label, sentiment_score, confidence_score FROM reddit_comments
    WHERE search_vector @@ k.query AND (k.subreddit IS NULL OR subreddit = k.subreddit)) i
GROUP BY 1, 2;

-- One statement-level trigger per table and operation, fed by the statement's transition tables: a batch
-- upsert of 256 items appends one grouped row per touched hour to the pending contributions, in the same
-- transaction as the items. Rows taken away (the old version of an updated row, a deleted row) count -1, rows
-- added +1; an update that changes nothing nets to zero and appends nothing.
CREATE FUNCTION sentiment_rollup_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    item_kind text := CASE TG_TABLE_NAME WHEN 'reddit_posts' THEN 'post' ELSE 'comment' END;
    columns   constant text := 'subreddit, created_at, sentiment_label, sentiment_score, confidence_score, search_vector';
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
            WHERE items <> 0 OR positive <> 0 OR neutral <> 0 OR negative <> 0 OR score_micros <> 0 OR confidence_micros <> 0)
        INSERT INTO sentiment_rollup_pending
        SELECT subreddit, %2$L, bucket, items, positive, neutral, negative, score_micros, confidence_micros FROM moved
        $sql$, changes, item_kind);

    -- Each changed item against each tracked keyword of its subreddit (at most a few hundred, see the Gateway's
    -- limit): a tsvector match per pair, only while any keyword is tracked.
    IF EXISTS (SELECT FROM tracked_keywords) THEN
        EXECUTE format($sql$
            WITH delta AS (
                SELECT k.id AS keyword_id, date_trunc('hour', c.created_at, 'UTC') AS bucket,
                       sum(sign) AS items,
                       coalesce(sum(sign) FILTER (WHERE c.sentiment_label = 'positive'), 0) AS positive,
                       coalesce(sum(sign) FILTER (WHERE c.sentiment_label = 'neutral'), 0) AS neutral,
                       coalesce(sum(sign) FILTER (WHERE c.sentiment_label = 'negative'), 0) AS negative,
                       sum(sign * round(c.sentiment_score::float8 * 1e6)::bigint) AS score_micros,
                       sum(sign * round(c.confidence_score::float8 * 1e6)::bigint) AS confidence_micros
                FROM (%s) c
                JOIN tracked_keywords k ON (k.subreddit IS NULL OR k.subreddit = c.subreddit) AND c.search_vector @@ k.query
                GROUP BY 1, 2)
            INSERT INTO keyword_rollup_pending
            SELECT * FROM delta
            WHERE items <> 0 OR positive <> 0 OR neutral <> 0 OR negative <> 0 OR score_micros <> 0 OR confidence_micros <> 0
            $sql$, changes);
    END IF;
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

-- Moves every pending contribution into the rollups, summed per bucket and upserted in key order, in one
-- statement per kind of rollup (what a writer commits meanwhile waits for the next fold). One folder at a time:
-- others return at once. Returns the pending rows folded.
CREATE FUNCTION rollup_fold() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    sentiment bigint;
    keywords  bigint;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('rollup_fold')) THEN
        RETURN 0;
    END IF;
    WITH taken AS (DELETE FROM sentiment_rollup_pending RETURNING *),
    hours AS (
        SELECT subreddit, kind, bucket, sum(items) AS items, sum(positive) AS positive, sum(neutral) AS neutral,
               sum(negative) AS negative, sum(score_micros) AS score_micros, sum(confidence_micros) AS confidence_micros,
               count(*) AS rows
        FROM taken GROUP BY subreddit, kind, bucket),
    hourly AS (
        INSERT INTO sentiment_rollup_hourly AS r
        SELECT subreddit, kind, bucket, items, positive, neutral, negative, score_micros, confidence_micros
        FROM hours ORDER BY subreddit, bucket, kind
        ON CONFLICT (subreddit, bucket, kind) DO UPDATE SET
            items = r.items + EXCLUDED.items, positive = r.positive + EXCLUDED.positive,
            neutral = r.neutral + EXCLUDED.neutral, negative = r.negative + EXCLUDED.negative,
            score_micros = r.score_micros + EXCLUDED.score_micros,
            confidence_micros = r.confidence_micros + EXCLUDED.confidence_micros),
    daily AS (
        INSERT INTO sentiment_rollup_daily AS r
        SELECT subreddit, kind, date_trunc('day', bucket, 'UTC') AS day, sum(items), sum(positive), sum(neutral),
               sum(negative), sum(score_micros), sum(confidence_micros)
        FROM hours GROUP BY subreddit, kind, day ORDER BY subreddit, day, kind
        ON CONFLICT (subreddit, bucket, kind) DO UPDATE SET
            items = r.items + EXCLUDED.items, positive = r.positive + EXCLUDED.positive,
            neutral = r.neutral + EXCLUDED.neutral, negative = r.negative + EXCLUDED.negative,
            score_micros = r.score_micros + EXCLUDED.score_micros,
            confidence_micros = r.confidence_micros + EXCLUDED.confidence_micros)
    SELECT coalesce(sum(rows), 0) INTO sentiment FROM hours;

    WITH taken AS (DELETE FROM keyword_rollup_pending RETURNING *),
    hours AS (
        SELECT keyword_id, bucket, sum(items) AS items, sum(positive) AS positive, sum(neutral) AS neutral,
               sum(negative) AS negative, sum(score_micros) AS score_micros, sum(confidence_micros) AS confidence_micros,
               count(*) AS rows
        FROM taken GROUP BY keyword_id, bucket),
    hourly AS (
        INSERT INTO keyword_rollup_hourly AS r
        SELECT keyword_id, bucket, items, positive, neutral, negative, score_micros, confidence_micros
        FROM hours ORDER BY keyword_id, bucket
        ON CONFLICT (keyword_id, bucket) DO UPDATE SET
            items = r.items + EXCLUDED.items, positive = r.positive + EXCLUDED.positive,
            neutral = r.neutral + EXCLUDED.neutral, negative = r.negative + EXCLUDED.negative,
            score_micros = r.score_micros + EXCLUDED.score_micros,
            confidence_micros = r.confidence_micros + EXCLUDED.confidence_micros)
    SELECT coalesce(sum(rows), 0) INTO keywords FROM hours;
    RETURN sentiment + keywords;
END
$$;

-- Every rollup row that differs from the recomputation (the check command's), with `what` it counts in words.
-- Rows that net to zero (every item taken away again) count as absent; buckets before what retention dropped are
-- the rollups' alone (their items are gone), so they are not compared.
CREATE VIEW rollup_differences AS
WITH retained AS (SELECT coalesce(max(retained_from), '-infinity') AS since FROM item_retention),
hours AS (
    SELECT subreddit, kind, bucket, items, positive, neutral, negative, score_micros, confidence_micros FROM sentiment_rollup_hourly
    UNION ALL
    SELECT subreddit, kind, bucket, items, positive, neutral, negative, score_micros, confidence_micros FROM sentiment_rollup_pending),
days AS (
    SELECT subreddit, kind, bucket, items, positive, neutral, negative, score_micros, confidence_micros FROM sentiment_rollup_daily
    UNION ALL
    SELECT subreddit, kind, date_trunc('day', bucket, 'UTC'), items, positive, neutral, negative, score_micros, confidence_micros
    FROM sentiment_rollup_pending),
keyword_hours AS (
    SELECT keyword_id, bucket, items, positive, neutral, negative, score_micros, confidence_micros FROM keyword_rollup_hourly
    UNION ALL
    SELECT keyword_id, bucket, items, positive, neutral, negative, score_micros, confidence_micros FROM keyword_rollup_pending),
stored AS (
    SELECT grain, subreddit, kind, bucket, sum(items) AS items, sum(positive) AS positive, sum(neutral) AS neutral,
           sum(negative) AS negative, sum(score_micros) AS score_micros, sum(confidence_micros) AS confidence_micros
    FROM (SELECT 'hour' AS grain, * FROM hours
          UNION ALL SELECT 'day', * FROM days
          UNION ALL SELECT 'keyword hour', keyword_id::text, 'keyword', bucket, items, positive, neutral, negative, score_micros, confidence_micros
                    FROM keyword_hours) rows
    GROUP BY grain, subreddit, kind, bucket
    HAVING sum(items) <> 0 OR sum(score_micros) <> 0 OR sum(confidence_micros) <> 0),
recomputed AS (
    SELECT 'hour' AS grain, subreddit, kind, bucket, items, positive, neutral, negative, score_micros, confidence_micros
    FROM sentiment_rollup_recomputed
    UNION ALL
    SELECT 'day', subreddit, kind, date_trunc('day', bucket, 'UTC'), sum(items), sum(positive), sum(neutral), sum(negative),
           sum(score_micros), sum(confidence_micros)
    FROM sentiment_rollup_recomputed GROUP BY subreddit, kind, date_trunc('day', bucket, 'UTC')
    UNION ALL
    SELECT 'keyword hour', keyword_id::text, 'keyword', bucket, items, positive, neutral, negative, score_micros, confidence_micros
    FROM keyword_rollup_recomputed)
SELECT coalesce(s.grain, r.grain) AS grain, coalesce(s.bucket, r.bucket) AS bucket,
       CASE WHEN coalesce(s.kind, r.kind) = 'keyword'
            THEN (SELECT format('keyword "%s"%s', k.phrase, coalesce(' in r/' || k.subreddit, ''))
                  FROM tracked_keywords k WHERE k.id::text = coalesce(s.subreddit, r.subreddit))
            ELSE format('r/%s %ss', coalesce(s.subreddit, r.subreddit), coalesce(s.kind, r.kind)) END AS what,
       coalesce(s.subreddit, r.subreddit) AS subreddit,
       s.items::bigint AS stored_items, r.items AS recomputed_items
FROM stored s FULL JOIN recomputed r USING (grain, subreddit, kind, bucket)
WHERE coalesce(s.bucket, r.bucket) >= (SELECT since FROM retained)
  AND (s.items, s.positive, s.neutral, s.negative, s.score_micros, s.confidence_micros)
      IS DISTINCT FROM (r.items, r.positive, r.neutral, r.negative, r.score_micros, r.confidence_micros);

-- The rollups rebuilt from the items (the migration fills them so; `collector check-rollups --repair` after a
-- difference), from where retention left items on: older rollups are all that is left of their items. Writers
-- wait meanwhile, so no item is counted twice or missed.
CREATE FUNCTION sentiment_rollup_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    since timestamptz := (SELECT coalesce(max(retained_from), '-infinity') FROM item_retention);
BEGIN
    LOCK TABLE reddit_posts, reddit_comments IN SHARE ROW EXCLUSIVE MODE;
    PERFORM pg_advisory_xact_lock(hashtext('rollup_fold'));
    PERFORM rollup_fold(); -- pending contributions of months retention dropped belong in their rollups
    DELETE FROM sentiment_rollup_hourly WHERE bucket >= since;
    DELETE FROM sentiment_rollup_daily WHERE bucket >= since;
    DELETE FROM keyword_rollup_hourly WHERE bucket >= since;
    INSERT INTO sentiment_rollup_hourly SELECT * FROM sentiment_rollup_recomputed;
    INSERT INTO sentiment_rollup_daily
    SELECT subreddit, kind, date_trunc('day', bucket, 'UTC'), sum(items), sum(positive), sum(neutral), sum(negative),
           sum(score_micros), sum(confidence_micros)
    FROM sentiment_rollup_hourly WHERE bucket >= since GROUP BY subreddit, kind, date_trunc('day', bucket, 'UTC');
    INSERT INTO keyword_rollup_hourly SELECT * FROM keyword_rollup_recomputed;
END
$$;

-- Registers a keyword and fills its rollups from the items stored so far; writers wait meanwhile, so an item
-- stored concurrently is counted once (by this fill or by the trigger), never twice.
CREATE FUNCTION tracked_keyword_add(new_phrase text, new_subreddit text) RETURNS tracked_keywords LANGUAGE plpgsql AS $$
DECLARE
    added tracked_keywords;
BEGIN
    IF numnode(phraseto_tsquery('english', new_phrase)) = 0 THEN
        RAISE EXCEPTION 'the phrase has no searchable word (only stop words or punctuation)' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF (SELECT count(*) FROM tracked_keywords) >= 200 THEN
        -- Every stored batch matches each item against every keyword: the trigger's cost is bounded by this.
        RAISE EXCEPTION 'at most 200 keywords are tracked; delete one first' USING ERRCODE = 'program_limit_exceeded';
    END IF;
    LOCK TABLE reddit_posts, reddit_comments IN SHARE ROW EXCLUSIVE MODE;
    INSERT INTO tracked_keywords (phrase, subreddit, query)
    VALUES (new_phrase, new_subreddit, phraseto_tsquery('english', new_phrase)) RETURNING * INTO added;
    INSERT INTO keyword_rollup_hourly SELECT * FROM keyword_rollup_recomputed WHERE keyword_id = added.id;
    RETURN added;
END
$$;

SELECT sentiment_rollup_rebuild();
