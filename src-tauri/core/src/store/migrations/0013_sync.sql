-- Laptop sync (issue 14): the replication bookkeeping of this laptop. None of these tables is
-- replicated itself; they have no `uid`/`updated_at` on purpose (no stamps, no tombstones).
--
-- The business tables are replicated through an Automerge document whose changes are stored
-- here, one row per change, written in the same transaction as the rows they describe.

-- Rows of replicated tables changed by a local write and not yet turned into a change. Filled
-- by triggers (`store::capture`), emptied by the sync layer before the same transaction commits.
CREATE TABLE sync_pending (
    table_name TEXT NOT NULL,
    row_uid    TEXT NOT NULL,
    PRIMARY KEY (table_name, row_uid)
) WITHOUT ROWID;

-- The replicated log: every Automerge change this laptop knows (its own and others'), or a
-- compacted document that replaces many of them (`kind` 'snapshot').
CREATE TABLE sync_chunks (
    id         INTEGER PRIMARY KEY,
    hash       TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL CHECK (kind IN ('local', 'remote', 'snapshot')),
    bytes      BLOB NOT NULL,
    created_at TEXT NOT NULL
);

-- Small facts of this laptop: its id, whether the existing rows were taken into the log, and
-- the marker `applying` that exists only while remote changes are written into the tables.
CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- The other laptops of the team: what they are known to have (Automerge heads), when they were
-- last in contact, and — for a paired laptop — its public node key (iroh endpoint id, the only
-- key that may connect as it) and the address it was last reached at. Never a secret key.
CREATE TABLE sync_peers (
    laptop_id    TEXT PRIMARY KEY,
    name         TEXT NOT NULL DEFAULT '',
    node_key     TEXT UNIQUE,
    address      TEXT,
    heads        TEXT NOT NULL DEFAULT '[]',
    last_contact TEXT,
    paired_at    TEXT
) WITHOUT ROWID;

-- What needs a person: two values for one field, a row that cannot be shown (its parent was
-- deleted on another laptop, or it doubles a unique value), places over the capacity.
CREATE TABLE sync_conflicts (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    table_name  TEXT NOT NULL,
    row_uid     TEXT NOT NULL,
    column_name TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL,
    found_at    TEXT NOT NULL,
    resolved_at TEXT,
    UNIQUE (kind, table_name, row_uid, column_name)
);

-- Rows alive in the document that are not in their table (see `sync_conflicts`); tried again
-- after every exchange.
CREATE TABLE sync_unmaterialised (
    table_name TEXT NOT NULL,
    row_uid    TEXT NOT NULL,
    reason     TEXT NOT NULL,
    PRIMARY KEY (table_name, row_uid)
) WITHOUT ROWID;

-- E-mail stays with the laptop whose action caused it: `mail_outbox` is not replicated
-- (`store::capture::LOCAL_TABLES`), and a status change that arrives from another laptop
-- (written while `sync_state.applying` exists) queues nothing here — that laptop queued the
-- message itself. So no message is ever queued, let alone sent, twice.
DROP TRIGGER mail_queue_status_change;
CREATE TRIGGER mail_queue_status_change AFTER INSERT ON registration_status_log
WHEN new.from_status IS NOT new.to_status
 AND new.to_status IN ('angemeldet', 'warteliste', 'nachgerueckt', 'storniert')
BEGIN
    INSERT OR IGNORE INTO mail_outbox (uid, occasion, kind, event_id, person_id, registration_id,
                                       state, queued_at, created_at, updated_at)
    SELECT lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4'
               || substr(lower(hex(randomblob(2))), 2) || '-'
               || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2)
               || '-' || lower(hex(randomblob(6))),
           new.uid,
           CASE new.to_status
               WHEN 'angemeldet' THEN 'anmeldebestaetigung'
               WHEN 'warteliste' THEN 'warteliste'
               WHEN 'nachgerueckt' THEN 'nachgerueckt'
               ELSE 'stornierung'
           END,
           r.event_id, r.person_id, r.id,
           CASE ifnull(s.mode, 'automatisch') WHEN 'freigabe' THEN 'freigabe' ELSE 'wartet' END,
           strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
           strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
           strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    FROM registrations r
    JOIN events e ON e.id = r.event_id
    LEFT JOIN mail_event_settings s ON s.event_id = e.id
    WHERE r.id = new.registration_id
      AND ifnull(s.mode, 'automatisch') <> 'aus'
      AND e.status <> 'abgesagt'
      AND e.ends_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
      AND NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'applying');
END;

-- The office settings' one row has a fixed uid on every laptop; its stamps are the same too as
-- long as nobody changed it, so two fresh laptops hold the identical row (no difference to
-- merge, none to list). `applying` keeps the stamp trigger from moving `updated_at` to now.
INSERT INTO sync_state (key, value) VALUES ('applying', '1');
UPDATE office_settings SET created_at = '2026-01-01T00:00:00.000Z', updated_at = '2026-01-01T00:00:00.000Z'
WHERE uid = '5e771095-0f1c-5e77-9a5e-000000000001' AND created_at = updated_at;
DELETE FROM sync_state WHERE key = 'applying';
