-- The county channel: who follows which county, what officers post, and one delivery row per
-- (post, follower conversation) that is the outbox and the "never twice" key at once.
-- Times are BIGINT milliseconds since the epoch (bot.store.database.to_millis).

-- What the Teams member look-up said about a sender, cached so posting does not ask every time.
CREATE TABLE IF NOT EXISTS members (
    user_id TEXT PRIMARY KEY,          -- Teams user id (29:...)
    aad_object_id TEXT NOT NULL,
    name TEXT NOT NULL,
    upn TEXT NOT NULL,
    email TEXT NOT NULL,
    fetched_at BIGINT NOT NULL
);

-- One row per conversation that follows a county: a person's 1:1 chat, or a channel.
CREATE TABLE IF NOT EXISTS follows (
    conversation_id TEXT NOT NULL,     -- a channel's id without ";messageid=..."
    county TEXT NOT NULL,
    channel INTEGER NOT NULL,          -- 1: a channel follows; 0: a person in their 1:1 chat
    user_id TEXT,                      -- who asked to follow; NULL once they asked to be forgotten
    name TEXT,                         -- that person's display name (NULL likewise)
    reason TEXT,                       -- their optional line on why
    language TEXT NOT NULL,            -- sv | en: the language notifications come in
    reference TEXT NOT NULL,           -- the ConversationReference as JSON, for proactive messages
    followed_at BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, county)
);
CREATE INDEX IF NOT EXISTS follows_by_county ON follows (county);
CREATE INDEX IF NOT EXISTS follows_by_user ON follows (user_id);

CREATE TABLE IF NOT EXISTS posts (
    id BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,                -- update | dialogue
    county TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    event_date TEXT,                   -- a dialogue's date, YYYY-MM-DD
    author_id TEXT,                    -- Teams user id; NULL once the writer asked to be forgotten
    author_name TEXT,                  -- NULL likewise: the post is then signed with the role
    state TEXT NOT NULL,               -- draft | published | withdrawn
    created_at BIGINT NOT NULL,
    published_at BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS posts_by_county ON posts (county, state);
CREATE INDEX IF NOT EXISTS posts_by_author ON posts (author_id);

-- The outbox: written in the same transaction as the publication, drained by the sender.
CREATE TABLE IF NOT EXISTS deliveries (
    post_id BIGINT NOT NULL,
    conversation_id TEXT NOT NULL,
    county TEXT NOT NULL,
    user_id TEXT,                      -- the follower (a person's follow), for "forget me"
    state TEXT NOT NULL,               -- waiting | sending | delivered | gone | failed
    attempts INTEGER NOT NULL,
    due_at BIGINT NOT NULL,            -- not before this time (backoff, Retry-After)
    claimed_until BIGINT,              -- a sender holds it until then; after that it is in doubt
    last_status INTEGER,               -- the Bot Connector's last HTTP status
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (post_id, conversation_id)
);
CREATE INDEX IF NOT EXISTS deliveries_by_state ON deliveries (state, due_at);
CREATE INDEX IF NOT EXISTS deliveries_by_user ON deliveries (user_id);
CREATE INDEX IF NOT EXISTS deliveries_by_conversation ON deliveries (conversation_id);
