//! The Tauri shell of Tagungsbüro: opens the store and exposes thin commands over the core.

/// Starts the desktop app.
pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .run(tauri::generate_context!())
        .expect("Tagungsbüro konnte nicht gestartet werden");
}
