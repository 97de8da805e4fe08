-- Debrief schema version 1: the whole product's data.
-- Ids are UUID strings; times are RFC 3339 UTC strings; dates are YYYY-MM-DD.
-- Positions keep the user's order of children. Child rows cascade with their postmortem.
-- Every foreign-key column is indexed: loads and cascading deletes look children up by it.

CREATE TABLE people (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE services (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description     TEXT NOT NULL DEFAULT '',
    slo_target      REAL CHECK (slo_target IS NULL OR (slo_target > 0 AND slo_target < 1)),
    slo_window_days INTEGER CHECK (slo_window_days IS NULL OR slo_window_days > 0)
);

CREATE TABLE categories (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE tags (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE templates (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT NOT NULL DEFAULT '',
    builtin     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE template_sections (
    id          TEXT PRIMARY KEY,
    template_id TEXT NOT NULL REFERENCES templates(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    key         TEXT NOT NULL,
    heading     TEXT NOT NULL,
    guidance    TEXT NOT NULL DEFAULT '',
    prompts     TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    required    INTEGER NOT NULL DEFAULT 0,
    placeholder TEXT NOT NULL DEFAULT '',
    UNIQUE (template_id, key)
);

CREATE TABLE postmortems (
    id                        TEXT PRIMARY KEY,
    title                     TEXT NOT NULL CHECK (length(trim(title)) > 0),
    incident_date             TEXT NOT NULL,
    severity                  TEXT NOT NULL CHECK (severity IN ('SEV1','SEV2','SEV3','SEV4')),
    status                    TEXT NOT NULL CHECK (status IN ('draft','in_review','final')),
    template                  TEXT,
    near_miss                 INTEGER NOT NULL DEFAULT 0,
    novel_failure_mode        INTEGER NOT NULL DEFAULT 0,
    users_affected_pct        REAL,
    revenue_impact            REAL,
    support_tickets           INTEGER,
    error_budget_consumed_pct REAL,
    data_impact               TEXT,
    created_at                TEXT NOT NULL,
    updated_at                TEXT NOT NULL
);
CREATE INDEX postmortems_by_date ON postmortems (incident_date);

-- People's roles in one incident: author, incident_commander, reviewer, or a participant
-- role in free text (responder, scribe, ...). `position` keeps the order within a role.
CREATE TABLE postmortem_people (
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    person_id     TEXT NOT NULL REFERENCES people(id),
    kind          TEXT NOT NULL CHECK (kind IN ('author','incident_commander','reviewer','participant')),
    role          TEXT NOT NULL DEFAULT '',
    position      INTEGER NOT NULL,
    PRIMARY KEY (postmortem_id, kind, position)
);
CREATE INDEX postmortem_people_by_person ON postmortem_people (person_id);

CREATE TABLE postmortem_services (
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    service_id    TEXT NOT NULL REFERENCES services(id),
    position      INTEGER NOT NULL,
    PRIMARY KEY (postmortem_id, service_id)
);
CREATE INDEX postmortem_services_by_service ON postmortem_services (service_id);

CREATE TABLE postmortem_categories (
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    category_id   TEXT NOT NULL REFERENCES categories(id),
    position      INTEGER NOT NULL,
    PRIMARY KEY (postmortem_id, category_id)
);
CREATE INDEX postmortem_categories_by_category ON postmortem_categories (category_id);

CREATE TABLE postmortem_tags (
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    tag_id        TEXT NOT NULL REFERENCES tags(id),
    position      INTEGER NOT NULL,
    PRIMARY KEY (postmortem_id, tag_id)
);

CREATE TABLE sections (
    id            TEXT PRIMARY KEY,
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    key           TEXT NOT NULL,
    heading       TEXT NOT NULL,
    body          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sections_by_postmortem ON sections (postmortem_id, position);

-- Each save keeps the previous version of the whole document as JSON.
CREATE TABLE revisions (
    id            TEXT PRIMARY KEY,
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    saved_at      TEXT NOT NULL,
    document      TEXT NOT NULL,
    UNIQUE (postmortem_id, number)
);

CREATE TABLE status_changes (
    id            TEXT PRIMARY KEY,
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    from_status   TEXT NOT NULL,
    to_status     TEXT NOT NULL,
    changed_by    TEXT NOT NULL,
    changed_at    TEXT NOT NULL
);
CREATE INDEX status_changes_by_postmortem ON status_changes (postmortem_id, position);

CREATE TABLE timeline_events (
    id            TEXT PRIMARY KEY,
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    at            TEXT NOT NULL,
    approximate   INTEGER NOT NULL DEFAULT 0,
    kind          TEXT NOT NULL,
    marker        TEXT CHECK (marker IS NULL OR marker IN ('started','detected','acknowledged','mitigated','resolved')),
    text          TEXT NOT NULL
);
CREATE INDEX timeline_by_postmortem ON timeline_events (postmortem_id, position);

CREATE TABLE whys_chains (
    id            TEXT PRIMARY KEY,
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    problem       TEXT NOT NULL
);

CREATE INDEX whys_chains_by_postmortem ON whys_chains (postmortem_id, position);

CREATE TABLE whys_steps (
    id        TEXT PRIMARY KEY,
    chain_id  TEXT NOT NULL REFERENCES whys_chains(id) ON DELETE CASCADE,
    parent_id TEXT REFERENCES whys_steps(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    question  TEXT NOT NULL,
    answer    TEXT NOT NULL
);
CREATE INDEX whys_steps_by_chain ON whys_steps (chain_id, position);
CREATE INDEX whys_steps_by_parent ON whys_steps (parent_id);

-- Evidence links from a step to timeline events. No foreign key on the event on purpose:
-- deleting an event must leave a visible broken link, not silently drop the citation.
CREATE TABLE whys_evidence (
    step_id  TEXT NOT NULL REFERENCES whys_steps(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (step_id, event_id)
);

CREATE TABLE fishbones (
    id            TEXT PRIMARY KEY,
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    effect        TEXT NOT NULL
);

CREATE INDEX fishbones_by_postmortem ON fishbones (postmortem_id, position);

CREATE TABLE fishbone_categories (
    id          TEXT PRIMARY KEY,
    fishbone_id TEXT NOT NULL REFERENCES fishbones(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL
);

CREATE INDEX fishbone_categories_by_fishbone ON fishbone_categories (fishbone_id, position);

CREATE TABLE fishbone_causes (
    id          TEXT PRIMARY KEY,
    category_id TEXT NOT NULL REFERENCES fishbone_categories(id) ON DELETE CASCADE,
    parent_id   TEXT REFERENCES fishbone_causes(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    text        TEXT NOT NULL
);
CREATE INDEX fishbone_causes_by_category ON fishbone_causes (category_id, position);
CREATE INDEX fishbone_causes_by_parent ON fishbone_causes (parent_id);

CREATE TABLE contributing_factors (
    id             TEXT PRIMARY KEY,
    postmortem_id  TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    text           TEXT NOT NULL,
    category       TEXT,
    source_step_id TEXT
);
CREATE INDEX contributing_factors_by_postmortem ON contributing_factors (postmortem_id, position);

CREATE TABLE action_items (
    id               TEXT PRIMARY KEY,
    postmortem_id    TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    title            TEXT NOT NULL CHECK (length(trim(title)) > 0),
    description      TEXT NOT NULL DEFAULT '',
    owner_id         TEXT REFERENCES people(id),
    due_date         TEXT,
    priority         TEXT NOT NULL CHECK (priority IN ('P0','P1','P2','P3')),
    kind             TEXT NOT NULL CHECK (kind IN ('detect','mitigate','prevent','process')),
    status           TEXT NOT NULL CHECK (status IN ('open','in_progress','done','wont_do')),
    wont_do_reason   TEXT,
    tracker_url      TEXT,
    created_at       TEXT NOT NULL,
    completed_at     TEXT,
    source_step_id   TEXT,
    source_factor_id TEXT
);
CREATE INDEX action_items_by_postmortem ON action_items (postmortem_id, position);
CREATE INDEX action_items_by_due ON action_items (status, due_date);
CREATE INDEX action_items_by_owner ON action_items (owner_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL -- JSON
);
