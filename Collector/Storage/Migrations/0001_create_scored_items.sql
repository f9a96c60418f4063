-- Scored posts and comments. Rows are upserted by Reddit id, so re-delivered queue items never duplicate.
CREATE TABLE reddit_posts (
    id               text        PRIMARY KEY,           -- Reddit base-36 id, without t3_
    subreddit        text        NOT NULL,
    author           text        NOT NULL,
    title            text        NOT NULL,
    body             text        NOT NULL,
    created_at       timestamptz NOT NULL,
    reddit_score     integer,
    permalink        text,
    sentiment_score  real        NOT NULL CHECK (sentiment_score BETWEEN -1 AND 1),
    sentiment_label  text        NOT NULL CHECK (sentiment_label IN ('negative', 'neutral', 'positive')),
    confidence_score real        NOT NULL CHECK (confidence_score BETWEEN 0 AND 1),
    positive_prob    real        NOT NULL,
    neutral_prob     real        NOT NULL,
    negative_prob    real        NOT NULL,
    truncated        boolean     NOT NULL DEFAULT false,
    model_name       text        NOT NULL,
    model_version    text        NOT NULL,
    scored_at        timestamptz NOT NULL,
    ingested_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX reddit_posts_created_at_idx ON reddit_posts (created_at);
CREATE INDEX reddit_posts_subreddit_idx ON reddit_posts (subreddit);
CREATE INDEX reddit_posts_sentiment_score_idx ON reddit_posts (sentiment_score);
CREATE INDEX reddit_posts_subreddit_created_score_idx ON reddit_posts (subreddit, created_at, sentiment_score);

CREATE TABLE reddit_comments (
    id               text        PRIMARY KEY,           -- Reddit base-36 id, without t1_
    post_id          text,                              -- from link_id, without t3_ (the post may not be stored)
    parent_id        text,                              -- fullname: t1_... or t3_...
    subreddit        text        NOT NULL,
    author           text        NOT NULL,
    body             text        NOT NULL,
    created_at       timestamptz NOT NULL,
    reddit_score     integer,
    permalink        text,
    sentiment_score  real        NOT NULL CHECK (sentiment_score BETWEEN -1 AND 1),
    sentiment_label  text        NOT NULL CHECK (sentiment_label IN ('negative', 'neutral', 'positive')),
    confidence_score real        NOT NULL CHECK (confidence_score BETWEEN 0 AND 1),
    positive_prob    real        NOT NULL,
    neutral_prob     real        NOT NULL,
    negative_prob    real        NOT NULL,
    truncated        boolean     NOT NULL DEFAULT false,
    model_name       text        NOT NULL,
    model_version    text        NOT NULL,
    scored_at        timestamptz NOT NULL,
    ingested_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX reddit_comments_created_at_idx ON reddit_comments (created_at);
CREATE INDEX reddit_comments_subreddit_idx ON reddit_comments (subreddit);
CREATE INDEX reddit_comments_sentiment_score_idx ON reddit_comments (sentiment_score);
CREATE INDEX reddit_comments_subreddit_created_score_idx ON reddit_comments (subreddit, created_at, sentiment_score);
CREATE INDEX reddit_comments_post_id_idx ON reddit_comments (post_id);
