-- The library list counts each postmortem's open and overdue action items in correlated
-- subqueries. With only action_items_by_postmortem (postmortem_id, position) and
-- action_items_by_due (status, due_date) to choose from, SQLite picked the second for the
-- overdue count and scanned every overdue item of the library for every row: the list's cost
-- grew with the square of the library (10,045 postmortems took about a minute). An index that
-- starts with the postmortem and covers status and due date answers both counts from a few
-- index entries.
CREATE INDEX action_items_open_by_postmortem ON action_items (postmortem_id, status, due_date);

-- The list pages through postmortems sorted by severity or status as well as by date.
CREATE INDEX postmortems_by_severity ON postmortems (severity, incident_date);
CREATE INDEX postmortems_by_status ON postmortems (status, incident_date);

-- Each row of the list and the board names its services and categories in the user's order;
-- with the links indexed in that order SQLite reads them straight, without a sort per row.
CREATE INDEX postmortem_services_in_order ON postmortem_services (postmortem_id, position, service_id);
CREATE INDEX postmortem_categories_in_order ON postmortem_categories (postmortem_id, position, category_id);

-- A draft is late 48 hours after its resolved marker: the list looks that marker up for every
-- row. Only marker events are indexed (a handful per postmortem), with their time, so the
-- lookup reads the index alone.
CREATE INDEX timeline_markers_by_postmortem ON timeline_events (postmortem_id, marker, at) WHERE marker IS NOT NULL;
