-- Wishes ("Ihre Wünsche für den heutigen Austausch"), their clusters on the curation board,
-- the editable topic catalogue, learned examples and the undo history of the board.
-- Conventions: integer key, unique UUID `uid`, UTC RFC 3339 `created_at` / `updated_at`.

-- A cluster of one event's board, e.g. "Ukraine" under "Länderspezifisch".
CREATE TABLE wish_clusters (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    -- Heading the cluster is grouped under; NULL: the cluster is a heading itself.
    group_label TEXT CHECK (group_label IS NULL OR length(trim(group_label)) > 0),
    label       TEXT NOT NULL CHECK (length(trim(label)) > 0),
    -- A locked cluster is final: suggestions neither add to it nor take from it.
    locked      INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
    position    INTEGER NOT NULL DEFAULT 0,
    -- catalogue: a catalogue topic or country; discovered: found among unmatched wishes;
    -- manual: created or renamed by staff (never removed automatically).
    origin      TEXT NOT NULL CHECK (origin IN ('catalogue', 'discovered', 'manual')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX wish_clusters_label ON wish_clusters (event_id, label);

CREATE TABLE wishes (
    id                   INTEGER PRIMARY KEY,
    uid                  TEXT NOT NULL UNIQUE,
    event_id             INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    -- The registration the wish came with, when known.
    registration_id      INTEGER REFERENCES registrations (id) ON DELETE SET NULL,
    text                 TEXT NOT NULL CHECK (length(trim(text)) > 0),
    cluster_id           INTEGER REFERENCES wish_clusters (id) ON DELETE SET NULL,
    -- auto: put there by a suggestion run; manual: put there by staff (never overwritten).
    assignment           TEXT CHECK (assignment IN ('auto', 'manual')),
    -- Confidence of the automatic suggestion (0–1).
    score                REAL,
    second_cluster_label TEXT,
    position             INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX wishes_event ON wishes (event_id, position);
CREATE INDEX wishes_cluster ON wishes (cluster_id);
CREATE INDEX wishes_registration ON wishes (registration_id);

-- The office's topic catalogue; empty until first edited (then the default from
-- seeds/topics.toml is copied in). One catalogue per database.
CREATE TABLE wish_topics (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    key         TEXT NOT NULL UNIQUE CHECK (length(trim(key)) > 0),
    group_label TEXT CHECK (group_label IS NULL OR length(trim(group_label)) > 0),
    label       TEXT NOT NULL CHECK (length(trim(label)) > 0),
    priority    INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 100),
    -- One keyword or phrase per line (syntax of seeds/topics.toml).
    keywords    TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX wish_topics_label ON wish_topics (label COLLATE NOCASE);

-- The catalogue's settings (at most one row, present once the catalogue was copied in).
CREATE TABLE wish_catalogue_settings (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    uid              TEXT NOT NULL UNIQUE,
    -- Display order of the top-level headings, one per line.
    sections         TEXT NOT NULL DEFAULT '',
    fallback         TEXT NOT NULL CHECK (length(trim(fallback)) > 0),
    -- Group of the country clusters; NULL: no country clusters.
    country_group    TEXT,
    country_priority INTEGER NOT NULL DEFAULT 80 CHECK (country_priority BETWEEN 0 AND 100),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

-- Curated wishes of finished events: examples of their topics for later suggestions.
CREATE TABLE learned_examples (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    text            TEXT NOT NULL,
    cluster_label   TEXT NOT NULL,
    group_label     TEXT,
    source_event_id INTEGER REFERENCES events (id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX learned_examples_event ON learned_examples (source_event_id);

-- When staff finished ("abschließen") the curation of an event's wishes.
CREATE TABLE wish_curations (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    event_id    INTEGER NOT NULL UNIQUE REFERENCES events (id) ON DELETE CASCADE,
    finished_at TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Undo history of the board: the event's clusters and wishes before each action (JSON).
CREATE TABLE wish_undo (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    action     TEXT NOT NULL,
    snapshot   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX wish_undo_event ON wish_undo (event_id, id);
