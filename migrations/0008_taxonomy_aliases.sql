-- Names renamed or merged away, and the name each became. A document that still carries an
-- old name (a postmortem page left open while the CLI merged, an old export imported again) is
-- saved under the new name instead of bringing the old entry back. Adding an entry of that
-- name again removes its alias.
CREATE TABLE taxonomy_aliases (
    kind     TEXT NOT NULL CHECK (kind IN ('category', 'service', 'cause')),
    old_name TEXT NOT NULL COLLATE NOCASE,
    new_name TEXT NOT NULL,
    PRIMARY KEY (kind, old_name)
);
