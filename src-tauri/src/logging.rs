//! The support log and what happens on a panic.
//!
//! The log is a rotating file `tagungsbuero.log` in the app's log dir (tauri-plugin-log: at most
//! 1 MB per file, the five newest files kept). Its messages are technical English and must never
//! hold personal data: no names, e-mail addresses, wishes or paths the user chose — commands log
//! their error's [`code`](tagungsbuero_core::CoreError::code) and source location, never the
//! German message (which names records). The E2E test `logs` greps the file for the test persons.
//!
//! A panic is logged with its location and a backtrace, but not its message (a message may
//! carry data). Inside a command the panic is caught ([`catch_panic`]) and becomes a German error
//! for the UI, so the window stays; a panic on another thread is reported to the window as the
//! `app-panic` event.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, Location, PanicHookInfo};
use std::sync::OnceLock;

use log::LevelFilter;
use tagungsbuero_core::error::{ErrorDto, ErrorKind};
use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_log::{RotationStrategy, Target, TargetKind, TimezoneStrategy};

/// The log file's name (without `.log`) in the app's log dir.
pub const LOG_FILE: &str = "tagungsbuero";

/// Event sent to the window when a background thread panicked.
pub const PANIC_EVENT: &str = "app-panic";

/// What the user reads when an action panicked (German, points to the log).
pub const PANIC_MESSAGE: &str = "Interner Fehler: Die Aktion wurde abgebrochen, es wurde nichts \
     gespeichert. Bitte melden Sie den Fehler mit dem Protokoll („Über Tagungsbüro“ → \
     „Protokoll öffnen“).";

/// Where panics are reported to the window (set once the app is up).
static APP: OnceLock<AppHandle> = OnceLock::new();

thread_local! {
    /// Whether this thread runs a command inside [`catch_panic`] (its panic becomes the
    /// command's error, so the window needs no extra event).
    static CATCHING: Cell<bool> = const { Cell::new(false) };
}

/// The log plugin: our crates at `info`, everything else (WebKit glue, tao) only from `warn`.
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    let mut builder = tauri_plugin_log::Builder::new()
        .clear_targets()
        .target(Target::new(TargetKind::LogDir {
            file_name: Some(LOG_FILE.to_owned()),
        }))
        .max_file_size(1_000_000)
        .rotation_strategy(RotationStrategy::KeepSome(5))
        .timezone_strategy(TimezoneStrategy::UseUtc)
        .level(LevelFilter::Warn)
        .level_for("tagungsbuero_lib", LevelFilter::Info)
        .level_for("tagungsbuero_core", LevelFilter::Info);
    if cfg!(debug_assertions) {
        builder = builder.target(Target::new(TargetKind::Stderr));
    }
    builder.build()
}

/// Logs panics (location, thread, backtrace — not the message) and tells the window about
/// panics outside commands. Call once, before the app starts.
pub fn install_panic_hook() {
    // Developers still see the message on stderr (never persisted); installed apps do not.
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info: &PanicHookInfo<'_>| {
        if cfg!(debug_assertions) {
            default(info);
        }
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "unknown".to_owned());
        let thread = std::thread::current();
        let thread = thread.name().unwrap_or("unnamed");
        let backtrace = std::backtrace::Backtrace::force_capture();
        log::error!("panic at {location} on thread {thread}\n{backtrace}");
        if thread != "main"
            && !CATCHING.get()
            && let Some(app) = APP.get()
        {
            let _ = app.emit(PANIC_EVENT, PANIC_MESSAGE);
        }
    }));
}

/// Lets the panic hook reach the window.
pub fn set_app(app: AppHandle) {
    let _ = APP.set(app);
}

/// Runs a command's body; a panic becomes [`PANIC_MESSAGE`] (the hook has logged it) instead of
/// tearing down the app. A store transaction that was open is rolled back by its drop.
pub fn catch_panic<T>(action: impl FnOnce() -> Result<T, ErrorDto>) -> Result<T, ErrorDto> {
    let outer = CATCHING.replace(true);
    let result = std::panic::catch_unwind(AssertUnwindSafe(action));
    CATCHING.set(outer);
    result.unwrap_or_else(|_| {
        Err(ErrorDto {
            kind: ErrorKind::Internal,
            message: PANIC_MESSAGE.to_owned(),
            fields: Vec::new(),
        })
    })
}

/// Logs a failed command: the error's code and the command's source location, nothing else.
pub fn log_error(location: &Location<'_>, code: &str) {
    match code {
        "validation" | "email_taken" | "not_found" | "conflict" => {
            log::info!(
                "command at {}:{} refused: {code}",
                location.file(),
                location.line()
            )
        }
        _ => log::warn!(
            "command at {}:{} failed: {code}",
            location.file(),
            location.line()
        ),
    }
}
