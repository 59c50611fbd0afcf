//! CLI contract of `backup --out FILE` and `restore --from FILE` (issue 10, item 8), run against
//! the built binary: a round trip gives byte-identical table contents (sorted dumps of every
//! table), the replaced database is kept as `NAME.vor-wiederherstellung-<Zeit>.db`, encrypted
//! backups need `--passphrase-env`, and kill -9 in the middle of a backup leaves no file under
//! the final name and every earlier backup as it was.

mod common;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{cli, json, run, stderr};
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};

/// Every table's rows as text, sorted per table.
fn dump(db: &Path) -> Vec<String> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
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

fn register(db: &Path, event: &str, email: &str) {
    json(
        db,
        &[
            "register",
            "--event",
            event,
            "--email",
            email,
            "--first-name",
            "Clara",
            "--last-name",
            "Neu",
        ],
    );
}

fn first_event(db: &Path) -> String {
    let events = json(db, &["events", "list", "--json"]);
    events[0]["id"].as_i64().unwrap().to_string()
}

fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn backup_and_restore_round_trip_gives_identical_tables_and_keeps_the_replaced_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("buero.db");
    assert!(run(&db, &["seed-demo"]).status.success());
    let original = dump(&db);
    assert!(original.len() > 100, "the demo data fills the tables");

    let out_file = dir.path().join("sicherung.db");
    let out = run(&db, &["backup", "--out", out_file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("Sicherung geschrieben: "), "{text}");
    assert!(text.contains("Personen"), "{text}");
    assert_eq!(
        dump(&out_file),
        original,
        "the backup holds the same tables"
    );
    let check: String = Connection::open(&out_file)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");

    // Changes after the backup …
    let event = first_event(&db);
    register(&db, &event, "clara.neu@example.org");
    let changed = dump(&db);
    assert_ne!(changed, original);
    // … are gone after the restore; the replaced database is kept next to it.
    let out = run(&db, &["restore", "--from", out_file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Wiederhergestellt aus"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(dump(&db), original, "byte-identical table contents");
    let kept: Vec<String> = names_in(dir.path())
        .into_iter()
        .filter(|n| n.starts_with("buero.vor-wiederherstellung-"))
        .collect();
    assert_eq!(kept.len(), 1, "{:?}", names_in(dir.path()));
    let stamp = kept[0]
        .strip_prefix("buero.vor-wiederherstellung-")
        .and_then(|s| s.strip_suffix(".db"))
        .unwrap();
    assert!(
        chrono::NaiveDateTime::parse_from_str(stamp, "%Y-%m-%d_%H-%M-%S").is_ok(),
        "{stamp}"
    );
    assert_eq!(dump(&dir.path().join(&kept[0])), changed);
    assert!(
        names_in(dir.path()).iter().all(|n| !n.ends_with(".tmp")),
        "{:?}",
        names_in(dir.path())
    );
    // The restored database works as before.
    register(&db, &event, "dora@example.org");

    // JSON output of both.
    let second = dir.path().join("zweite.db");
    let info = json(
        &db,
        &["backup", "--out", second.to_str().unwrap(), "--json"],
    );
    assert_eq!(info["encrypted"], false);
    assert_eq!(info["checked"], true);
    assert!(info["counts"]["persons"].as_i64().unwrap() > 0);
    assert!(info["size_bytes"].as_u64().unwrap() > 0);
    let report = json(
        &db,
        &["restore", "--from", out_file.to_str().unwrap(), "--json"],
    );
    assert!(
        report["kept_as"]
            .as_str()
            .unwrap()
            .contains("buero.vor-wiederherstellung-")
    );
    assert_eq!(dump(&db), original);
}

#[test]
fn an_encrypted_backup_needs_the_passphrase_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("buero.db");
    assert!(run(&db, &["seed-demo"]).status.success());
    let original = dump(&db);
    let file = dir.path().join("stick.db.age");
    let out = cli(&db)
        .args(["backup", "--out", file.to_str().unwrap()])
        .args(["--passphrase-env", "TB_KENNWORT"])
        .env("TB_KENNWORT", "Partnerstadt-2026")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("verschlüsselt"));
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/"));
    assert!(!String::from_utf8_lossy(&bytes).contains("@example.org"));
    assert!(
        names_in(dir.path()).iter().all(|n| !n.ends_with(".tmp")),
        "no plain copy left behind"
    );

    register(&db, &first_event(&db), "clara.neu@example.org");
    let without = run(&db, &["restore", "--from", file.to_str().unwrap()]);
    assert_eq!(without.status.code(), Some(1));
    assert!(
        stderr(&without).contains("verschlüsselt"),
        "{}",
        stderr(&without)
    );
    let unset = run(
        &db,
        &[
            "restore",
            "--from",
            file.to_str().unwrap(),
            "--passphrase-env",
            "TB_NICHT_GESETZT",
        ],
    );
    assert!(
        stderr(&unset).contains("TB_NICHT_GESETZT"),
        "{}",
        stderr(&unset)
    );
    let wrong = cli(&db)
        .args(["restore", "--from", file.to_str().unwrap()])
        .args(["--passphrase-env", "TB_KENNWORT"])
        .env("TB_KENNWORT", "falsches-Kennwort")
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        stderr(&wrong).contains("Kennwort passt nicht"),
        "{}",
        stderr(&wrong)
    );
    assert_ne!(
        dump(&db),
        original,
        "nothing restored with a wrong passphrase"
    );
    let right = cli(&db)
        .args(["restore", "--from", file.to_str().unwrap()])
        .args(["--passphrase-env", "TB_KENNWORT"])
        .env("TB_KENNWORT", "Partnerstadt-2026")
        .output()
        .unwrap();
    assert!(right.status.success(), "{}", stderr(&right));
    assert_eq!(dump(&db), original);
}

#[test]
fn backup_refuses_to_overwrite_and_restore_refuses_foreign_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("buero.db");
    assert!(run(&db, &["seed-demo"]).status.success());
    let original = dump(&db);
    let taken = dir.path().join("notiz.txt");
    std::fs::write(&taken, "wichtig").unwrap();
    let out = run(&db, &["backup", "--out", taken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("gibt es schon"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&taken).unwrap(), "wichtig");
    let out = run(&db, &["restore", "--from", taken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("keine Tagungsbüro-Datenbank"),
        "{}",
        stderr(&out)
    );
    let missing = run(&db, &["restore", "--from", "/gibt/es/nicht.db"]);
    assert!(
        stderr(&missing).contains("nicht gefunden"),
        "{}",
        stderr(&missing)
    );
    assert_eq!(dump(&db), original);
    assert!(
        names_in(dir.path())
            .iter()
            .all(|n| !n.contains("vor-wiederherstellung")),
        "nothing replaced, nothing kept"
    );
}

#[test]
fn kill_9_during_a_backup_leaves_earlier_backups_intact_and_no_file_at_the_final_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("gross.db");
    assert!(run(&db, &["seed-demo"]).status.success());
    // About 100 MB, so the backup takes long enough to be killed in the middle.
    {
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch(
            "CREATE TABLE ballast (x BLOB);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25000)
             INSERT INTO ballast SELECT randomblob(4000) FROM n;",
        )
        .unwrap();
    }
    let folder = dir.path().join("Sicherungen");
    std::fs::create_dir(&folder).unwrap();
    let earlier = folder.join("frueher.db");
    let out = run(&db, &["backup", "--out", earlier.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let earlier_bytes = std::fs::read(&earlier).unwrap();

    let target = folder.join("neu.db");
    let temp = folder.join(".neu.db.tmp");
    let mut child = cli(&db)
        .args(["backup", "--out", target.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the backup has started writing (its temporary file has data), then kill it.
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::fs::metadata(&temp).map_or(true, |m| m.len() < 1_000_000) {
        assert!(
            Instant::now() < deadline,
            "the backup never started writing"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the backup ended before it could be killed"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(9), "killed mid-way");

    assert!(!target.exists(), "no file under the final name");
    assert_eq!(
        std::fs::read(&earlier).unwrap(),
        earlier_bytes,
        "the earlier backup is untouched"
    );
    let check: String = Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok", "the database itself is fine");

    // The next backup to the same name works and leaves no temporary file.
    let out = run(&db, &["backup", "--out", target.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(dump(&target), dump(&db));
    assert_eq!(names_in(&folder), ["frueher.db", "neu.db"]);
}
