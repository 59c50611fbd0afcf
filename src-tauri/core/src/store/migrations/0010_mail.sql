-- E-mail to participants: the office's mail server, templates, per-event sending and the outbox.
-- The SMTP password is never stored here (operating system's credential store only).

-- The office's mail server and sender (one row, id = 1).
CREATE TABLE mail_settings (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    uid            TEXT NOT NULL UNIQUE,
    smtp_host      TEXT NOT NULL DEFAULT '',
    smtp_port      INTEGER NOT NULL DEFAULT 587 CHECK (smtp_port BETWEEN 1 AND 65535),
    -- 'plain' (no encryption) is accepted only for a server on this computer (a test server).
    security       TEXT NOT NULL DEFAULT 'starttls' CHECK (security IN ('starttls', 'tls', 'plain')),
    smtp_user      TEXT NOT NULL DEFAULT '',
    sender_name    TEXT NOT NULL DEFAULT '',
    sender_address TEXT NOT NULL DEFAULT '',
    reply_to       TEXT NOT NULL DEFAULT '',
    -- "Kontakt der Netzwerkstelle": the signature block of every message.
    office_contact TEXT NOT NULL DEFAULT '',
    -- Messages per minute the server accepts.
    per_minute     INTEGER NOT NULL DEFAULT 30 CHECK (per_minute BETWEEN 1 AND 600),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- How an event's messages go out: 'automatisch' (queued ready to send), 'freigabe' (each waits
-- for the office's release) or 'aus' (nothing is queued). No row means 'automatisch'.
CREATE TABLE mail_event_settings (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    event_id   INTEGER NOT NULL UNIQUE REFERENCES events (id) ON DELETE CASCADE,
    mode       TEXT NOT NULL DEFAULT 'automatisch' CHECK (mode IN ('automatisch', 'freigabe', 'aus')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Templates changed by the office: office-wide (event_id NULL) or for one event. Without a row
-- the default from seeds/mail/ applies.
CREATE TABLE mail_templates (
    id               INTEGER PRIMARY KEY,
    uid              TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL,
    event_id         INTEGER REFERENCES events (id) ON DELETE CASCADE,
    salutation_style TEXT NOT NULL DEFAULT 'foermlich' CHECK (salutation_style IN ('foermlich', 'persoenlich')),
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE UNIQUE INDEX mail_templates_scope ON mail_templates (kind, ifnull(event_id, 0));

-- One row per message. `occasion` says what caused it and is unique, so an occasion can never
-- queue two messages: for a status change it is the uid of the registration_status_log row.
-- Recipient, subject and text are rendered when the message is sent (a corrected address or
-- template still applies) and kept as sent.
CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    occasion        TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    event_id        INTEGER REFERENCES events (id) ON DELETE CASCADE,
    person_id       INTEGER REFERENCES persons (id) ON DELETE CASCADE,
    registration_id INTEGER REFERENCES registrations (id) ON DELETE SET NULL,
    state           TEXT NOT NULL
                    CHECK (state IN ('freigabe', 'wartet', 'sendet', 'gesendet', 'fehlgeschlagen', 'ueberholt', 'verworfen')),
    queued_at       TEXT NOT NULL,
    recipient       TEXT NOT NULL DEFAULT '',
    subject         TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL DEFAULT '',
    message_id      TEXT NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0,
    -- Earliest automatic retry after a temporary failure (UTC); NULL: no automatic retry.
    next_attempt_at TEXT,
    last_error      TEXT NOT NULL DEFAULT '',
    sent_at         TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX mail_outbox_state ON mail_outbox (state, queued_at);
CREATE INDEX mail_outbox_person ON mail_outbox (person_id, queued_at);
CREATE INDEX mail_outbox_registration ON mail_outbox (registration_id);

-- Queueing happens in the same transaction as the status change, whatever code path changed
-- it: every change is logged in registration_status_log, and this trigger turns the log row
-- into a message. Only events that have not ended and are not cancelled; nothing for events
-- whose mode is 'aus'. Whether a queued message is still needed when it is sent (the status
-- moved on, the person is already in the room) is decided by the sender (mail::outbox).
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
      AND e.ends_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now');
END;

-- A registration moved to another person (merging contacts) takes its messages along, so the
-- history stays on the person.
CREATE TRIGGER mail_outbox_follow_person AFTER UPDATE OF person_id ON registrations
WHEN new.person_id IS NOT old.person_id
BEGIN
    UPDATE mail_outbox SET person_id = new.person_id WHERE registration_id = new.id;
END;
