-- Facilitated meetings (issue 14). A meeting belongs to its postmortem and goes with it. Its
-- whole state is one JSON document (`debrief::meeting::session::Meeting`: the steps with the
-- time spent on each, attendees and their turns, the parking lot, dismissed questions, the
-- facilitator's notes, the follow-up date, feedback): it is read and written whole, as the
-- meeting screen autosaves it, and never queried inside.
CREATE TABLE meetings (
    id            TEXT PRIMARY KEY,
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    started_at    TEXT,
    ended_at      TEXT,
    updated_at    TEXT NOT NULL,
    state         TEXT NOT NULL
);
CREATE INDEX meetings_by_postmortem ON meetings (postmortem_id, updated_at);

-- The facilitator's plan (steps, order, minutes, skips) saved per template, by its name.
CREATE TABLE meeting_plans (
    template TEXT PRIMARY KEY COLLATE NOCASE,
    plan     TEXT NOT NULL
);
