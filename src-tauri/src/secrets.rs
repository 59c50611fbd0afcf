//! The SMTP password in the operating system's credential store (Windows Credential Manager,
//! macOS Keychain, Secret Service on Linux) under service "Tagungsbüro", entry
//! "smtp:<user>@<host>". Where no store is available the password is asked for at sending time
//! and kept in memory for the session only ([`crate::state::AppState::remember_password`]).
//! Never written to the database, a file or a log.

use tagungsbuero_core::mail::settings::CREDENTIAL_SERVICE;

/// Stores `password` for `entry`; `Err` with a German reason when there is no usable store.
pub fn store(entry: &str, password: &str) -> Result<(), String> {
    keyring::Entry::new(CREDENTIAL_SERVICE, entry)
        .and_then(|e| e.set_password(password))
        .map_err(|e| unavailable(&e))
}

/// The stored password of `entry`, `None` when none is stored or there is no store.
pub fn load(entry: &str) -> Option<String> {
    keyring::Entry::new(CREDENTIAL_SERVICE, entry)
        .and_then(|e| e.get_password())
        .ok()
}

/// Removes the stored password of `entry` (nothing stored is fine).
pub fn forget(entry: &str) {
    if let Ok(e) = keyring::Entry::new(CREDENTIAL_SERVICE, entry) {
        let _ = e.delete_credential();
    }
}

fn unavailable(error: &keyring::Error) -> String {
    match error {
        keyring::Error::NoStorageAccess(_) | keyring::Error::PlatformFailure(_) => {
            "Der Passwortspeicher des Betriebssystems ist nicht verfügbar; das Passwort wird \
             nur für diese Sitzung behalten."
                .to_owned()
        }
        other => format!("Das Passwort konnte nicht gespeichert werden ({other})."),
    }
}
