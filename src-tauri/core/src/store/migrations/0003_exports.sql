-- Saved export profiles: a named choice of columns and options per exporter
-- ("Teilnehmendenliste für die Presse", "Anwesenheitsliste hochkant").

CREATE TABLE export_profiles (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    -- Exporter id from the registry ("participants", "attendance", "wishes").
    exporter_id TEXT NOT NULL CHECK (length(trim(exporter_id)) > 0),
    -- Compared without case: "Presse" and "presse" are the same profile.
    name        TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(name)) > 0),
    -- The complete, validated options as a JSON object.
    options     TEXT NOT NULL CHECK (json_valid(options) AND json_type(options) = 'object'),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (exporter_id, name)
);
