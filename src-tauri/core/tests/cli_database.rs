//! The CLI and the database guard (issue 8), run on the built binary: a database held open by
//! another process is refused with exit code 3 and a German message — even after that process
//! opened and closed the database and its `-wal`/`-shm` with plain file APIs, which drops
//! SQLite's own POSIX locks — and nothing written meanwhile is lost; a new database is only
//! created in an existing folder and announced on stderr; a foreign file is refused unchanged.

mod common;

use common::{run, stderr};
use tagungsbuero_core::Store;

#[test]
fn a_database_in_use_is_refused_with_exit_code_3_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("buero.db");
    let created = run(&db, &["seed-demo"]);
    assert!(created.status.success(), "{}", stderr(&created));
    assert!(stderr(&created).contains("Neue Datenbank angelegt"));

    let mut store = Store::open(&db).unwrap();
    store
        .write(|tx| {
            Ok(tx.execute(
                "UPDATE events SET title = 'Vor dem Dialog' WHERE id = (SELECT min(id) FROM events)",
                [],
            )?)
        })
        .unwrap();
    // What a file dialog does when it sniffs the files in the database's folder.
    for name in ["buero.db", "buero.db-wal", "buero.db-shm"] {
        if let Ok(file) = std::fs::File::open(dir.path().join(name)) {
            drop(file);
        }
    }
    let wal = dir.path().join("buero.db-wal");
    assert!(wal.exists());
    let refused = run(&db, &["events", "list", "--json"]);
    assert_eq!(refused.status.code(), Some(3), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("bereits geöffnet"),
        "{}",
        stderr(&refused)
    );
    assert!(refused.stdout.is_empty());
    assert!(wal.exists(), "the refused CLI must not remove the -wal");

    store
        .write(|tx| {
            Ok(tx.execute(
                "UPDATE events SET title = 'Nach dem Dialog' WHERE id = (SELECT min(id) FROM events)",
                [],
            )?)
        })
        .unwrap();
    drop(store);
    let listed = run(&db, &["events", "list", "--json"]);
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert!(String::from_utf8_lossy(&listed.stdout).contains("Nach dem Dialog"));
}

#[test]
fn no_folder_is_created_for_a_mistyped_path() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("Tippfehler").join("buero.db");
    let out = run(&db, &["events", "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("existiert nicht"), "{}", stderr(&out));
    assert!(!dir.path().join("Tippfehler").exists());
}

#[test]
fn a_foreign_file_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("teilnehmende.xlsx");
    let content = b"PK\x03\x04 keine Datenbank, sondern eine Tabelle".repeat(100);
    std::fs::write(&db, &content).unwrap();
    let out = run(&db, &["events", "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("keine Tagungsbüro-Datenbank"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&db).unwrap(), content);
}
