-- What the Collector learns when it reads stored items again through /api/info (Reddit:Refresh): when it last
-- did, and whether the item has been deleted by its author or removed by moderators since. The text and the
-- sentiment scored when it was collected stay: a removal is recorded, never erased.
ALTER TABLE reddit_posts
    ADD COLUMN refreshed_at timestamptz,
    ADD COLUMN removal      text CHECK (removal IN ('deleted', 'removed')),
    ADD COLUMN removed_at   timestamptz;

ALTER TABLE reddit_comments
    ADD COLUMN refreshed_at timestamptz,
    ADD COLUMN removal      text CHECK (removal IN ('deleted', 'removed')),
    ADD COLUMN removed_at   timestamptz;
