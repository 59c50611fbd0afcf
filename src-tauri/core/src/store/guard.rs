//! The database guard: exclusive ownership of a database file for the life of a [`Store`].
//!
//! SQLite coordinates processes with POSIX advisory locks, and those belong to the *process*:
//! closing *any* descriptor of the database file in the process (a file dialog sniffing the
//! file's type, a copy made with plain file APIs) silently drops all of them ("How To Corrupt An
//! SQLite Database File", §2.2). Another process may then checkpoint and delete the `-wal` the app
//! is still writing into, and committed registrations vanish on the next start.
//!
//! The guard does not depend on nobody else in the process touching the file: it holds an
//! exclusive lock on a separate lock file next to the database (`<name>.lock`) through
//! [`std::fs::File::try_lock`] — `flock(2)` on Unix, `LockFileEx` on Windows. Those locks belong
//! to the open file description, so closing other descriptors never drops them. Every Store
//! (the app, the CLI, a second app instance) takes the guard *before* SQLite opens the file, so a
//! second opener is refused without ever touching the database.
//!
//! The guard also remembers which file it opened (device and inode on Unix), so a database that
//! is deleted or replaced while the app runs is noticed instead of written into the void.
//!
//! [`Store`]: super::Store

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{CoreError, CoreResult};

/// Exclusive ownership of one database file (see the module docs).
#[derive(Debug)]
pub struct DatabaseGuard {
    path: PathBuf,
    /// Held open for the guard's life: the lock lives as long as this descriptor.
    _lock: File,
    /// Set once SQLite has the file open; renewed after a restore.
    identity: Mutex<Option<FileIdentity>>,
}

/// What the database path pointed to when the store opened it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileIdentity {
    #[cfg(unix)]
    device: u64,
    #[cfg(unix)]
    inode: u64,
    #[cfg(not(unix))]
    created: Option<std::time::SystemTime>,
}

impl FileIdentity {
    /// Reads the identity with `stat(2)` only: opening and closing a descriptor of the database
    /// would drop SQLite's own locks (see the module docs).
    fn of(path: &Path) -> std::io::Result<Self> {
        let metadata = std::fs::metadata(path)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Ok(FileIdentity {
                device: metadata.dev(),
                inode: metadata.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            // Windows does not let anyone delete a file SQLite holds open; a replaced file has
            // a new creation time.
            Ok(FileIdentity {
                created: metadata.created().ok(),
            })
        }
    }
}

/// The state of the database file compared with what the store opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FileState {
    /// The path still names the file the store has open.
    Present,
    /// The file was deleted; the store still holds its contents and can write them back.
    Deleted,
    /// Another file now lies at the path.
    Replaced,
}

impl DatabaseGuard {
    /// Takes the lock next to `path`, or refuses with [`CoreError::DatabaseInUse`].
    ///
    /// Never creates directories: a database is only ever created in a folder that exists, so a
    /// mistyped path fails loudly instead of silently starting an empty database elsewhere.
    pub fn acquire(path: &Path) -> CoreResult<Self> {
        if path.is_dir() {
            return Err(CoreError::DatabasePathIsFolder {
                path: path.display().to_string(),
            });
        }
        let folder = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
            _ => PathBuf::from("."),
        };
        if !folder.is_dir() {
            return Err(CoreError::DatabaseFolderMissing {
                folder: folder.display().to_string(),
            });
        }
        let lock = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(lock_path(path))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(CoreError::DatabaseInUse {
                    path: path.display().to_string(),
                });
            }
            Err(TryLockError::Error(e)) => return Err(e.into()),
        }
        Ok(DatabaseGuard {
            path: path.to_owned(),
            _lock: lock,
            identity: Mutex::new(None),
        })
    }

    /// Records the file SQLite opened; call once the database exists.
    pub(super) fn remember_file(&self) -> CoreResult<()> {
        let identity = FileIdentity::of(&self.path)?;
        *self.identity.lock().unwrap_or_else(|p| p.into_inner()) = Some(identity);
        Ok(())
    }

    /// The database path this guard protects.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the path still names the opened file. Uses `stat(2)` only, so it is cheap enough
    /// to run before every write and from a watcher.
    pub fn file_state(&self) -> FileState {
        let opened = *self.identity.lock().unwrap_or_else(|p| p.into_inner());
        let Some(opened) = opened else {
            return FileState::Present;
        };
        match FileIdentity::of(&self.path) {
            Ok(now) if now == opened => FileState::Present,
            Ok(_) => FileState::Replaced,
            // Not found, or unreadable metadata (a network share gone away): the file is gone.
            Err(_) => FileState::Deleted,
        }
    }

    /// `Ok` while the file is the opened one; the German reason otherwise.
    pub fn ensure_present(&self) -> CoreResult<()> {
        match self.file_state() {
            FileState::Present => Ok(()),
            state => Err(CoreError::DatabaseGone {
                path: self.path.display().to_string(),
                replaced: state == FileState::Replaced,
            }),
        }
    }
}

/// Watches a store's file without holding the store: for a watcher thread that must not wait
/// for the store's lock. Ends (reports [`FileState::Present`] forever) when the store is gone.
#[derive(Debug, Clone)]
pub struct FileWatch(pub(super) std::sync::Weak<DatabaseGuard>);

impl FileWatch {
    /// The file's state now, `None` once the store was closed.
    pub fn state(&self) -> Option<FileState> {
        self.0.upgrade().map(|guard| guard.file_state())
    }
}

/// The lock file next to a database: `tagungsbuero.db` → `tagungsbuero.db.lock`.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_owned();
    name.push(".lock");
    db.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_guard_on_the_same_file_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("a.db");
        let first = DatabaseGuard::acquire(&db).unwrap();
        let err = DatabaseGuard::acquire(&db).unwrap_err();
        assert!(matches!(err, CoreError::DatabaseInUse { .. }), "{err}");
        assert!(err.to_string().contains("bereits geöffnet"), "{err}");
        drop(first);
        DatabaseGuard::acquire(&db).expect("free again after drop");
    }

    #[test]
    fn closing_other_descriptors_of_the_lock_file_keeps_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("a.db");
        let _guard = DatabaseGuard::acquire(&db).unwrap();
        for _ in 0..3 {
            drop(File::open(lock_path(&db)).unwrap());
            drop(File::open(dir.path()).unwrap());
        }
        assert!(matches!(
            DatabaseGuard::acquire(&db),
            Err(CoreError::DatabaseInUse { .. })
        ));
    }

    #[test]
    fn a_missing_folder_is_never_created() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("gibt-es-nicht").join("a.db");
        let err = DatabaseGuard::acquire(&db).unwrap_err();
        assert!(
            matches!(err, CoreError::DatabaseFolderMissing { .. }),
            "{err}"
        );
        assert!(!dir.path().join("gibt-es-nicht").exists());
    }

    #[test]
    fn deletion_and_replacement_are_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("a.db");
        std::fs::write(&db, b"x").unwrap();
        let guard = DatabaseGuard::acquire(&db).unwrap();
        guard.remember_file().unwrap();
        assert_eq!(guard.file_state(), FileState::Present);
        // A second name keeps the inode alive (as SQLite's open descriptor does in the app), so a
        // new file cannot reuse its number.
        std::fs::hard_link(&db, dir.path().join("behalten.db")).unwrap();
        std::fs::remove_file(&db).unwrap();
        assert_eq!(guard.file_state(), FileState::Deleted);
        let other = dir.path().join("b.db");
        std::fs::write(&other, b"y").unwrap();
        std::fs::rename(&other, &db).unwrap();
        assert_eq!(guard.file_state(), FileState::Replaced);
        assert!(matches!(
            guard.ensure_present(),
            Err(CoreError::DatabaseGone { replaced: true, .. })
        ));
    }
}
