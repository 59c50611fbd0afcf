-- The letterhead's optional images (Einstellungen → Briefkopf): the office's logo and a
-- signature image, chosen by the user as PNG, JPEG or SVG (checked and size-limited by
-- documents::letterhead). At most one per kind.
CREATE TABLE letterhead_images (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL UNIQUE CHECK (kind IN ('logo', 'signature')),
    mime TEXT NOT NULL CHECK (mime IN ('image/png', 'image/jpeg', 'image/svg+xml')),
    file_name TEXT NOT NULL,
    bytes BLOB NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
