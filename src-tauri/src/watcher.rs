//! Notices when the database file disappears or is replaced while the app runs.
//!
//! Deleting the open database changed nothing visible before: the app went on writing into a
//! file nobody could reach any more. Writes are now refused by the core; this thread makes the
//! UI say so at once, not only at the next save.

use std::time::Duration;

use tagungsbuero_core::store::{FileState, FileWatch};
use tauri::{AppHandle, Emitter};

/// The event the UI listens to; its payload is the new [`FileState`].
pub const DATABASE_FILE_EVENT: &str = "database-file";

/// How often the file is looked at (one `stat`, no lock on the store).
const INTERVAL: Duration = Duration::from_secs(2);

/// Starts the watcher; it ends with the store.
pub fn spawn(app: AppHandle, watch: FileWatch) {
    std::thread::Builder::new()
        .name("datenbank-waechter".into())
        .spawn(move || {
            let mut last = FileState::Present;
            while let Some(state) = watch.state() {
                if state != last {
                    log::warn!("database file state changed: {state:?}");
                    let _ = app.emit(DATABASE_FILE_EVENT, state);
                    last = state;
                }
                std::thread::sleep(INTERVAL);
            }
        })
        .expect("Thread für die Dateiüberwachung konnte nicht gestartet werden");
}
