-- Imports (issue 9): runs with their source rows (fingerprints make a second import of the
-- same file add nothing; the rows tell undo what the run created), saved column mappings,
-- display names remembered for persons, and online minutes on attendance marks.

-- Minutes of online attendance (union of join–leave intervals), NULL for marks from the desk;
-- first join and last leave (UTC) for the Teilnahmenachweis (online).
ALTER TABLE attendance ADD COLUMN minutes INTEGER CHECK (minutes IS NULL OR minutes >= 0);
ALTER TABLE attendance ADD COLUMN joined_at TEXT;
ALTER TABLE attendance ADD COLUMN left_at TEXT;

CREATE TABLE import_runs (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    target       TEXT NOT NULL CHECK (target IN ('contacts', 'registrations', 'attendance')),
    importer_id  TEXT NOT NULL,
    event_id     INTEGER REFERENCES events (id) ON DELETE CASCADE,
    file_name    TEXT NOT NULL DEFAULT '',
    records      INTEGER NOT NULL DEFAULT 0,
    imported     INTEGER NOT NULL DEFAULT 0,
    -- Set when the run was undone; its rows are deleted then.
    undone_at    TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

-- One applied source row: its fingerprint and what it created or changed.
CREATE TABLE import_rows (
    id                   INTEGER PRIMARY KEY,
    uid                  TEXT NOT NULL UNIQUE,
    run_id               INTEGER NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
    record               INTEGER NOT NULL,
    line                 INTEGER NOT NULL,
    -- SHA-256 over target, event and the row's normalised cells.
    fingerprint          TEXT NOT NULL,
    person_id            INTEGER REFERENCES persons (id) ON DELETE SET NULL,
    person_created       INTEGER NOT NULL DEFAULT 0 CHECK (person_created IN (0, 1)),
    organisation_id      INTEGER REFERENCES organisations (id) ON DELETE SET NULL,
    registration_id      INTEGER REFERENCES registrations (id) ON DELETE SET NULL,
    registration_created INTEGER NOT NULL DEFAULT 0 CHECK (registration_created IN (0, 1)),
    -- JSON: person fields filled where empty ({"field": previous value}), or the attendance
    -- mark before the import.
    previous             TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(previous)),
    -- JSON: what the row said about consent ({"privacy": true, "photo": false, …}).
    consents             TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(consents)),
    -- updated_at of the touched person / registration right after the import, so undo can
    -- tell whether anything else changed them since.
    person_updated_at    TEXT,
    registration_updated_at TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX import_rows_run ON import_rows (run_id);
CREATE INDEX import_rows_fingerprint ON import_rows (fingerprint);

-- Named column mappings ("Anmeldeformular Website"), offered again for the same header row.
CREATE TABLE import_mappings (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    target      TEXT NOT NULL CHECK (target IN ('contacts', 'registrations', 'attendance')),
    name        TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(name)) > 0),
    -- Folded headers joined with '|'.
    header_row  TEXT NOT NULL,
    -- JSON object: folded header → field id.
    fields      TEXT NOT NULL CHECK (json_valid(fields) AND json_type(fields) = 'object'),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (target, name)
);
CREATE INDEX import_mappings_header ON import_mappings (target, header_row);

-- Display names of video conferences matched to a person by hand ("iPad von Anna").
CREATE TABLE person_aliases (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    person_id   INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    alias       TEXT NOT NULL CHECK (length(trim(alias)) > 0),
    -- Folded alias without parenthesised suffixes.
    alias_key   TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX person_aliases_person ON person_aliases (person_id);
