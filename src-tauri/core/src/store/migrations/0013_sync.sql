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
-- last in contact, and the key of the paired device.
CREATE TABLE sync_peers (
    laptop_id    TEXT PRIMARY KEY,
    name         TEXT NOT NULL DEFAULT '',
    node_key     TEXT,
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
