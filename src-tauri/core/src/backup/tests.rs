use std::path::Path;

use rusqlite::types::Value;

use super::*;
use crate::people::{self, PersonInput};

/// Every table's rows as text, sorted: equal dumps mean equal table contents.
fn dump(conn: &Connection) -> Vec<String> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let columns = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |row| {
                let values: Vec<Value> =
                    (0..columns).map(|i| row.get(i)).collect::<Result<_, _>>()?;
                Ok(format!("{table}: {values:?}"))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        out.extend(rows);
    }
    out
}

fn add_person(store: &mut Store, first: &str, email: &str) {
    store
        .write(|tx| {
            people::create_person(
                tx,
                &PersonInput {
                    first_name: first.to_owned(),
                    last_name: "Muster".to_owned(),
                    email: email.to_owned(),
                    ..PersonInput::default()
                },
            )
        })
        .unwrap();
}

fn store_with_people(dir: &Path) -> Store {
    let mut store = Store::open(&dir.join("tagungsbuero.db")).unwrap();
    add_person(&mut store, "Anna", "anna@example.org");
    add_person(&mut store, "Bernd", "bernd@example.org");
    store
}

fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn passphrase() -> Passphrase {
    Passphrase::new("Partnerstadt-Kennwort".to_owned()).unwrap()
}

#[test]
fn a_backup_is_listed_with_counts_and_restores_byte_identical_tables() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("Sicherungen");
    fs::create_dir(&folder).unwrap();
    let mut store = store_with_people(dir.path());
    let before = dump(store.connection());
    let info = back_up_into(&store, &folder, None).unwrap();
    assert!(info.file_name.starts_with(PREFIX) && info.file_name.ends_with(".db"));
    assert_eq!(
        info.counts,
        Some(BackupCounts {
            events: 0,
            persons: 2,
            registrations: 0
        })
    );
    assert!(info.checked && !info.encrypted);
    assert_eq!(info.app_version.as_deref(), Some(env!("CARGO_PKG_VERSION")));
    assert_eq!(
        names_in(&folder),
        [info.file_name.clone(), format!("{}.json", info.file_name)]
    );
    assert_eq!(list(&folder).unwrap(), std::slice::from_ref(&info));
    let manifest = fs::read_to_string(folder.join(format!("{}.json", info.file_name))).unwrap();
    assert!(
        !manifest.contains("anna"),
        "the manifest holds no personal data"
    );

    // Later changes are undone by the restore; the store goes on with the restored data.
    add_person(&mut store, "Clara", "clara@example.org");
    let report = restore(&mut store, Path::new(&info.path), None).unwrap();
    assert_eq!(dump(store.connection()), before);
    let kept = PathBuf::from(report.kept_as.expect("the replaced database is kept"));
    let kept_name = file_name(&kept);
    assert!(
        kept_name.starts_with("tagungsbuero.vor-wiederherstellung-"),
        "{kept_name}"
    );
    assert!(kept_name.ends_with(".db"));
    let kept_conn = Connection::open(&kept).unwrap();
    assert_eq!(counts(&kept_conn).unwrap().persons, 3);
    drop(kept_conn);
    assert_eq!(store.file_state(), crate::store::FileState::Present);
    add_person(&mut store, "Dora", "dora@example.org");
    // The lock was held throughout: no second opener.
    assert!(matches!(
        Store::open(&dir.path().join("tagungsbuero.db")),
        Err(CoreError::DatabaseInUse { .. })
    ));
    drop(store);
    let reopened = Store::open(&dir.path().join("tagungsbuero.db")).unwrap();
    assert_eq!(counts(reopened.connection()).unwrap().persons, 3);
}

#[test]
fn an_encrypted_backup_needs_its_passphrase_and_never_lies_plain_in_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("stick");
    fs::create_dir(&folder).unwrap();
    let mut store = store_with_people(dir.path());
    let before = dump(store.connection());
    let info = back_up_into(&store, &folder, Some(&passphrase())).unwrap();
    assert!(info.encrypted && info.file_name.ends_with(".db.age"));
    assert_eq!(
        names_in(&folder),
        [info.file_name.clone(), format!("{}.json", info.file_name)]
    );
    let bytes = fs::read(&info.path).unwrap();
    assert!(bytes.starts_with(AGE_MAGIC));
    assert!(!String::from_utf8_lossy(&bytes).contains("anna@example.org"));
    // No plain staging file left next to the database either.
    assert!(
        names_in(dir.path()).iter().all(|n| !n.ends_with(".tmp")),
        "{:?}",
        names_in(dir.path())
    );

    let path = PathBuf::from(&info.path);
    let missing = restore(&mut store, &path, None).unwrap_err();
    assert!(missing.to_string().contains("verschlüsselt"), "{missing}");
    let wrong = Passphrase::new("falsches Kennwort".to_owned()).unwrap();
    let err = restore(&mut store, &path, Some(&wrong)).unwrap_err();
    assert!(err.to_string().contains("Kennwort passt nicht"), "{err}");
    add_person(&mut store, "Clara", "clara@example.org");
    // A file picked without its manifest: the counts come from the decrypted contents.
    fs::remove_file(manifest_path(&path)).unwrap();
    let inspected = inspect(&store, &path, Some(&passphrase())).unwrap();
    assert_eq!(inspected.counts.map(|c| c.persons), Some(2));
    restore(&mut store, &path, Some(&passphrase())).unwrap();
    assert_eq!(dump(store.connection()), before);
    assert!(names_in(dir.path()).iter().all(|n| !n.ends_with(".tmp")));
}

#[test]
fn passphrases_are_checked_and_never_printed() {
    assert!(Passphrase::new("kurz".to_owned()).is_err());
    let p = passphrase();
    assert!(!format!("{p:?}").contains("Kennwort"));
}

#[test]
fn a_killed_backup_leaves_no_file_under_a_final_name_and_is_cleaned_up_next_time() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("Sicherungen");
    fs::create_dir(&folder).unwrap();
    let store = store_with_people(dir.path());
    let first = back_up_into(&store, &folder, None).unwrap();
    // What a kill -9 half-way leaves: a temporary file with SQLite's journal.
    let stale = folder.join(format!(".{PREFIX}2026-01-01_10-00-00.db.tmp"));
    fs::write(&stale, b"SQLite format 3\0halb").unwrap();
    fs::write(with_suffix(&stale, "-journal"), b"x").unwrap();
    fs::write(folder.join("notizen.txt"), b"bleibt").unwrap();
    assert_eq!(
        list(&folder).unwrap().len(),
        1,
        "temporaries are never listed"
    );
    let second = back_up_into(&store, &folder, None).unwrap();
    assert_ne!(first.file_name, second.file_name);
    let names = names_in(&folder);
    assert!(names.iter().all(|n| !n.contains(".tmp")), "{names:?}");
    assert!(names.contains(&"notizen.txt".to_owned()));
    // Both are from today: the rotation keeps the newest of the day.
    assert_eq!(list(&folder).unwrap(), [second]);
}

#[test]
fn a_missing_folder_is_an_error_and_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_people(dir.path());
    let stick = dir.path().join("USB-STICK");
    let err = back_up_into(&store, &stick, None).unwrap_err();
    assert!(err.to_string().contains("nicht erreichbar"), "{err}");
    assert!(!stick.exists());
}

#[test]
fn restore_refuses_foreign_damaged_and_newer_files_and_leaves_the_database_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_people(dir.path());
    let before = dump(store.connection());
    let csv = dir.path().join("liste.csv");
    fs::write(&csv, "Name;E-Mail\n").unwrap();
    assert!(matches!(
        restore(&mut store, &csv, None),
        Err(CoreError::NotADatabase { .. })
    ));
    let foreign = dir.path().join("fremd.db");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE x (y)")
        .unwrap();
    assert!(matches!(
        restore(&mut store, &foreign, None),
        Err(CoreError::NotADatabase { .. })
    ));
    let newer = dir.path().join("neuer.db");
    back_up_to_file(&store, &newer, None).unwrap();
    Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    assert!(matches!(
        restore(&mut store, &newer, None),
        Err(CoreError::DatabaseTooNew { found: 999, .. })
    ));
    assert_eq!(dump(store.connection()), before);
    let names = names_in(dir.path());
    assert!(
        names
            .iter()
            .all(|n| !n.contains("vor-wiederherstellung") && !n.ends_with(".tmp")),
        "{names:?}"
    );
}

#[test]
fn a_backup_to_a_file_never_overwrites_anything() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_people(dir.path());
    let taken = dir.path().join("vorhanden.db");
    fs::write(&taken, b"wichtig").unwrap();
    let err = back_up_to_file(&store, &taken, None).unwrap_err();
    assert!(err.to_string().contains("gibt es schon"), "{err}");
    assert_eq!(fs::read(&taken).unwrap(), b"wichtig");
    let own = dir.path().join("tagungsbuero.db-kopie");
    let err = back_up_to_file(&store, &own, None).unwrap_err();
    assert!(err.to_string().contains("Begleitdateien"), "{err}");
}

#[test]
fn a_backup_is_due_after_a_day_and_on_changes() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("Sicherungen");
    fs::create_dir(&folder).unwrap();
    let mut store = store_with_people(dir.path());
    assert!(is_due(&folder).unwrap());
    assert!(changed_since_last(&store, &folder).unwrap());
    let info = back_up_into(&store, &folder, None).unwrap();
    assert!(!is_due(&folder).unwrap());
    assert!(!changed_since_last(&store, &folder).unwrap());
    add_person(&mut store, "Clara", "clara@example.org");
    assert!(changed_since_last(&store, &folder).unwrap());
    // A deletion leaves a tombstone, so it counts as a change too.
    back_up_into(&store, &folder, None).unwrap();
    store
        .write(|tx| Ok(tx.execute("DELETE FROM persons WHERE first_name = 'Clara'", [])?))
        .unwrap();
    assert!(changed_since_last(&store, &folder).unwrap());
    // The newest backup is two days old: due.
    for backup in list(&folder).unwrap() {
        let path = manifest_path(Path::new(&backup.path));
        let mut manifest: Manifest = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        manifest.created_at = (Utc::now() - chrono::TimeDelta::days(2))
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        fs::write(&path, serde_json::to_vec(&manifest).unwrap()).unwrap();
    }
    assert!(is_due(&folder).unwrap());
    let _ = info;
}

#[test]
fn rotation_deletes_old_backups_with_their_manifests_and_keeps_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("Sicherungen");
    fs::create_dir(&folder).unwrap();
    let store = store_with_people(dir.path());
    let template = back_up_into(&store, &folder, None).unwrap();
    let template_path = PathBuf::from(&template.path);
    let manifest: Manifest =
        serde_json::from_slice(&fs::read(manifest_path(&template_path)).unwrap()).unwrap();
    fs::remove_file(manifest_path(&template_path)).unwrap();
    // Ten days of backups, one a day, plus a copy the user put there by hand.
    let newest = Utc::now();
    for day in 1..=10 {
        let at = newest - chrono::TimeDelta::days(day);
        let path = folder.join(file_name_at(at, false));
        fs::copy(&template_path, &path).unwrap();
        let m = Manifest {
            created_at: at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            ..manifest.clone()
        };
        fs::write(manifest_path(&path), serde_json::to_vec(&m).unwrap()).unwrap();
    }
    fs::remove_file(&template_path).unwrap();
    fs::write(folder.join("eigene-kopie.db"), b"x").unwrap();
    let deleted = rotate(&folder).unwrap();
    let remaining = list(&folder).unwrap();
    // 7 days; of the older 3 the weekly/monthly rules keep at most 2.
    assert!((7..=9).contains(&remaining.len()), "{}", remaining.len());
    assert_eq!(deleted.len() + remaining.len(), 10);
    for name in &deleted {
        assert!(!folder.join(name).exists());
        assert!(!folder.join(format!("{name}.json")).exists());
    }
    assert!(folder.join("eigene-kopie.db").exists());
}
