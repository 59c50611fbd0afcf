//! The app's shared state: the open store (or why it could not be opened).

use std::collections::HashSet;
use std::panic::Location;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use tagungsbuero_core::error::{ErrorDto, ErrorKind};
use tagungsbuero_core::store::FileWatch;
use tagungsbuero_core::{CoreError, CoreResult, Store};
use ts_rs::TS;

use crate::logging;

/// Environment variable that overrides the database file.
pub const DB_ENV: &str = "TAGUNGSBUERO_DB";

/// File name of the default database in the app data dir.
const DB_FILE: &str = "tagungsbuero.db";

/// Folder for backups in the app data dir when the settings name none.
const BACKUP_DIR: &str = "Sicherungen";

/// What the UI learns about the running app at start.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AppInfo {
    /// App version.
    pub version: String,
    /// The database file in use.
    pub db_path: String,
    /// Why the database could not be opened (German), if it could not.
    pub open_error: Option<String>,
    /// Where backups go when the settings name no folder (`Sicherungen` in the app data dir).
    pub default_backup_folder: String,
}

/// The store behind a mutex, or the error that kept it closed; and the files exported in
/// this session (the only ones the UI may ask to open).
pub struct AppState {
    store: Result<Mutex<Store>, String>,
    db_path: PathBuf,
    default_backup_folder: PathBuf,
    exported: Mutex<HashSet<PathBuf>>,
    /// The SMTP password typed in this session (credential-store entry, password) where the
    /// operating system has no credential store; never written anywhere.
    smtp_password: Mutex<Option<(String, String)>>,
    /// Held by the one sending run at a time.
    pub sending: Mutex<()>,
    last_backup_error: Mutex<Option<String>>,
}

impl AppState {
    /// Opens `$TAGUNGSBUERO_DB`, else `tagungsbuero.db` in the app data dir. Only the app's own
    /// data dir is ever created; a database path given by the user must lie in an existing
    /// folder (the core refuses to create folders, so a typo cannot start an empty database).
    pub fn open(data_dir: &Path) -> Self {
        let custom = std::env::var_os(DB_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let custom_db = custom.is_some();
        let db_path = custom.clone().unwrap_or_else(|| data_dir.join(DB_FILE));
        let prepared = match custom {
            Some(_) => Ok(()),
            None => std::fs::create_dir_all(data_dir).map_err(CoreError::from),
        };
        let store = prepared
            .and_then(|()| Store::open(&db_path))
            .and_then(|mut store| {
                // Every change made in the app reaches the other laptops of the team.
                tagungsbuero_core::sync::attach(&mut store)?;
                Ok(store)
            })
            .map(Mutex::new)
            .map_err(|e| {
                log::error!("database not opened: {}", e.code());
                e.to_string()
            });
        if store.is_ok() {
            let which = if custom_db {
                "TAGUNGSBUERO_DB"
            } else {
                "default"
            };
            log::info!("database opened ({which} location)");
        }
        AppState {
            store,
            db_path,
            default_backup_folder: data_dir.join(BACKUP_DIR),
            exported: Mutex::new(HashSet::new()),
            smtp_password: Mutex::new(None),
            sending: Mutex::new(()),
            last_backup_error: Mutex::new(None),
        }
    }

    /// A handle that tells whether the database file is still in place, without locking the
    /// store (for the watcher thread); `None` when the store could not be opened.
    pub fn file_watch(&self) -> Option<FileWatch> {
        let store = self.store.as_ref().ok()?;
        let guard = store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        guard.file_watch()
    }

    /// Facts for the UI's start screen.
    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            db_path: self.db_path.display().to_string(),
            open_error: self.store.as_ref().err().cloned(),
            default_backup_folder: self.default_backup_folder.display().to_string(),
        }
    }

    /// The database file in use (opened or not).
    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    /// Where backups go when the settings name no folder.
    pub fn default_backup_folder(&self) -> &Path {
        &self.default_backup_folder
    }

    /// Why the last automatic backup failed (German), if it did.
    pub fn last_backup_error(&self) -> Option<String> {
        self.last_backup_error
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Remembers the outcome of an automatic backup.
    pub fn set_last_backup_error(&self, error: Option<String>) {
        *self
            .last_backup_error
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = error;
    }

    /// Records a file written by an export.
    pub fn remember_export(&self, path: &Path) {
        self.exported
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(path.to_owned());
    }

    /// Whether `path` was written by an export in this session.
    pub fn was_exported(&self, path: &Path) -> bool {
        self.exported
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .contains(path)
    }

    /// Keeps the SMTP password of credential-store entry `entry` in memory for this session.
    pub fn remember_password(&self, entry: &str, password: &str) {
        *self
            .smtp_password
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) =
            Some((entry.to_owned(), password.to_owned()));
    }

    /// The password kept in memory for `entry`, if any.
    pub fn remembered_password(&self, entry: &str) -> Option<String> {
        self.smtp_password
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .as_ref()
            .filter(|(e, _)| e == entry)
            .map(|(_, p)| p.clone())
    }

    /// Runs `action` on the locked store; core errors become [`ErrorDto`] and are logged (their
    /// code and the calling command's location, see [`crate::logging`]); a panic becomes a German
    /// error instead of ending the app.
    #[track_caller]
    pub fn with_store<T>(
        &self,
        action: impl FnOnce(&mut Store) -> CoreResult<T>,
    ) -> Result<T, ErrorDto> {
        let caller = Location::caller();
        let store = self.store.as_ref().map_err(|message| ErrorDto {
            kind: ErrorKind::Internal,
            message: message.clone(),
            fields: Vec::new(),
        })?;
        logging::catch_panic(|| {
            let mut guard = store
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            action(&mut guard).map_err(|e| {
                logging::log_error(caller, e.code());
                ErrorDto::from(&e)
            })
        })
    }
}
