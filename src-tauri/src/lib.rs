//! The Tauri shell of Tagungsbüro: opens the store and exposes thin commands over the core.
//!
//! Nothing here decides anything about the domain: each command locks the store, calls one core
//! function inside one transaction and converts errors to [`ErrorDto`] for the UI.

mod commands;
mod state;

use tauri::Manager;

pub use state::AppInfo;

/// Starts the desktop app.
pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            let data_dir = app.path().app_data_dir()?;
            app.manage(state::AppState::open(&data_dir));
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .expect("Tagungsbüro konnte nicht gestartet werden");
}
