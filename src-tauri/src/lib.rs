//! The Tauri shell of Tagungsbüro: opens the store and exposes thin commands over the core.
//!
//! Nothing here decides anything about the domain: each command locks the store, calls one core
//! function inside one transaction and converts errors to [`ErrorDto`] for the UI.

mod backups;
mod commands;
mod logging;
mod mail_background;
mod secrets;
mod state;
mod team;
mod watcher;

use tauri::Manager;

pub use state::AppInfo;

/// Starts the desktop app.
pub fn run() {
    logging::install_panic_hook();
    let mut builder = tauri::Builder::default();
    // First, so a second start on the default database only brings the running window to the
    // front: two instances on one database are refused by the core's guard anyway, this makes it
    // friendly. A start on another database (`TAGUNGSBUERO_DB`, e.g. a second laptop's data on
    // one machine) is its own window.
    if std::env::var_os(state::DB_ENV).is_none_or(|v| v.is_empty()) {
        builder = builder.plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }));
    }
    builder
        .plugin(logging::plugin())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            logging::set_app(app.handle().clone());
            log::info!(
                "Tagungsbuero {} starting on {}/{}, webview {}",
                env!("CARGO_PKG_VERSION"),
                std::env::consts::OS,
                std::env::consts::ARCH,
                tauri::webview_version().unwrap_or_else(|_| "unknown".to_owned())
            );
            let data_dir = app.path().app_data_dir()?;
            let state = state::AppState::open(&data_dir);
            if let Some(watch) = state.file_watch() {
                watcher::spawn(app.handle().clone(), watch);
            }
            app.manage(state);
            // Queued messages of automatic events go out while the app runs.
            app.manage(mail_background::BackgroundSender::start(app.handle()));
            // The LAN sync starts when the UI asks for it (after its first paint).
            app.manage(team::Team::default());
            // The backup on start (when the newest is older than a day), off the main thread.
            let handle = app.handle().clone();
            std::thread::Builder::new()
                .name("sicherung".into())
                .spawn(move || backups::automatic(&handle.state::<state::AppState>(), false))?;
            // The wishes' example reader learns its built-in examples (~0.1 s) before the
            // first suggestions are asked for.
            std::thread::Builder::new()
                .name("beispielwuensche".into())
                .spawn(tagungsbuero_core::wishes::prepare_suggestions)?;
            Ok(())
        })
        .invoke_handler(commands::handler())
        .build(tauri::generate_context!())
        .expect("Tagungsbüro konnte nicht gestartet werden")
        .run(|app, event| {
            // On closing: the background sender stops between two messages and the LAN sync
            // stops; then the backup runs when the data changed since the newest backup.
            if let tauri::RunEvent::Exit = event {
                app.state::<mail_background::BackgroundSender>().shutdown();
                app.state::<team::Team>().stop();
                backups::automatic(&app.state::<state::AppState>(), true);
            }
        });
}
