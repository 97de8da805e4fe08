-- The managed taxonomy (issue 11 part 1). Services name their owning team; categories and
-- services can be retired: kept on the postmortems that use them, no longer offered.
ALTER TABLE services ADD COLUMN team TEXT;
ALTER TABLE services ADD COLUMN retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1));
ALTER TABLE categories ADD COLUMN retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1));

-- Root-cause types for contributing factors. Factors keep the type as text
-- (contributing_factors.category), so renaming or merging a type rewrites those texts. The
-- rowid keeps the order types were added in: the built-in list first, in its order.
CREATE TABLE root_cause_types (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT NOT NULL DEFAULT '',
    retired     INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
);
INSERT INTO root_cause_types (name) VALUES
    ('Change management'),
    ('Configuration drift'),
    ('Capacity planning'),
    ('Dependency failure'),
    ('Software defect'),
    ('Monitoring gap'),
    ('Alerting gap'),
    ('Runbook gap'),
    ('Testing gap'),
    ('Access and permissions'),
    ('Third-party provider'),
    ('Hardware or infrastructure');
