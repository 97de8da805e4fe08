-- Search consistency: every change to a postmortem queues its id, in the same transaction,
-- for the tantivy index. The indexer deletes a row only after the index commit, and only
-- the generation it indexed. No foreign key: deleted postmortems must stay queued so the
-- index drops them.
CREATE TABLE search_pending (
    postmortem_id TEXT PRIMARY KEY,
    generation    INTEGER NOT NULL DEFAULT 1
);

CREATE TRIGGER search_queue_insert AFTER INSERT ON postmortems BEGIN
    INSERT INTO search_pending (postmortem_id) VALUES (NEW.id)
    ON CONFLICT(postmortem_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER search_queue_update AFTER UPDATE ON postmortems BEGIN
    INSERT INTO search_pending (postmortem_id) VALUES (NEW.id)
    ON CONFLICT(postmortem_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER search_queue_delete AFTER DELETE ON postmortems BEGIN
    INSERT INTO search_pending (postmortem_id) VALUES (OLD.id)
    ON CONFLICT(postmortem_id) DO UPDATE SET generation = generation + 1;
END;

-- Action items are searchable (titles, owners) and can change without their postmortem.
CREATE TRIGGER search_queue_action_items AFTER UPDATE ON action_items BEGIN
    INSERT INTO search_pending (postmortem_id) VALUES (NEW.postmortem_id)
    ON CONFLICT(postmortem_id) DO UPDATE SET generation = generation + 1;
END;
