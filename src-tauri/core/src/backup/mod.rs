//! Backups ("Sicherungen") and restoring them ("Wiederherstellen").
//!
//! - **Through the open store, never as a file copy**: SQLite's online backup API reads the live
//!   database through the store's own connection (a plain copy would open and close the database
//!   file in the process and drop SQLite's POSIX locks, see `store::guard`).
//! - **Complete or not at all**: a backup is written under a temporary name (`.NAME.tmp`),
//!   checked (`PRAGMA integrity_check`), written to disk (fsync) and only then renamed to its
//!   final name; killed half-way, it leaves a temporary file that the next backup removes, and
//!   every earlier backup untouched.
//! - **Encrypted on request** with a passphrase (age, scrypt): the plain copy is staged next to
//!   the database, never in the backup folder (a USB stick, a network share).
//! - **A manifest per backup** (`NAME.json`: time, app and schema version, size, SHA-256,
//!   counts, the data's last change) lets the list show date, size and counts without opening
//!   any backup, and holds no personal data.
//! - **Rotation** ([`rotation`]) keeps 7 daily, 5 weekly and 12 monthly backups.
//! - **Restore** checks the backup first, keeps the current database next to it as
//!   `NAME.vor-wiederherstellung-<time>.db`, then swaps the file under the store's lock
//!   ([`Store::replace_file`]), so the running app goes on with the restored data.

pub mod rotation;

use std::fs::{self, File, OpenOptions};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use age::secrecy::SecretString;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};
use crate::store::{self, Store, stamps};
use crate::time::in_berlin;

/// Start of every backup's file name.
const PREFIX: &str = "tagungsbuero-sicherung-";
/// Ending of a plain backup.
const PLAIN_EXT: &str = ".db";
/// Ending of an encrypted backup.
const AGE_EXT: &str = ".db.age";
/// The first bytes of an age file.
const AGE_MAGIC: &[u8] = b"age-encryption.org/";
/// The first bytes of an SQLite database.
const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";
/// The manifest's format version.
const MANIFEST_FORMAT: u32 = 1;
/// An automatic backup is due when the newest is older than this.
const DUE_AFTER: chrono::TimeDelta = chrono::TimeDelta::days(1);
/// Pages copied per step of the online backup.
const PAGES_PER_STEP: i32 = 4096;

/// The passphrase of encrypted backups. Never stored by the core, never printed (its `Debug`
/// hides it).
pub struct Passphrase(SecretString);

impl Passphrase {
    /// A passphrase typed by the user; refused when empty or shorter than 8 characters.
    pub fn new(text: String) -> CoreResult<Self> {
        if text.chars().count() < 8 {
            return Err(CoreError::invalid(
                "passphrase",
                "Das Kennwort für die Sicherungen muss mindestens 8 Zeichen lang sein.",
            ));
        }
        Ok(Passphrase(SecretString::from(text)))
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(…)")
    }
}

/// Numbers of records in a backup, shown before restoring it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupCounts {
    /// Events.
    #[ts(type = "number")]
    pub events: i64,
    /// Persons (contacts).
    #[ts(type = "number")]
    pub persons: i64,
    /// Registrations.
    #[ts(type = "number")]
    pub registrations: i64,
}

/// One backup as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BackupInfo {
    /// The file name, e.g. "tagungsbuero-sicherung-2026-11-29_20-15-03.db".
    pub file_name: String,
    /// The full path.
    pub path: String,
    /// When it was written, RFC 3339 with the Berlin offset.
    pub created_at: String,
    /// Size of the file in bytes.
    #[ts(type = "number")]
    pub size_bytes: u64,
    /// Whether it is encrypted (a passphrase is needed to restore it).
    pub encrypted: bool,
    /// Its numbers of events, persons and registrations (unknown for an encrypted file without
    /// its manifest).
    pub counts: Option<BackupCounts>,
    /// The Tagungsbüro version that wrote it, if known.
    pub app_version: Option<String>,
    /// Whether `PRAGMA integrity_check` passed when it was written.
    pub checked: bool,
    /// Why it may be unusable (German), e.g. its size differs from the manifest.
    pub problem: Option<String>,
}

/// What a restore did.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RestoreReport {
    /// The backup that is now the database.
    pub restored: BackupInfo,
    /// Where the replaced database was kept (`NAME.vor-wiederherstellung-<time>.db`); `None`
    /// when it was new and empty.
    pub kept_as: Option<String>,
}

/// The sidecar `NAME.json` of a backup. No personal data: times, versions, size, hash, counts.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Manifest {
    format: u32,
    app_version: String,
    schema_version: usize,
    /// UTC, RFC 3339 with milliseconds.
    created_at: String,
    size_bytes: u64,
    sha256: String,
    encrypted: bool,
    counts: BackupCounts,
    /// The newest change stamp in the data (see [`last_change`]).
    last_change: Option<String>,
    integrity: String,
}

/// A file that is removed when dropped unless it was kept ([`Staged::keep`]).
struct Staged(Option<PathBuf>);

impl Staged {
    fn new(path: PathBuf) -> CoreResult<Self> {
        remove_if_exists(&path)?;
        Ok(Staged(Some(path)))
    }
    fn path(&self) -> &Path {
        self.0.as_deref().expect("a staged file until kept")
    }
    fn keep(mut self) -> PathBuf {
        self.0.take().expect("kept once")
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = fs::remove_file(&path);
            for suffix in ["-journal", "-wal", "-shm"] {
                let _ = fs::remove_file(with_suffix(&path, suffix));
            }
        }
    }
}

/// The file name of a backup written at `now`: Berlin wall-clock time, sortable.
pub fn file_name_at(now: DateTime<Utc>, encrypted: bool) -> String {
    format!(
        "{PREFIX}{}{}",
        in_berlin(now).format("%Y-%m-%d_%H-%M-%S"),
        if encrypted { AGE_EXT } else { PLAIN_EXT }
    )
}

/// Writes a backup of the open database into `folder` (which must exist: a USB stick that is
/// not plugged in is an error, not a new folder on the laptop), with its manifest, then rotates
/// the folder. Returns the new backup.
pub fn back_up_into(
    store: &Store,
    folder: &Path,
    passphrase: Option<&Passphrase>,
) -> CoreResult<BackupInfo> {
    if !folder.is_dir() {
        return Err(CoreError::Conflict(format!(
            "Der Ordner für die Sicherungen ({}) ist nicht erreichbar. Ist der USB-Stick oder das \
             Netzlaufwerk verbunden? Der Ordner kann in den Einstellungen geändert werden.",
            folder.display()
        )));
    }
    remove_stale_temporaries(folder);
    let now = Utc::now();
    let ext = if passphrase.is_some() {
        AGE_EXT
    } else {
        PLAIN_EXT
    };
    let stem = file_name_at(now, false);
    let stem = stem.trim_end_matches(PLAIN_EXT);
    let mut name = format!("{stem}{ext}");
    let mut n = 2;
    while folder.join(&name).exists() {
        name = format!("{stem}-{n}{ext}");
        n += 1;
    }
    let target = folder.join(&name);
    let manifest = write_backup(store, &target, passphrase, now)?;
    let manifest_path = manifest_path(&target);
    let temp = temp_name(&manifest_path);
    fs::write(
        &temp,
        serde_json::to_vec_pretty(&manifest).map_err(io_error)?,
    )?;
    File::open(&temp)?.sync_all()?;
    fs::rename(&temp, &manifest_path)?;
    sync_folder(folder);
    rotate(folder)?;
    Ok(info_from_manifest(&target, &manifest))
}

/// Writes a backup of the open database to exactly `target` (the CLI's `backup --out FILE`),
/// without manifest or rotation. Refuses an existing file and the database's own files.
pub fn back_up_to_file(
    store: &Store,
    target: &Path,
    passphrase: Option<&Passphrase>,
) -> CoreResult<BackupInfo> {
    if target.exists() {
        return Err(CoreError::Conflict(format!(
            "Die Datei {} gibt es schon. Bitte wählen Sie einen neuen Namen – eine Sicherung \
             überschreibt nichts.",
            target.display()
        )));
    }
    if let Some(db) = store.path() {
        let db_name = db
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let same_folder = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .canonicalize()
            .ok()
            == db
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .canonicalize()
                .ok();
        let name = target.file_name().unwrap_or_default().to_string_lossy();
        if same_folder && name.starts_with(&db_name) {
            return Err(CoreError::Conflict(
                "Eine Sicherung darf nicht die Datenbank selbst oder eine ihrer Begleitdateien \
                 überschreiben. Bitte wählen Sie einen anderen Namen."
                    .to_owned(),
            ));
        }
    }
    let manifest = write_backup(store, target, passphrase, Utc::now())?;
    Ok(info_from_manifest(target, &manifest))
}

/// The backup itself: staged, checked, (encrypted,) synced and renamed to `target`.
fn write_backup(
    store: &Store,
    target: &Path,
    passphrase: Option<&Passphrase>,
    now: DateTime<Utc>,
) -> CoreResult<Manifest> {
    let folder = parent_of(target);
    let temp = Staged::new(temp_name(target))?;
    // The plain copy: in the target folder when it stays plain, next to the database when it
    // is encrypted (never unencrypted on the stick).
    let plain = match passphrase {
        None => None,
        Some(_) => Some(Staged::new(staging_path(store, "sicherung")?)?),
    };
    let plain_path = plain.as_ref().map_or(temp.path(), |p| p.path()).to_owned();
    let (counts, last_change) = copy_database(store.connection(), &plain_path)?;
    if let (Some(passphrase), Some(plain)) = (passphrase, &plain) {
        encrypt(plain.path(), temp.path(), passphrase)?;
    }
    File::open(temp.path())?.sync_all()?;
    let (size_bytes, sha256) = size_and_hash(temp.path())?;
    fs::rename(temp.path(), target)?;
    temp.keep();
    sync_folder(&folder);
    Ok(Manifest {
        format: MANIFEST_FORMAT,
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        schema_version: store::latest_schema_version(),
        created_at: now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        size_bytes,
        sha256,
        encrypted: passphrase.is_some(),
        counts,
        last_change,
        integrity: "ok".to_owned(),
    })
}

/// Copies the database behind `source` into a new file at `target` with the online backup
/// API, as one self-contained file (rollback journal, no `-wal`), then checks it. Returns its
/// counts and last change.
fn copy_database(source: &Connection, target: &Path) -> CoreResult<(BackupCounts, Option<String>)> {
    let mut copy = Connection::open_with_flags(
        target,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
    )?;
    {
        let backup = Backup::new(source, &mut copy)?;
        backup.run_to_completion(PAGES_PER_STEP, Duration::ZERO, None)?;
    }
    copy.pragma_update(None, "journal_mode", "DELETE")?;
    check_integrity(&copy, target)?;
    let counts = counts(&copy)?;
    let last_change = last_change(&copy)?;
    copy.close().map_err(|(_, e)| e)?;
    File::open(target)?.sync_all()?;
    Ok((counts, last_change))
}

fn check_integrity(conn: &Connection, path: &Path) -> CoreResult<()> {
    let mut stmt = conn.prepare("PRAGMA integrity_check(5)")?;
    let findings: Vec<String> = stmt
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    if findings == ["ok"] {
        Ok(())
    } else {
        Err(CoreError::DatabaseDamaged {
            path: path.display().to_string(),
            detail: findings.join("; "),
        })
    }
}

/// Events, persons and registrations in a database.
fn counts(conn: &Connection) -> CoreResult<BackupCounts> {
    let count = |table: &str| -> CoreResult<i64> {
        Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
    };
    Ok(BackupCounts {
        events: count("events")?,
        persons: count("persons")?,
        registrations: count("registrations")?,
    })
}

/// The newest change in the data: the latest `updated_at` of any table or tombstone. Equal
/// stamps mean unchanged data (every write moves a stamp forward, see `store::stamps`).
pub fn last_change(conn: &Connection) -> CoreResult<Option<String>> {
    let mut newest: Option<String> = conn
        .query_row("SELECT max(updated_at) FROM tombstones", [], |r| r.get(0))
        .unwrap_or(None);
    for table in stamps::synced_tables(conn)? {
        let stamp: Option<String> = conn.query_row(
            &format!("SELECT max(updated_at) FROM \"{table}\""),
            [],
            |r| r.get(0),
        )?;
        if stamp > newest {
            newest = stamp;
        }
    }
    Ok(newest)
}

fn encrypt(plain: &Path, target: &Path, passphrase: &Passphrase) -> CoreResult<()> {
    let encryptor = age::Encryptor::with_user_passphrase(passphrase.0.clone());
    let output = BufWriter::new(
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(target)?,
    );
    let mut writer = encryptor.wrap_output(output)?;
    std::io::copy(&mut BufReader::new(File::open(plain)?), &mut writer)?;
    let mut output = writer.finish()?;
    output.flush()?;
    Ok(())
}

fn decrypt(encrypted: &Path, target: &Path, passphrase: Option<&Passphrase>) -> CoreResult<()> {
    let Some(passphrase) = passphrase else {
        return Err(CoreError::Conflict(
            "Diese Sicherung ist verschlüsselt. Bitte geben Sie das Kennwort der Sicherungen ein."
                .to_owned(),
        ));
    };
    let decryptor = age::Decryptor::new_buffered(BufReader::new(File::open(encrypted)?))
        .map_err(|e| unreadable(encrypted, &e.to_string()))?;
    let identity = age::scrypt::Identity::new(passphrase.0.clone());
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => {
                CoreError::Conflict(
                    "Das Kennwort passt nicht zu dieser Sicherung. Bitte prüfen Sie es (Groß- und \
                     Kleinschreibung)."
                        .to_owned(),
                )
            }
            other => unreadable(encrypted, &other.to_string()),
        })?;
    let mut output = BufWriter::new(
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(target)?,
    );
    std::io::copy(&mut reader, &mut output).map_err(|e| unreadable(encrypted, &e.to_string()))?;
    output.flush()?;
    Ok(())
}

fn unreadable(path: &Path, detail: &str) -> CoreError {
    CoreError::Conflict(format!(
        "Die Sicherung {} kann nicht gelesen werden (beschädigt oder unvollständig: {detail}).",
        path.display()
    ))
}

/// The backups in `folder`, newest first. Reads the manifests (or, for a plain backup without
/// one, the file itself read-only), never opens a backup as a store.
pub fn list(folder: &Path) -> CoreResult<Vec<BackupInfo>> {
    if !folder.is_dir() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for entry in fs::read_dir(folder)? {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !is_backup_name(name) || !path.is_file() {
            continue;
        }
        found.push(describe(&path));
    }
    // By the instant, not the text: the Berlin offset changes twice a year.
    found.sort_by_cached_key(|b| {
        (
            std::cmp::Reverse(DateTime::parse_from_rfc3339(&b.created_at).ok()),
            std::cmp::Reverse(b.file_name.clone()),
        )
    });
    Ok(found)
}

fn is_backup_name(name: &str) -> bool {
    name.starts_with(PREFIX) && (name.ends_with(PLAIN_EXT) || name.ends_with(AGE_EXT))
}

/// One backup file described from its manifest, else from the file.
fn describe(path: &Path) -> BackupInfo {
    let size = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if let Some(manifest) = read_manifest(path) {
        let mut info = info_from_manifest(path, &manifest);
        if manifest.size_bytes != size {
            info.size_bytes = size;
            info.problem = Some(
                "Die Datei hat eine andere Größe als beim Sichern – sie wurde verändert oder ist \
                 beschädigt."
                    .to_owned(),
            );
        }
        return info;
    }
    let created = created_from_name(path).unwrap_or_else(|| {
        fs::metadata(path)
            .and_then(|m| m.modified())
            .map(DateTime::<Utc>::from)
            .unwrap_or_else(|_| Utc::now())
    });
    let encrypted = starts_with(path, AGE_MAGIC);
    let (counts, problem) = if encrypted {
        (None, None)
    } else {
        match read_plain(path) {
            Ok(counts) => (Some(counts), None),
            Err(e) => (None, Some(e.to_string())),
        }
    };
    BackupInfo {
        file_name: file_name(path),
        path: path.display().to_string(),
        created_at: in_berlin(created).to_rfc3339(),
        size_bytes: size,
        encrypted,
        counts,
        app_version: None,
        checked: false,
        problem,
    }
}

/// Counts of a plain backup, read through a read-only, immutable connection (no `-shm`, no
/// checkpoint, nothing written next to it).
fn read_plain(path: &Path) -> CoreResult<BackupCounts> {
    let conn = open_backup_read_only(path)?;
    counts(&conn).map_err(|_| CoreError::NotADatabase {
        path: path.display().to_string(),
    })
}

fn open_backup_read_only(path: &Path) -> CoreResult<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|_| CoreError::NotADatabase {
        path: path.display().to_string(),
    })?;
    Ok(conn)
}

fn info_from_manifest(path: &Path, manifest: &Manifest) -> BackupInfo {
    let created = crate::time::from_storage(&manifest.created_at)
        .unwrap_or_else(|_| created_from_name(path).unwrap_or_else(Utc::now));
    BackupInfo {
        file_name: file_name(path),
        path: path.display().to_string(),
        created_at: in_berlin(created).to_rfc3339(),
        size_bytes: manifest.size_bytes,
        encrypted: manifest.encrypted,
        counts: Some(manifest.counts),
        app_version: Some(manifest.app_version.clone()),
        checked: manifest.integrity == "ok",
        problem: None,
    }
}

fn read_manifest(backup: &Path) -> Option<Manifest> {
    let text = fs::read(manifest_path(backup)).ok()?;
    serde_json::from_slice::<Manifest>(&text)
        .ok()
        .filter(|m| m.format == MANIFEST_FORMAT)
}

fn created_from_name(path: &Path) -> Option<DateTime<Utc>> {
    let name = file_name(path);
    let stamp = name.strip_prefix(PREFIX)?.get(..19)?;
    let naive = NaiveDateTime::parse_from_str(stamp, "%Y-%m-%d_%H-%M-%S").ok()?;
    chrono_tz::Europe::Berlin
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// Deletes what the rotation does not keep (with their manifests); returns the deleted names.
pub fn rotate(folder: &Path) -> CoreResult<Vec<String>> {
    let backups = list(folder)?;
    let times: Vec<DateTime<Utc>> = backups
        .iter()
        .map(|b| {
            DateTime::parse_from_rfc3339(&b.created_at)
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|_| Utc::now())
        })
        .collect();
    let mut deleted = Vec::new();
    for i in rotation::to_delete(&times) {
        let path = PathBuf::from(&backups[i].path);
        fs::remove_file(&path)?;
        remove_if_exists(&manifest_path(&path))?;
        deleted.push(backups[i].file_name.clone());
    }
    Ok(deleted)
}

/// Whether an automatic backup is due: none in `folder` yet, or the newest is older than a day.
pub fn is_due(folder: &Path) -> CoreResult<bool> {
    let newest = list(folder)?.into_iter().next();
    Ok(newest.is_none_or(|b| {
        DateTime::parse_from_rfc3339(&b.created_at)
            .map(|t| Utc::now() - t.with_timezone(&Utc) > DUE_AFTER)
            .unwrap_or(true)
    }))
}

/// Whether the data changed since the newest backup in `folder` (for the backup on closing).
pub fn changed_since_last(store: &Store, folder: &Path) -> CoreResult<bool> {
    let newest = list(folder)?.into_iter().next();
    let Some(newest) = newest else {
        return Ok(true);
    };
    let Some(manifest) = read_manifest(Path::new(&newest.path)) else {
        return Ok(true);
    };
    Ok(manifest.last_change != last_change(store.connection())?)
}

/// Describes a backup file before restoring it (date, size, counts): from its manifest, else
/// from its contents (an encrypted one is decrypted into a temporary file next to the
/// database, read and removed).
pub fn inspect(
    store: &Store,
    file: &Path,
    passphrase: Option<&Passphrase>,
) -> CoreResult<BackupInfo> {
    let info = describe(file);
    if info.counts.is_some() && info.problem.is_none() {
        return Ok(info);
    }
    let staged = stage_for_restore(store, file, passphrase)?;
    let conn = open_backup_read_only(staged.path())?;
    Ok(BackupInfo {
        counts: Some(counts(&conn)?),
        problem: None,
        ..info
    })
}

/// Restores `file` into the open store: checks it, keeps the current database next to it as
/// `NAME.vor-wiederherstellung-<time>.db`, then replaces the database file under the store's
/// lock and goes on with the restored data (a backup from an older version is migrated).
pub fn restore(
    store: &mut Store,
    file: &Path,
    passphrase: Option<&Passphrase>,
) -> CoreResult<RestoreReport> {
    let Some(db) = store.path().map(Path::to_owned) else {
        return Err(CoreError::Conflict(
            "Eine Datenbank im Arbeitsspeicher kann nicht wiederhergestellt werden.".to_owned(),
        ));
    };
    let described = describe(file);
    let staged = stage_for_restore(store, file, passphrase)?;
    let restored_counts = {
        let conn = open_backup_read_only(staged.path())?;
        counts(&conn)?
    };
    let kept_as = if store.was_created() && counts(store.connection())? == empty_counts() {
        None
    } else {
        Some(keep_current(store, &db)?)
    };
    store.replace_file(staged.path())?;
    staged.keep();
    Ok(RestoreReport {
        restored: BackupInfo {
            counts: Some(restored_counts),
            ..described
        },
        kept_as: kept_as.map(|p| p.display().to_string()),
    })
}

fn empty_counts() -> BackupCounts {
    BackupCounts {
        events: 0,
        persons: 0,
        registrations: 0,
    }
}

/// The backup as a checked plain database next to the live one (same file system, so the swap
/// is a rename): decrypted or copied with the backup API, integrity-checked, schema not newer
/// than this build, a Tagungsbüro database.
fn stage_for_restore(
    store: &Store,
    file: &Path,
    passphrase: Option<&Passphrase>,
) -> CoreResult<Staged> {
    if !file.is_file() {
        return Err(CoreError::Conflict(format!(
            "Die Sicherung {} wurde nicht gefunden.",
            file.display()
        )));
    }
    let staged = Staged::new(staging_path(store, "wiederherstellung")?)?;
    if starts_with(file, AGE_MAGIC) {
        let plain = Staged::new(staging_path(store, "entschluesselt")?)?;
        decrypt(file, plain.path(), passphrase)?;
        let source = open_backup_read_only(plain.path())?;
        copy_checked(&source, file, staged.path())?;
    } else if starts_with(file, SQLITE_MAGIC) {
        let source = open_backup_read_only(file)?;
        copy_checked(&source, file, staged.path())?;
    } else {
        return Err(CoreError::NotADatabase {
            path: file.display().to_string(),
        });
    }
    Ok(staged)
}

fn copy_checked(source: &Connection, source_path: &Path, target: &Path) -> CoreResult<()> {
    let version: i64 = source
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|_| CoreError::NotADatabase {
            path: source_path.display().to_string(),
        })?;
    let found = usize::try_from(version).unwrap_or(usize::MAX);
    let known = store::latest_schema_version();
    if found > known {
        return Err(CoreError::DatabaseTooNew { found, known });
    }
    let is_ours: bool = source
        .query_row(
            "SELECT count(*) = 3 FROM sqlite_master WHERE type = 'table'
             AND name IN ('events', 'persons', 'registrations')",
            [],
            |r| r.get(0),
        )
        .unwrap_or(false);
    if !is_ours {
        return Err(CoreError::NotADatabase {
            path: source_path.display().to_string(),
        });
    }
    copy_database(source, target).map_err(|e| match e {
        CoreError::DatabaseDamaged { detail, .. } => CoreError::Conflict(format!(
            "Die Sicherung {} ist beschädigt ({detail}) und wurde nicht wiederhergestellt. Bitte \
             wählen Sie eine andere Sicherung.",
            source_path.display()
        )),
        other => other,
    })?;
    Ok(())
}

/// Keeps the current database as `NAME.vor-wiederherstellung-<time>.db` next to it (through
/// the backup API; a damaged file is copied as it is).
fn keep_current(store: &Store, db: &Path) -> CoreResult<PathBuf> {
    let stem = db
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let stamp = in_berlin(Utc::now()).format("%Y-%m-%d_%H-%M-%S");
    let mut kept = db.with_file_name(format!("{stem}.vor-wiederherstellung-{stamp}.db"));
    let mut n = 2;
    while kept.exists() {
        kept = db.with_file_name(format!("{stem}.vor-wiederherstellung-{stamp}-{n}.db"));
        n += 1;
    }
    let temp = Staged::new(temp_name(&kept))?;
    match copy_database(store.connection(), temp.path()) {
        Ok(_) => {}
        // The current file is damaged (that may be why it is restored): keep it as it is. The
        // store's guard keeps every other program out while it is read.
        Err(_) if store.is_damaged() => {
            remove_if_exists(temp.path())?;
            fs::copy(db, temp.path())?;
            File::open(temp.path())?.sync_all()?;
        }
        Err(e) => return Err(e),
    }
    fs::rename(temp.path(), &kept)?;
    temp.keep();
    sync_folder(&parent_of(&kept));
    Ok(kept)
}

/// A staging file next to the database (or in the temp folder for an in-memory store).
fn staging_path(store: &Store, purpose: &str) -> CoreResult<PathBuf> {
    Ok(match store.path() {
        Some(db) => {
            let name = db.file_name().unwrap_or_default().to_string_lossy();
            db.with_file_name(format!(".{name}.{purpose}.tmp"))
        }
        None => {
            std::env::temp_dir().join(format!(".tagungsbuero-{}.{purpose}.tmp", store::new_uid()))
        }
    })
}

/// `.NAME.tmp` next to `path`.
fn temp_name(path: &Path) -> PathBuf {
    path.with_file_name(format!(".{}.tmp", file_name(path)))
}

fn manifest_path(backup: &Path) -> PathBuf {
    backup.with_file_name(format!("{}.json", file_name(backup)))
}

/// Removes what a killed backup left in `folder` (`.tagungsbuero-sicherung-….tmp` and SQLite's
/// companions of it). Never touches other files.
fn remove_stale_temporaries(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    let prefix = format!(".{PREFIX}");
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(&prefix) && name.contains(".tmp") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_exists(path: &Path) -> CoreResult<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
}

fn starts_with(path: &Path, magic: &[u8]) -> bool {
    let mut head = vec![0; magic.len()];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && head == magic
}

fn size_and_hash(path: &Path) -> CoreResult<(u64, String)> {
    let mut hasher = Sha256::new();
    let mut reader = BufReader::new(File::open(path)?);
    let size = std::io::copy(&mut reader, &mut hasher)?;
    let hash = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok((size, hash))
}

/// Makes a rename durable (Unix: fsync of the folder). Network shares may not support it; the
/// file itself was already synced.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

fn io_error(e: serde_json::Error) -> CoreError {
    CoreError::Io(std::io::Error::other(e))
}

#[cfg(test)]
mod tests;
