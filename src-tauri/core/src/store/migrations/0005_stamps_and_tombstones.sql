-- Sync preparation: millisecond timestamps that never go backwards, and a tombstone per delete.
--
-- The triggers that enforce both are not listed here: `store::stamps` creates them for every
-- table that has `uid` and `updated_at` each time a database is opened, so a table added by a
-- later migration can never be forgotten.

-- Second-precision stamps ("…T10:00:00Z") would sort *after* millisecond stamps of the same
-- second ("…T10:00:00.123Z", because 'Z' > '.'): bring every existing stamp to one width.
UPDATE events                  SET created_at = substr(created_at, 1, 19) || '.000Z' WHERE length(created_at) = 20;
UPDATE events                  SET updated_at = substr(updated_at, 1, 19) || '.000Z' WHERE length(updated_at) = 20;
UPDATE organisations           SET created_at = substr(created_at, 1, 19) || '.000Z' WHERE length(created_at) = 20;
UPDATE organisations           SET updated_at = substr(updated_at, 1, 19) || '.000Z' WHERE length(updated_at) = 20;
UPDATE partner_towns           SET created_at = substr(created_at, 1, 19) || '.000Z' WHERE length(created_at) = 20;
UPDATE partner_towns           SET updated_at = substr(updated_at, 1, 19) || '.000Z' WHERE length(updated_at) = 20;
UPDATE persons                 SET created_at = substr(created_at, 1, 19) || '.000Z' WHERE length(created_at) = 20;
UPDATE persons                 SET updated_at = substr(updated_at, 1, 19) || '.000Z' WHERE length(updated_at) = 20;
UPDATE registrations           SET created_at = substr(created_at, 1, 19) || '.000Z' WHERE length(created_at) = 20;
UPDATE registrations           SET updated_at = substr(updated_at, 1, 19) || '.000Z' WHERE length(updated_at) = 20;
UPDATE registration_status_log SET created_at = substr(created_at, 1, 19) || '.000Z' WHERE length(created_at) = 20;
UPDATE registration_status_log SET updated_at = substr(updated_at, 1, 19) || '.000Z' WHERE length(updated_at) = 20;
UPDATE sessions                SET created_at = substr(created_at, 1, 19) || '.000Z' WHERE length(created_at) = 20;
UPDATE sessions                SET updated_at = substr(updated_at, 1, 19) || '.000Z' WHERE length(updated_at) = 20;
UPDATE registration_sessions   SET created_at = substr(created_at, 1, 19) || '.000Z' WHERE length(created_at) = 20;
UPDATE registration_sessions   SET updated_at = substr(updated_at, 1, 19) || '.000Z' WHERE length(updated_at) = 20;
UPDATE attendance              SET created_at = substr(created_at, 1, 19) || '.000Z' WHERE length(created_at) = 20;
UPDATE attendance              SET updated_at = substr(updated_at, 1, 19) || '.000Z' WHERE length(updated_at) = 20;
UPDATE wish_clusters           SET created_at = substr(created_at, 1, 19) || '.000Z' WHERE length(created_at) = 20;
UPDATE wish_clusters           SET updated_at = substr(updated_at, 1, 19) || '.000Z' WHERE length(updated_at) = 20;
UPDATE wishes                  SET created_at = substr(created_at, 1, 19) || '.000Z' WHERE length(created_at) = 20;
UPDATE wishes                  SET updated_at = substr(updated_at, 1, 19) || '.000Z' WHERE length(updated_at) = 20;
UPDATE wish_topics             SET created_at = substr(created_at, 1, 19) || '.000Z' WHERE length(created_at) = 20;
UPDATE wish_topics             SET updated_at = substr(updated_at, 1, 19) || '.000Z' WHERE length(updated_at) = 20;
UPDATE wish_catalogue_settings SET created_at = substr(created_at, 1, 19) || '.000Z' WHERE length(created_at) = 20;
UPDATE wish_catalogue_settings SET updated_at = substr(updated_at, 1, 19) || '.000Z' WHERE length(updated_at) = 20;
UPDATE learned_examples        SET created_at = substr(created_at, 1, 19) || '.000Z' WHERE length(created_at) = 20;
UPDATE learned_examples        SET updated_at = substr(updated_at, 1, 19) || '.000Z' WHERE length(updated_at) = 20;
UPDATE wish_curations          SET created_at = substr(created_at, 1, 19) || '.000Z' WHERE length(created_at) = 20;
UPDATE wish_curations          SET updated_at = substr(updated_at, 1, 19) || '.000Z' WHERE length(updated_at) = 20;
UPDATE wish_undo               SET created_at = substr(created_at, 1, 19) || '.000Z' WHERE length(created_at) = 20;
UPDATE wish_undo               SET updated_at = substr(updated_at, 1, 19) || '.000Z' WHERE length(updated_at) = 20;
UPDATE export_profiles         SET created_at = substr(created_at, 1, 19) || '.000Z' WHERE length(created_at) = 20;
UPDATE export_profiles         SET updated_at = substr(updated_at, 1, 19) || '.000Z' WHERE length(updated_at) = 20;

-- One row per deleted row of any synced table: which table, which row (its `uid`) and when.
-- A laptop that still has the row learns from this that it was deleted, not merely unseen.
CREATE TABLE tombstones (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    table_name TEXT NOT NULL,
    row_uid    TEXT NOT NULL,
    deleted_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (table_name, row_uid)
);
CREATE INDEX tombstones_deleted_at ON tombstones (deleted_at);
