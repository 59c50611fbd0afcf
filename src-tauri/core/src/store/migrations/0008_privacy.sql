-- Datenschutz (issue 10): consent records, a deletion date per event, anonymous registrations
-- and the deletion log.
--
-- Runs with foreign keys switched off (the store turns them on after migrating and checks them
-- after this migration), as SQLite's 12-step table rebuild requires: with them on, dropping the
-- old `registrations` would cascade into status log, attendance and workshops.

-- 1. Registrations may outlive their person: the shredder and Art. 17 erasure keep an anonymous
--    registration (status, role, source, first time, attendance, workshops, wishes) without a
--    person. `organisation_id` keeps the organisation the registration counts for once the
--    person is gone; statistics read COALESCE(persons.organisation_id,
--    registrations.organisation_id) so counts are the same before and after.
CREATE TABLE registrations_new (
    id                INTEGER PRIMARY KEY,
    uid               TEXT NOT NULL UNIQUE,
    event_id          INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    person_id         INTEGER REFERENCES persons (id) ON DELETE CASCADE,
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
    organisation_id   INTEGER REFERENCES organisations (id) ON DELETE SET NULL,
    UNIQUE (event_id, person_id)
);
INSERT INTO registrations_new (id, uid, event_id, person_id, status, waitlist_position,
                               cancel_reason, role, source, first_time, needs_attention, comment,
                               registered_at, created_at, updated_at)
SELECT id, uid, event_id, person_id, status, waitlist_position, cancel_reason, role, source,
       first_time, needs_attention, comment, registered_at, created_at, updated_at
FROM registrations;
DROP TABLE registrations;
ALTER TABLE registrations_new RENAME TO registrations;
CREATE INDEX registrations_person ON registrations (person_id);
CREATE INDEX registrations_event_status ON registrations (event_id, status);
CREATE INDEX registrations_organisation ON registrations (organisation_id);

-- 2. Consent per person and purpose: the current state, since when and how it was recorded.
CREATE TABLE consents (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    person_id  INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL
               CHECK (purpose IN ('datenschutz', 'fotos', 'teilnehmendenliste', 'einladungen')),
    state      TEXT NOT NULL CHECK (state IN ('erteilt', 'widerrufen')),
    -- Europe/Berlin calendar date (YYYY-MM-DD) the consent was given or withdrawn.
    given_on   TEXT NOT NULL,
    source     TEXT NOT NULL CHECK (source IN ('formular', 'import', 'telefon', 'email', 'vor_ort')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (person_id, purpose)
);

-- 3. Retention per event: `deletion_date` overrides the date derived from the default retention
--    period (Europe/Berlin date); `personal_data_deleted_at` (UTC) is set by the shredder.
ALTER TABLE events ADD COLUMN deletion_date TEXT;
ALTER TABLE events ADD COLUMN personal_data_deleted_at TEXT;

-- 4. What was deleted, when and how much — never who.
CREATE TABLE deletion_log (
    id                       INTEGER PRIMARY KEY,
    uid                      TEXT NOT NULL UNIQUE,
    at                       TEXT NOT NULL,
    -- veranstaltung: the shredder of one event; person: an Art. 17 erasure.
    kind                     TEXT NOT NULL CHECK (kind IN ('veranstaltung', 'person')),
    event_id                 INTEGER REFERENCES events (id) ON DELETE SET NULL,
    registrations_anonymised INTEGER NOT NULL DEFAULT 0,
    persons_removed          INTEGER NOT NULL DEFAULT 0,
    persons_anonymised       INTEGER NOT NULL DEFAULT 0,
    created_at               TEXT NOT NULL,
    updated_at               TEXT NOT NULL
);
CREATE INDEX deletion_log_event ON deletion_log (event_id);
