-- Insights (issue 11 part 8) loads what the analytics count of every postmortem: one statement
-- per table, each read in postmortem order. Through the indexes made for loading one document
-- (postmortem_id, position) SQLite read each row from the table as well, a page of long text
-- for a few short columns; at 100,000 postmortems (700 MB) that was most of a second. These
-- hold every column the load reads, and only the rows it wants, so it reads the index alone.

-- The first event carrying each marker, by position.
CREATE INDEX timeline_markers_in_order ON timeline_events (postmortem_id, position, marker, at)
    WHERE marker IS NOT NULL;

-- Root-cause types, in the order of the factors.
CREATE INDEX contributing_factor_types_in_order ON contributing_factors (postmortem_id, position, category)
    WHERE category IS NOT NULL;

-- The first move out of Draft.
CREATE INDEX status_changes_out_of_draft ON status_changes (postmortem_id, position, changed_at)
    WHERE from_status = 'draft' AND to_status <> 'draft';
