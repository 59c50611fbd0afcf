-- One e-mail address belongs to at most one person (compared lower-cased and trimmed).
--
-- Databases from before this rule may hold several persons with the same address. Nothing is
-- lost: the oldest person (created first) keeps the address; on every other one it moves into
-- the notes with a hint naming the oldest, so the pair shows up among the duplicates to merge
-- ("E-Mail-Adresse … doppelt (auch bei …) – bitte zusammenführen").
UPDATE persons
SET notes = ltrim(notes || char(10) || 'E-Mail-Adresse ' || trim(email) || ' doppelt (auch bei '
        || (SELECT o.first_name || ' ' || o.last_name || ', Nr. ' || o.id FROM persons o
            WHERE o.email_key = persons.email_key ORDER BY o.created_at, o.id LIMIT 1)
        || ') – bitte zusammenführen', char(10)),
    email = '',
    updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE email_key <> ''
  AND EXISTS (SELECT 1 FROM persons o
              WHERE o.email_key = persons.email_key
                AND (o.created_at < persons.created_at
                     OR (o.created_at = persons.created_at AND o.id < persons.id)));

DROP INDEX persons_email_key;
CREATE UNIQUE INDEX persons_email_key ON persons (email_key) WHERE email_key <> '';

-- A person's history: what happened to the record itself (e.g. "zusammengeführt mit …").
-- `details` is JSON, e.g. the full data of the merged person, so a merge loses nothing.
CREATE TABLE person_history (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    person_id  INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    at         TEXT NOT NULL,
    action     TEXT NOT NULL CHECK (action IN ('zusammengefuehrt')),
    summary    TEXT NOT NULL,
    details    TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX person_history_person ON person_history (person_id, at);

-- Status-log entries of a registration that was merged into another one keep the uid of the
-- registration they were written for.
ALTER TABLE registration_status_log ADD COLUMN merged_from TEXT NOT NULL DEFAULT '';
