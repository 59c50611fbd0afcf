//! The LAN sync of the running app: a [`TeamNode`] on a second connection to the store, started
//! once the window has painted (the UI asks for it, so the start screen never waits for the
//! network) and stopped when the app ends. What it reports reaches the UI as Tauri events:
//! [`crate::commands::sync::SYNC_CHANGED_EVENT`] when another laptop's changes were applied
//! (the screens reload) and [`TEAM_EVENT`] for every exchange, pairing or failure (the header
//! and the team page refresh).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use tagungsbuero_core::sync::net::{TeamEvent, TeamNode, TeamOptions};
use tagungsbuero_core::{CoreError, CoreResult};
use tauri::{AppHandle, Emitter, Manager};

use crate::commands::sync::announce_changes;
use crate::state::AppState;

/// Sent to the UI with a [`TeamEvent`] after every exchange, pairing or failed attempt.
pub const TEAM_EVENT: &str = "team-event";

/// Environment variable naming the address to serve the team on (default: every interface at
/// the core's default port), e.g. `127.0.0.1:0` for a second instance on one machine.
const LISTEN_ENV: &str = "TAGUNGSBUERO_SYNC_LISTEN";

/// The running node, or why it is not running.
#[derive(Default)]
pub struct Team {
    node: Mutex<Option<TeamNode>>,
    error: Mutex<Option<String>>,
}

impl Team {
    fn node(&self) -> MutexGuard<'_, Option<TeamNode>> {
        self.node.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts the node once (later calls do nothing); a failure is kept for the team page.
    pub fn start(&self, app: &AppHandle, state: &AppState) {
        let mut node = self.node();
        if node.is_some() {
            return;
        }
        let started =
            state
                .with_store(|store| {
                    let mut options = TeamOptions::for_database(state.db_path())?;
                    if let Some(listen) = std::env::var_os(LISTEN_ENV).filter(|v| !v.is_empty()) {
                        options.listen = listen.to_string_lossy().parse::<SocketAddr>().map_err(
                            |_| {
                                CoreError::Conflict(format!(
                                    "{LISTEN_ENV} ist keine Adresse mit Port (z. B. 0.0.0.0:47111)."
                                ))
                            },
                        )?;
                    }
                    let app = app.clone();
                    options.on_event = Some(Arc::new(move |event: &TeamEvent| {
                        match event.kind.as_str() {
                            "aenderungen" => announce_changes(&app),
                            // A laptop joined this one's team: share the data right away.
                            "gekoppelt" => exchange_soon(&app),
                            _ => {}
                        }
                        let _ = app.emit(TEAM_EVENT, event);
                    }));
                    let second = store.second_connection()?;
                    TeamNode::start(second, options)
                })
                .map_err(|e| e.message);
        match started {
            Ok(started) => {
                log::info!("team sync serving on port {}", started.port());
                *node = Some(started);
                *self.error.lock().unwrap_or_else(|p| p.into_inner()) = None;
            }
            Err(message) => {
                log::warn!("team sync not started");
                *self.error.lock().unwrap_or_else(|p| p.into_inner()) = Some(message);
            }
        }
    }

    /// Runs `f` with the running node, or a German error saying why there is none.
    pub fn with_node<T>(&self, f: impl FnOnce(&TeamNode) -> CoreResult<T>) -> CoreResult<T> {
        let node = self.node();
        match node.as_ref() {
            Some(node) => f(node),
            None => Err(CoreError::Conflict(self.not_running())),
        }
    }

    /// Why the node is not running (German).
    fn not_running(&self) -> String {
        self.error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .map_or_else(
                || "Der Abgleich im Netzwerk ist noch nicht gestartet.".to_owned(),
                |e| format!("Der Abgleich im Netzwerk läuft nicht: {e}"),
            )
    }

    /// Whether the node runs, and the start error if it does not.
    pub fn running(&self) -> (bool, Option<String>) {
        let running = self.node().is_some();
        (
            running,
            self.error.lock().unwrap_or_else(|p| p.into_inner()).clone(),
        )
    }

    /// Runs `f` with the node stopped and starts it again afterwards when it ran: swapping the
    /// database file (restoring a backup or a deleted file) needs the node's second connection
    /// closed, and the node then goes on with the restored data.
    pub fn while_stopped<T>(&self, app: &AppHandle, state: &AppState, f: impl FnOnce() -> T) -> T {
        let was_running = self.node().is_some();
        self.stop();
        let result = f();
        if was_running {
            self.start(app, state);
        }
        result
    }

    /// Stops the node (on quit).
    pub fn stop(&self) {
        if let Some(node) = self.node().take() {
            node.shutdown();
        }
    }
}

/// Exchanges with every paired laptop on a thread of its own (after a pairing), so the new
/// laptop has the data within seconds rather than at the next round.
pub fn exchange_soon(app: &AppHandle) {
    let app = app.clone();
    let _ = std::thread::Builder::new()
        .name("abgleich-jetzt".into())
        .spawn(move || {
            if app.state::<Team>().with_node(TeamNode::sync_now).is_err() {
                log::warn!("exchange after pairing failed");
            }
        });
}
