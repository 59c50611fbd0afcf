-- The office's settings ("Einstellungen"): one row. The organisation's name and address are the
-- organiser and letterhead of lists, the funding line the default Förderhinweis of new events,
-- `retention_months` the default period after an event's end until its personal data is due for
-- deletion, `backup_folder` where backups go (NULL: the `Sicherungen` folder in the app data dir)
-- and `backup_encrypted` whether they are encrypted with the passphrase kept in the OS
-- credential store (never here).
-- The row's uid is fixed, so the one settings row of two laptops is the same record for sync.
CREATE TABLE office_settings (
    id                   INTEGER PRIMARY KEY CHECK (id = 1),
    uid                  TEXT NOT NULL UNIQUE,
    organisation_name    TEXT NOT NULL,
    organisation_address TEXT NOT NULL DEFAULT '',
    funding_note         TEXT NOT NULL DEFAULT '',
    retention_months     INTEGER NOT NULL DEFAULT 24 CHECK (retention_months BETWEEN 1 AND 240),
    backup_folder        TEXT,
    backup_encrypted     INTEGER NOT NULL DEFAULT 0 CHECK (backup_encrypted IN (0, 1)),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);

INSERT INTO office_settings (id, uid, organisation_name, created_at, updated_at)
VALUES (
    1,
    '5e771095-0f1c-5e77-9a5e-000000000001',
    'Netzwerkstelle Städtepartnerschaften NRW, Auslandsgesellschaft.de e.V.',
    strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
    strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
);
