-- Events, organisations, persons, registrations, workshops and attendance.
-- Conventions: every table has an integer key, a unique UUID `uid` and UTC RFC 3339
-- `created_at` / `updated_at` (later work syncs laptops by them).

CREATE TABLE events (
    id                    INTEGER PRIMARY KEY,
    uid                   TEXT NOT NULL UNIQUE,
    title                 TEXT NOT NULL CHECK (length(trim(title)) > 0),
    series                TEXT NOT NULL CHECK (series IN ('forum', 'tag', 'training', 'other')),
    number                INTEGER CHECK (number IS NULL OR number > 0),
    -- Instants in UTC (RFC 3339); the wall-clock time is Europe/Berlin.
    starts_at             TEXT NOT NULL,
    ends_at               TEXT NOT NULL,
    format                TEXT NOT NULL CHECK (format IN ('online', 'praesenz', 'hybrid')),
    venue                 TEXT NOT NULL DEFAULT '',
    online_link           TEXT NOT NULL DEFAULT '',
    capacity              INTEGER CHECK (capacity IS NULL OR capacity >= 0),
    -- Last day of registration, a Europe/Berlin calendar date (YYYY-MM-DD).
    registration_deadline TEXT,
    description           TEXT NOT NULL DEFAULT '',
    status                TEXT NOT NULL DEFAULT 'geplant'
                          CHECK (status IN ('geplant', 'offen', 'geschlossen', 'abgeschlossen', 'abgesagt')),
    organiser             TEXT NOT NULL DEFAULT '',
    funding_note          TEXT NOT NULL DEFAULT '',
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX events_starts_at ON events (starts_at);

CREATE TABLE organisations (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind       TEXT NOT NULL DEFAULT 'sonstige'
               CHECK (kind IN ('kommune', 'kreis', 'verein', 'land', 'stiftung', 'bildung', 'sonstige')),
    ort        TEXT NOT NULL DEFAULT '',
    kreis      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX organisations_name ON organisations (name COLLATE NOCASE);

-- Partner towns of an organisation, e.g. Hürth – Peremyshlyany (Ukraine).
CREATE TABLE partner_towns (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    town            TEXT NOT NULL CHECK (length(trim(town)) > 0),
    country         TEXT NOT NULL DEFAULT '',
    position        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX partner_towns_organisation ON partner_towns (organisation_id, position);

CREATE TABLE persons (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    salutation      TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL DEFAULT '',
    first_name      TEXT NOT NULL CHECK (length(trim(first_name)) > 0),
    last_name       TEXT NOT NULL CHECK (length(trim(last_name)) > 0),
    function        TEXT NOT NULL DEFAULT '',
    organisation_id INTEGER REFERENCES organisations (id) ON DELETE SET NULL,
    ort             TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    -- lower-cased, trimmed e-mail; the duplicate check and CLI look-ups use it.
    email_key       TEXT GENERATED ALWAYS AS (lower(trim(email))) STORED,
    phone           TEXT NOT NULL DEFAULT '',
    notes           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX persons_email_key ON persons (email_key) WHERE email_key <> '';
CREATE INDEX persons_name ON persons (last_name COLLATE NOCASE, first_name COLLATE NOCASE);
CREATE INDEX persons_organisation ON persons (organisation_id);

-- Type-ahead index: rowid = persons.id, maintained by the triggers below.
-- unicode61 with remove_diacritics folds "Müller" to "muller"; `alt` holds the
-- German transliteration ("mueller") so both spellings find the person.
CREATE VIRTUAL TABLE persons_fts USING fts5 (
    name, organisation, ort, email, alt,
    tokenize = "unicode61 remove_diacritics 2",
    -- Prefix indexes make the first keystrokes ("m", "mü", "mül") index look-ups.
    prefix = '1 2 3'
);

CREATE TABLE registrations (
    id                INTEGER PRIMARY KEY,
    uid               TEXT NOT NULL UNIQUE,
    event_id          INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    person_id         INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    status            TEXT NOT NULL
                      CHECK (status IN ('angemeldet', 'warteliste', 'nachgerueckt', 'storniert', 'abgelehnt')),
    -- 1-based place on the waiting list; set exactly when status = 'warteliste'.
    waitlist_position INTEGER CHECK ((status = 'warteliste') = (waitlist_position IS NOT NULL)),
    cancel_reason     TEXT NOT NULL DEFAULT '',
    role              TEXT NOT NULL DEFAULT 'teilnehmer'
                      CHECK (role IN ('teilnehmer', 'referent', 'organisation', 'presse', 'gast')),
    source            TEXT NOT NULL DEFAULT 'formular'
                      CHECK (source IN ('formular', 'telefon_email', 'import', 'vor_ort')),
    first_time        INTEGER NOT NULL DEFAULT 0 CHECK (first_time IN (0, 1)),
    needs_attention   INTEGER NOT NULL DEFAULT 0 CHECK (needs_attention IN (0, 1)),
    comment           TEXT NOT NULL DEFAULT '',
    registered_at     TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (event_id, person_id)
);
CREATE INDEX registrations_person ON registrations (person_id);
CREATE INDEX registrations_event_status ON registrations (event_id, status);

-- Every status change: when, from, to, why.
CREATE TABLE registration_status_log (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    changed_at      TEXT NOT NULL,
    from_status     TEXT,
    to_status       TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX registration_status_log_registration ON registration_status_log (registration_id);

-- Workshops / parallel sessions inside an event.
CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    starts_at  TEXT NOT NULL,
    ends_at    TEXT NOT NULL,
    room       TEXT NOT NULL DEFAULT '',
    capacity   INTEGER CHECK (capacity IS NULL OR capacity >= 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX sessions_event ON sessions (event_id, starts_at);

CREATE TABLE registration_sessions (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    session_id      INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (registration_id, session_id)
);
CREATE INDEX registration_sessions_session ON registration_sessions (session_id);

-- Attendance, separate from the registration status: per event day and optionally per session.
CREATE TABLE attendance (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    day             TEXT NOT NULL,
    session_id      INTEGER REFERENCES sessions (id) ON DELETE CASCADE,
    state           TEXT NOT NULL CHECK (state IN ('anwesend', 'abwesend', 'entschuldigt')),
    recorded_at     TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX attendance_scope ON attendance (registration_id, day, ifnull(session_id, 0));

-- Keep the type-ahead index in step with persons and organisations.
CREATE TRIGGER persons_fts_insert AFTER INSERT ON persons BEGIN
    INSERT INTO persons_fts (rowid, name, organisation, ort, email, alt)
    SELECT new.id, new.first_name || ' ' || new.last_name, ifnull(o.name, ''), new.ort, new.email,
           replace(replace(replace(replace(replace(replace(replace(new.first_name || ' ' || new.last_name || ' ' || ifnull(o.name, '') || ' ' || new.ort, 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'Ä', 'Ae'), 'Ö', 'Oe'), 'Ü', 'Ue'), 'ß', 'ss')
    FROM (SELECT 1) LEFT JOIN organisations o ON o.id = new.organisation_id;
END;
CREATE TRIGGER persons_fts_update AFTER UPDATE ON persons BEGIN
    DELETE FROM persons_fts WHERE rowid = old.id;
    INSERT INTO persons_fts (rowid, name, organisation, ort, email, alt)
    SELECT new.id, new.first_name || ' ' || new.last_name, ifnull(o.name, ''), new.ort, new.email,
           replace(replace(replace(replace(replace(replace(replace(new.first_name || ' ' || new.last_name || ' ' || ifnull(o.name, '') || ' ' || new.ort, 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'Ä', 'Ae'), 'Ö', 'Oe'), 'Ü', 'Ue'), 'ß', 'ss')
    FROM (SELECT 1) LEFT JOIN organisations o ON o.id = new.organisation_id;
END;
CREATE TRIGGER persons_fts_delete AFTER DELETE ON persons BEGIN
    DELETE FROM persons_fts WHERE rowid = old.id;
END;
CREATE TRIGGER organisations_fts_update AFTER UPDATE OF name ON organisations BEGIN
    UPDATE persons SET updated_at = updated_at WHERE organisation_id = new.id;
END;
