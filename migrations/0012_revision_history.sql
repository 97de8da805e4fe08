-- Revision history that can be used: why each revision was kept, so that an editing session's
-- autosaves coalesce into one revision while imports, syncs and restores always keep theirs.
-- Revisions kept before this version were all made by saves.
ALTER TABLE revisions ADD COLUMN reason TEXT NOT NULL DEFAULT 'edit'
    CHECK (reason IN ('edit', 'import', 'sync', 'restore'));

-- How many times each postmortem has been written. An editor saves "over the version it
-- opened", named by this count, so a save from a stale copy is refused (a file import may keep
-- the document's updated_at, so that time cannot tell versions apart).
ALTER TABLE postmortems ADD COLUMN writes INTEGER NOT NULL DEFAULT 0;

-- Rolling automatic backups: when the last one was made (one row).
CREATE TABLE backup_state (
    only          INTEGER PRIMARY KEY CHECK (only = 1),
    last_auto_at  TEXT,
    -- Hours between automatic backups; 0 turns them off.
    interval_hours INTEGER NOT NULL DEFAULT 24 CHECK (interval_hours >= 0),
    -- How many automatic backups are kept (the oldest are deleted first).
    keep          INTEGER NOT NULL DEFAULT 7 CHECK (keep >= 1)
);
INSERT INTO backup_state (only) VALUES (1);
