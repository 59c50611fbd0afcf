-- Settings of an event's wishes presentation. `show_general`: the catalogue's fallback cluster
-- ("Allgemein": non-answers such as "keine", "mal schauen") is shown only when set.
CREATE TABLE wish_presentation_settings (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    event_id     INTEGER NOT NULL UNIQUE REFERENCES events (id) ON DELETE CASCADE,
    show_general INTEGER NOT NULL DEFAULT 0 CHECK (show_general IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
