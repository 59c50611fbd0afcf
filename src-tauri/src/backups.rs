//! Automatic backups and the passphrase of encrypted ones.
//!
//! A backup is made on start when the newest is older than a day, and on closing when the data
//! changed since the newest (core: `backup::is_due`, `backup::changed_since_last`). The folder is
//! the one in the settings, else `Sicherungen` in the app data dir (created by the app, like the
//! data dir itself). The passphrase lives in the OS credential store (service "Tagungsbüro",
//! entry "Sicherungskennwort"); it never reaches the database, a file or a log.

use std::path::PathBuf;

use tagungsbuero_core::backup::{self, BackupInfo, Passphrase};
use tagungsbuero_core::error::ErrorDto;
use tagungsbuero_core::{CoreError, CoreResult, Store, settings};

use crate::commands::failure;
use crate::state::AppState;

/// Service name in the OS credential store (shared with other secrets of the app).
const KEYRING_SERVICE: &str = "Tagungsbüro";
/// Entry name of the backup passphrase.
const KEYRING_ENTRY: &str = "Sicherungskennwort";

/// The backup folder: the settings' folder, else the default one (created when missing).
pub fn folder(state: &AppState, store: &mut Store) -> CoreResult<PathBuf> {
    let chosen = store.read(settings::get)?.backup_folder;
    match chosen {
        Some(folder) => Ok(PathBuf::from(folder)),
        None => {
            let default = state.default_backup_folder().to_owned();
            std::fs::create_dir_all(&default)?;
            Ok(default)
        }
    }
}

/// A backup into the backup folder, encrypted when the settings say so.
pub fn back_up(state: &AppState, store: &mut Store) -> CoreResult<BackupInfo> {
    let folder = folder(state, store)?;
    let encrypted = store.read(settings::get)?.backup_encrypted;
    let passphrase = if encrypted {
        let stored = stored_passphrase().map_err(CoreError::Conflict)?;
        Some(stored.ok_or_else(|| {
            CoreError::Conflict(
                "Die Sicherungen sollen verschlüsselt werden, aber es ist kein Kennwort \
                 hinterlegt. Bitte legen Sie in den Einstellungen unter „Sicherungen“ ein \
                 Kennwort fest."
                    .to_owned(),
            )
        })?)
    } else {
        None
    };
    backup::back_up_into(store, &folder, passphrase.as_ref())
}

/// The automatic backup on start (`closing == false`: when the newest is older than a day) or
/// on closing (when the data changed). A failure is remembered for the Einstellungen screen.
pub fn automatic(state: &AppState, closing: bool) {
    let result = state.with_store(|store| {
        let folder = folder(state, store)?;
        let due = if closing {
            backup::changed_since_last(store, &folder)?
        } else {
            backup::is_due(&folder)?
        };
        if due {
            back_up(state, store)?;
        }
        Ok(())
    });
    state.set_last_backup_error(result.err().map(|e| e.message));
}

fn entry() -> Result<keyring::Entry, String> {
    keyring::Entry::new(KEYRING_SERVICE, KEYRING_ENTRY).map_err(|e| keyring_message(&e))
}

fn keyring_message(error: &keyring::Error) -> String {
    format!(
        "Der Kennwortspeicher des Systems ist nicht erreichbar ({error}). Ohne ihn können \
         Sicherungen nicht automatisch verschlüsselt werden."
    )
}

/// The stored passphrase, `None` when none is stored.
pub fn stored_passphrase() -> Result<Option<Passphrase>, String> {
    match entry()?.get_password() {
        Ok(text) => Passphrase::new(text).map(Some).map_err(|e| e.to_string()),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(keyring_message(&e)),
    }
}

/// Stores the passphrase (at least 8 characters); an empty one removes it.
pub fn store_passphrase(text: String) -> Result<(), ErrorDto> {
    let entry = entry().map_err(|m| failure(&m))?;
    if text.is_empty() {
        return match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(failure(&keyring_message(&e))),
        };
    }
    Passphrase::new(text.clone()).map_err(|e| ErrorDto::from(&e))?;
    entry
        .set_password(&text)
        .map_err(|e| failure(&keyring_message(&e)))
}

/// The passphrase the user typed, else the stored one.
pub fn passphrase_for(typed: Option<String>) -> Result<Option<Passphrase>, ErrorDto> {
    match typed.filter(|t| !t.is_empty()) {
        Some(text) => Passphrase::new(text)
            .map(Some)
            .map_err(|e| ErrorDto::from(&e)),
        None => Ok(stored_passphrase().unwrap_or(None)),
    }
}
