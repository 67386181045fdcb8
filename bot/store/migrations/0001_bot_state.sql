-- The Bot Framework's conversation and user state (bot/teams/storage.py): one JSON document per
-- storage key, with the e-tag that makes a stale writer fail instead of overwriting.
CREATE TABLE bot_state (
    key TEXT PRIMARY KEY,
    document TEXT NOT NULL,      -- the state object as JSON
    etag TEXT NOT NULL,          -- a new random value on every write
    updated_at BIGINT NOT NULL,  -- milliseconds since the epoch
    expires_at BIGINT            -- milliseconds since the epoch; purged after it; NULL keeps it
);

-- The periodic purge finds expired rows without reading the whole table.
CREATE INDEX bot_state_expires_at ON bot_state (expires_at);
