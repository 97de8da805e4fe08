-- A contributing factor gathered from a fishbone cause keeps a link to it, as one gathered
-- from a 5-whys step does (source_step_id). No foreign key: a deleted cause leaves the factor
-- standing with a link the app shows as gone.
ALTER TABLE contributing_factors ADD COLUMN source_cause_id TEXT;
