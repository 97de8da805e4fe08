-- The team library (a git repository of Markdown postmortems shared by a team).

-- Fields two members changed differently, every version kept until someone chooses (JSON list,
-- NULL when none).
ALTER TABLE postmortems ADD COLUMN conflicts TEXT;

-- The repository this library syncs with: at most one row.
CREATE TABLE team_remote (
    only           INTEGER PRIMARY KEY CHECK (only = 1),
    url            TEXT NOT NULL,
    branch         TEXT NOT NULL,
    -- The commit this library last took in (and pushed); NULL before the first sync.
    synced_commit  TEXT,
    synced_at      TEXT,
    -- When the remote last could not be reached, and why; NULL once it answers again.
    offline_since  TEXT,
    offline_reason TEXT,
    -- Minutes between automatic syncs in the app; 0 for none.
    interval_minutes INTEGER NOT NULL DEFAULT 0,
    -- The name and email commits are made with, when git's own are not to be used.
    author_name    TEXT,
    author_email   TEXT,
    -- The last sync's report, as JSON.
    last_report    TEXT,
    -- The library's settings (debrief.yml's text) as the last sync left them: the base the
    -- next sync merges the repository's settings from.
    synced_settings TEXT
);

-- Each postmortem's file in the repository, and the postmortem's updated_at as last synced: a
-- postmortem saved since (or never synced, or deleted) is a change to send. No foreign key: a
-- deleted postmortem's row stays until the deletion is sent.
CREATE TABLE team_files (
    postmortem_id     TEXT PRIMARY KEY,
    path              TEXT NOT NULL UNIQUE,
    synced_updated_at TEXT NOT NULL
);

-- Every change to a postmortem queues it for the search index (0002's triggers: a save, an
-- import that keeps the file's updated_at, an action item's status from the board, a taxonomy
-- merge). The same changes are changes to send: the synced mark is cleared ('' matches no
-- updated_at). A sync taking a postmortem in sets the mark after writing it.
CREATE TRIGGER team_changed_insert AFTER INSERT ON search_pending BEGIN
    UPDATE team_files SET synced_updated_at = '' WHERE postmortem_id = NEW.postmortem_id;
END;
CREATE TRIGGER team_changed_update AFTER UPDATE ON search_pending BEGIN
    UPDATE team_files SET synced_updated_at = '' WHERE postmortem_id = NEW.postmortem_id;
END;

-- Files at the synced commit that could not be read, and why: not applied until fixed.
CREATE TABLE team_problems (
    path    TEXT PRIMARY KEY,
    message TEXT NOT NULL
);
