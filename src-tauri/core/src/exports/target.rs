//! Where an export may write. The save dialog (and the CLI's `--out`) accept any path, so an
//! export once replaced the live database with a spreadsheet and wrote into
//! `~/.config/autostart/`. Every export target passes [`check_target`] first:
//!
//! - the file name ends with the exporter's own extension (`.xlsx`, `.csv`);
//! - it is none of the protected files — the database, its `-wal`/`-shm`/`-journal` and the
//!   lock file next to it — compared after resolving symbolic links and `..`, and on Unix also
//!   by inode (a hard link or another spelling of the same file);
//! - it lies in none of the protected folders (the user's configuration folder with its
//!   autostart entries, the app's own folders, backups), nor in a subfolder of them.
//!
//! The check lives here so the app and the CLI share it; each passes what it protects.

use std::path::{Component, Path, PathBuf};

/// Why a path is no export target (German messages).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// The file does not end with the exporter's extension.
    #[error(
        "Exporte werden nur als .{expected}-Datei gespeichert; „{file}“ endet nicht auf \
         .{expected}. Bitte einen Dateinamen mit der Endung .{expected} wählen."
    )]
    WrongExtension {
        /// The extension the export needs (without dot).
        expected: String,
        /// The chosen file name.
        file: String,
    },
    /// The file is the database or one of its companion files.
    #[error(
        "„{file}“ gehört zur Datenbank von Tagungsbüro und darf nicht durch einen Export \
         überschrieben werden. Bitte einen anderen Namen oder Ordner wählen."
    )]
    DatabaseFile {
        /// The chosen file name.
        file: String,
    },
    /// The file lies in a folder exports never write to.
    #[error(
        "In den Ordner {folder} werden keine Exporte gespeichert (Einstellungen bzw. \
         Sicherungen). Bitte einen anderen Ordner wählen, z. B. „Dokumente“."
    )]
    ProtectedFolder {
        /// The protected folder.
        folder: String,
    },
    /// The path names no file.
    #[error("Bitte einen Dateinamen angeben.")]
    NoFileName,
}

impl From<TargetError> for crate::error::CoreError {
    fn from(error: TargetError) -> Self {
        crate::error::CoreError::invalid("path", error.to_string())
    }
}

/// The files and folders an export must never write to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProtectedPaths {
    files: Vec<PathBuf>,
    folders: Vec<PathBuf>,
}

/// Suffixes of the files SQLite and Tagungsbüro keep next to a database.
const DATABASE_COMPANIONS: [&str; 4] = ["-wal", "-shm", "-journal", ".lock"];

impl ProtectedPaths {
    /// Nothing protected (add with [`Self::database`] and [`Self::folder`]).
    pub fn new() -> Self {
        ProtectedPaths::default()
    }

    /// What every caller protects: the database `db` with its companion files and the user's
    /// configuration folder (autostart entries live there).
    pub fn for_database(db: &Path) -> Self {
        let mut protected = ProtectedPaths::new().database(db);
        if let Some(config) = user_config_folder() {
            protected = protected.folder(&config);
        }
        protected
    }

    /// Protects the database file and its `-wal`, `-shm`, `-journal` and `.lock` files.
    pub fn database(mut self, db: &Path) -> Self {
        self.files.push(db.to_owned());
        for suffix in DATABASE_COMPANIONS {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            self.files.push(PathBuf::from(name));
        }
        self
    }

    /// Protects a folder and everything below it (backups, the app's configuration).
    pub fn folder(mut self, folder: &Path) -> Self {
        self.folders.push(folder.to_owned());
        self
    }
}

/// The user's configuration folder: `$XDG_CONFIG_HOME` or `~/.config` on Linux, `%APPDATA%` on
/// Windows (holds the Startup folder), `~/Library` on macOS (holds LaunchAgents).
fn user_config_folder() -> Option<PathBuf> {
    let non_empty = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if cfg!(windows) {
        return non_empty("APPDATA").map(PathBuf::from);
    }
    let home = non_empty("HOME").map(PathBuf::from);
    if cfg!(target_os = "macos") {
        return home.map(|h| h.join("Library"));
    }
    non_empty("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| home.map(|h| h.join(".config")))
}

/// Refuses a target that does not end in `.{extension}`, is a protected file or lies in a
/// protected folder.
pub fn check_target(
    target: &Path,
    extension: &str,
    protected: &ProtectedPaths,
) -> Result<(), TargetError> {
    let file = target
        .file_name()
        .ok_or(TargetError::NoFileName)?
        .to_string_lossy()
        .into_owned();
    let suffix = format!(".{}", extension.to_lowercase());
    if !file.to_lowercase().ends_with(&suffix) || file.len() == suffix.len() {
        return Err(TargetError::WrongExtension {
            expected: extension.to_owned(),
            file,
        });
    }
    let resolved = resolve(target);
    for protected_file in &protected.files {
        if same_file(&resolved, &resolve(protected_file)) {
            return Err(TargetError::DatabaseFile { file });
        }
    }
    for folder in &protected.folders {
        let folder = resolve(folder);
        if starts_with(&resolved, &folder) {
            return Err(TargetError::ProtectedFolder {
                folder: folder.display().to_string(),
            });
        }
    }
    Ok(())
}

/// An absolute path with symbolic links and `..` resolved as far as the path exists; the part
/// that does not exist yet is appended as written (without `.` and with `..` applied).
pub(crate) fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut existing = absolute.clone();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            let mut out = canonical;
            for part in rest.iter().rev() {
                match Path::new(part).components().next() {
                    Some(Component::ParentDir) => {
                        out.pop();
                    }
                    Some(Component::CurDir) | None => {}
                    _ => out.push(part),
                }
            }
            return out;
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_owned());
                existing = parent.to_owned();
            }
            _ => {
                // `..` at the end, or nothing exists at all: fall back to the plain path.
                return absolute;
            }
        }
    }
}

/// Same path (case-insensitive where the file system usually is), or on Unix the same inode.
fn same_file(a: &Path, b: &Path) -> bool {
    if same_spelling(a, b) {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return ma.dev() == mb.dev() && ma.ino() == mb.ino();
        }
    }
    false
}

fn same_spelling(a: &Path, b: &Path) -> bool {
    if cfg!(any(windows, target_os = "macos")) {
        a.to_string_lossy().to_lowercase() == b.to_string_lossy().to_lowercase()
    } else {
        a == b
    }
}

fn starts_with(path: &Path, folder: &Path) -> bool {
    if cfg!(any(windows, target_os = "macos")) {
        let path = PathBuf::from(path.to_string_lossy().to_lowercase());
        path.starts_with(folder.to_string_lossy().to_lowercase())
    } else {
        path.starts_with(folder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn protected(dir: &Path) -> (PathBuf, ProtectedPaths) {
        let db = dir.join("tagungsbuero.db");
        std::fs::write(&db, b"SQLite format 3\0").unwrap();
        let config = dir.join("config");
        std::fs::create_dir_all(config.join("autostart")).unwrap();
        let paths = ProtectedPaths::new().database(&db).folder(&config);
        (db, paths)
    }

    #[test]
    fn only_files_with_the_exporters_extension_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let (_, paths) = protected(dir.path());
        let ok = dir.path().join("Liste.XLSX");
        assert_eq!(check_target(&ok, "xlsx", &paths), Ok(()));
        for bad in ["Liste.csv", "Liste", "Liste.xlsx.desktop", ".xlsx"] {
            let err = check_target(&dir.path().join(bad), "xlsx", &paths).unwrap_err();
            assert!(
                matches!(err, TargetError::WrongExtension { .. }),
                "{bad}: {err:?}"
            );
            assert!(err.to_string().contains("Endung .xlsx"));
        }
    }

    #[test]
    fn the_database_and_its_companions_are_refused_in_every_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        let db = dir.path().join("daten.xlsx");
        std::fs::write(&db, b"SQLite format 3\0").unwrap();
        let paths = ProtectedPaths::new().database(&db);
        let spellings = [
            db.clone(),
            sub.join("../daten.xlsx"),
            dir.path().join("./daten.xlsx"),
        ];
        for target in &spellings {
            assert!(
                matches!(
                    check_target(target, "xlsx", &paths),
                    Err(TargetError::DatabaseFile { .. })
                ),
                "{}",
                target.display()
            );
        }
        #[cfg(unix)]
        {
            let link = sub.join("verweis.xlsx");
            std::os::unix::fs::symlink(&db, &link).unwrap();
            assert!(check_target(&link, "xlsx", &paths).is_err(), "symlink");
            let hard = sub.join("hart.xlsx");
            std::fs::hard_link(&db, &hard).unwrap();
            assert!(check_target(&hard, "xlsx", &paths).is_err(), "hard link");
        }
        let db = dir.path().join("bank.db");
        let paths = ProtectedPaths::new().database(&db);
        for companion in [
            "bank.db-wal",
            "bank.db-shm",
            "bank.db.lock",
            "bank.db-journal",
        ] {
            // Even with an extension that would match the name.
            assert!(
                matches!(
                    check_target(&dir.path().join(companion), &companion[5..], &paths),
                    Err(TargetError::DatabaseFile { .. })
                ),
                "{companion}"
            );
        }
    }

    #[test]
    fn protected_folders_and_their_subfolders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (_, paths) = protected(dir.path());
        let err = check_target(
            &dir.path().join("config/autostart/liste.xlsx"),
            "xlsx",
            &paths,
        )
        .unwrap_err();
        assert!(matches!(err, TargetError::ProtectedFolder { .. }));
        assert!(err.to_string().contains("keine Exporte"));
        // A sibling whose name only starts the same way is fine.
        std::fs::create_dir(dir.path().join("config-export")).unwrap();
        assert_eq!(
            check_target(&dir.path().join("config-export/l.xlsx"), "xlsx", &paths),
            Ok(())
        );
        // A folder that does not exist yet is resolved below its existing parent.
        assert!(
            check_target(
                &dir.path().join("config/neu/../autostart/l.xlsx"),
                "xlsx",
                &paths
            )
            .is_err()
        );
    }
}
