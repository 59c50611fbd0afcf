//! Other laptops of the office's team for the sync tests: a database driven through the CLI
//! stands in for a second laptop, its sync file for the USB stick.

use std::path::{Path, PathBuf};

use crate::{cli, create_event};

/// Writes `db`'s sync file (all its changes) to `out` through the CLI.
pub fn export(db: &Path, out: &Path) {
    cli(db, &["sync", "export", "--out", &out.display().to_string()]);
}

/// Reads the sync file `file` into `db` through the CLI (`sync import --json`).
pub fn import(db: &Path, file: &Path) -> serde_json::Value {
    let out = cli(
        db,
        &[
            "sync",
            "import",
            "--file",
            &file.display().to_string(),
            "--json",
        ],
    );
    serde_json::from_str(&out).expect("JSON from sync import")
}

/// Registers a new person with `email` for `event` through the CLI.
pub fn register(db: &Path, event: i64, email: &str, first: &str, last: &str) {
    cli(
        db,
        &[
            "register",
            "--event",
            &event.to_string(),
            "--email",
            email,
            "--first-name",
            first,
            "--last-name",
            last,
        ],
    );
}

/// Sets the Ort of the person with `email` (empty before) by a contacts import.
pub fn set_ort(db: &Path, email: &str, first: &str, last: &str, ort: &str) {
    let csv = db.with_extension(format!("{ort}.csv"));
    std::fs::write(
        &csv,
        format!("Vorname;Nachname;E-Mail;Ort\n{first};{last};{email};{ort}\n"),
    )
    .expect("write contacts file");
    cli(
        db,
        &["import", "contacts", "--file", &csv.display().to_string()],
    );
}

/// Two laptops that worked apart and now disagree. `office` (the app's database, the
/// Anmeldestelle of the event "Sommerakademie 2099" with one place) and a desk laptop in `dir`
/// both gave that place away (to Erika Muster and, later, Max Beispiel) and both filled in
/// Hans Weber's Ort (Aachen here, Bonn there). Returns the desk's sync file and database.
pub fn disagreeing(office: &Path, dir: &Path) -> (PathBuf, PathBuf) {
    let desk = dir.join("einlass.db");
    let event = create_event(
        office,
        &[
            "--title",
            "Sommerakademie 2099",
            "--starts-at",
            "2099-07-10 10:00",
            "--ends-at",
            "2099-07-10 16:00",
            "--capacity",
            "1",
        ],
    );
    let forum = create_event(
        office,
        &[
            "--title",
            "Forum 2099",
            "--starts-at",
            "2099-05-05 10:00",
            "--ends-at",
            "2099-05-05 12:00",
        ],
    );
    register(office, forum, "hans@example.org", "Hans", "Weber");
    let start = dir.join("start.abgleich");
    export(office, &start);
    import(&desk, &start);
    register(office, event, "erika@example.org", "Erika", "Muster");
    register(
        &desk,
        event_on(&desk, "Sommerakademie 2099"),
        "max@example.org",
        "Max",
        "Beispiel",
    );
    set_ort(office, "hans@example.org", "Hans", "Weber", "Aachen");
    set_ort(&desk, "hans@example.org", "Hans", "Weber", "Bonn");
    let file = dir.join("einlass.abgleich");
    export(&desk, &file);
    (file, desk)
}

/// The id of the event titled `title` in `db`.
pub fn event_on(db: &Path, title: &str) -> i64 {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open database");
    conn.query_row("SELECT id FROM events WHERE title = ?1", [title], |r| {
        r.get(0)
    })
    .expect("event by title")
}
