//! The background sender: while the app runs, a thread looks every few seconds whether
//! messages are due and sends them like "Jetzt senden", but with the automatic scope (waiting
//! messages and failed ones whose retry time came), the stored rate limit and only with a
//! password already known (this session's or the credential store's) — it never asks. It skips
//! a round while the office's own "Jetzt senden" runs (the shared `sending` lock, so nothing
//! goes out twice) and stops between two messages when the app quits. Every decision is the
//! core's (`mail::send::background_gate`, `send_due`, `background_status`); this is only the
//! thread. The UI learns what happens from `mail-background` events.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, TryLockError};
use std::thread::JoinHandle;
use std::time::Duration;

use tagungsbuero_core::mail::outbox::Scope;
use tagungsbuero_core::mail::send::{
    self, BackgroundState, BackgroundStatus, Mailer, SendOptions, SmtpAccess,
};
use tagungsbuero_core::mail::settings;
use tauri::{AppHandle, Emitter, Manager};

use crate::commands::mail::{SharedStore, known_password};
use crate::state::AppState;

/// How often the thread looks for due messages.
const INTERVAL: Duration = Duration::from_secs(5);
/// The step in which it sleeps, so quitting is never held up for long.
const STEP: Duration = Duration::from_millis(200);

/// The running background sender (managed app state).
pub struct BackgroundSender {
    stop: Arc<AtomicBool>,
    thread: Mutex<Option<JoinHandle<()>>>,
    status: Arc<Mutex<BackgroundStatus>>,
}

fn resting() -> BackgroundStatus {
    BackgroundStatus {
        state: BackgroundState::Ruht,
        message: String::new(),
        due: 0,
    }
}

impl BackgroundSender {
    /// Starts the thread (only when the store is open).
    pub fn start(app: &AppHandle) -> BackgroundSender {
        let stop = Arc::new(AtomicBool::new(false));
        let status = Arc::new(Mutex::new(resting()));
        let thread = std::thread::Builder::new()
            .name("postausgang".into())
            .spawn({
                let app = app.clone();
                let stop = stop.clone();
                let status = status.clone();
                move || run(&app, &stop, &status)
            })
            .map_err(|e| log::error!("background sender not started: {e}"))
            .ok();
        BackgroundSender {
            stop,
            thread: Mutex::new(thread),
            status,
        }
    }

    /// What it is doing now.
    pub fn status(&self) -> BackgroundStatus {
        self.status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Asks the thread to stop and waits for it: a message being handed to the server is
    /// finished and recorded, nothing further is started.
    pub fn shutdown(&self) {
        self.stop.store(true, Ordering::SeqCst);
        let thread = self.thread.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }
}

fn publish(app: &AppHandle, shared: &Mutex<BackgroundStatus>, status: BackgroundStatus) {
    let mut current = shared.lock().unwrap_or_else(|p| p.into_inner());
    if *current != status {
        *current = status.clone();
        drop(current);
        let _ = app.emit("mail-background", &status);
    }
}

fn run(app: &AppHandle, stop: &Arc<AtomicBool>, status: &Mutex<BackgroundStatus>) {
    while !stop.load(Ordering::SeqCst) {
        if let Some(next) = round(app, stop, status) {
            publish(app, status, next);
        }
        let mut slept = Duration::ZERO;
        while slept < INTERVAL && !stop.load(Ordering::SeqCst) {
            std::thread::sleep(STEP);
            slept += STEP;
        }
    }
}

/// One look at the outbox; `None` when there is nothing new to say (the office is sending).
fn round(
    app: &AppHandle,
    stop: &Arc<AtomicBool>,
    status: &Mutex<BackgroundStatus>,
) -> Option<BackgroundStatus> {
    let state = app.state::<AppState>();
    let settings = state.with_store(|s| s.read(settings::get)).ok()?;
    let password = known_password(&state, &settings);
    let gate = state
        .with_store(|s| s.read(|c| send::background_gate(c, &settings, password.is_some())))
        .ok()?;
    if let Some(waiting) = gate {
        return Some(waiting);
    }
    let _running = match state.sending.try_lock() {
        Ok(guard) => guard,
        Err(TryLockError::Poisoned(p)) => p.into_inner(),
        Err(TryLockError::WouldBlock) => return None,
    };
    let mailer = match Mailer::new(&SmtpAccess::from_settings(&settings, password)) {
        Ok(m) => m,
        Err(e) => {
            return Some(BackgroundStatus {
                state: BackgroundState::Pausiert,
                message: e.to_string(),
                due: 0,
            });
        }
    };
    let options = SendOptions {
        scope: Scope::Automatic,
        per_minute: None,
        fallback_sender: None,
        stop: Some(stop.clone()),
    };
    publish(
        app,
        status,
        send::background_status(&send::SendReport::default(), true, 0),
    );
    let report = send::send_due(&mut SharedStore(&state), &mailer, options, &mut |report| {
        let _ = app.emit("mail-progress", report);
        publish(app, status, send::background_status(report, true, 0));
    })
    .ok()?;
    log::info!(
        "background mail run: {} sent, {} failed, {} superseded",
        report.sent,
        report.failed,
        report.superseded
    );
    Some(send::background_status(&report, false, 0))
}
