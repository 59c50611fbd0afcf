//! The laptop's secret node key: it proves to the team that a connection comes from this laptop
//! (the others only accept the public keys they paired with).
//!
//! Kept in a file beside the database (`<database>.laptopschluessel`, readable only by the
//! user), never in the database: a backup, a copied database file or a sync file must not carry
//! the identity of the laptop, and restoring a backup on a new laptop gives it a new key (it is
//! paired again). Not in the OS credential store because the same database is served by the app
//! and by `tagungsbuero-cli sync serve` (also on machines without a credential store, like CI),
//! and both must be the same laptop; whoever can read this folder can read the database itself,
//! which holds everything the key could give access to.

use std::io::Write;
use std::path::{Path, PathBuf};

use iroh::SecretKey;

use crate::error::{CoreError, CoreResult};

/// Where the key of the database at `db` is kept.
pub fn key_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".laptopschluessel");
    db.with_file_name(name)
}

/// Reads the key at `path`, or creates it (only this user may read it).
pub fn load_or_create(path: &Path) -> CoreResult<[u8; 32]> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(text.trim()).ok_or_else(|| {
            CoreError::Conflict(format!(
                "Der Laptopschlüssel {} ist beschädigt. Bitte die Datei löschen; danach muss dieser Laptop neu gekoppelt werden.",
                path.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path),
        Err(e) => Err(CoreError::Conflict(format!(
            "Der Laptopschlüssel {} kann nicht gelesen werden: {e}",
            path.display()
        ))),
    }
}

fn parse(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

fn create(path: &Path) -> CoreResult<[u8; 32]> {
    let key = SecretKey::generate().to_bytes();
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(path).and_then(|mut file| {
        file.write_all(hex.as_bytes())?;
        file.sync_all()
    });
    match written {
        Ok(()) => Ok(key),
        // Another process created it at the same moment: use that one.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => load_or_create(path),
        Err(e) => Err(CoreError::Conflict(format!(
            "Der Laptopschlüssel {} kann nicht angelegt werden: {e}",
            path.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_created_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = key_path(&dir.path().join("daten.db"));
        assert!(path.ends_with("daten.db.laptopschluessel"));
        let first = load_or_create(&path).unwrap();
        assert_eq!(load_or_create(&path).unwrap(), first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "only the user may read the key");
        }
        std::fs::write(&path, "kaputt").unwrap();
        assert!(
            load_or_create(&path)
                .unwrap_err()
                .to_string()
                .contains("beschädigt")
        );
    }
}
