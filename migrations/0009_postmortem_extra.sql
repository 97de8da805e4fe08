-- Front-matter keys Debrief has no field for, kept untouched as a JSON object (NULL when none),
-- so a Markdown file written by another tool or a newer Debrief comes back out with them.
ALTER TABLE postmortems ADD COLUMN extra TEXT;
