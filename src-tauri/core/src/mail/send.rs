//! Sending through the office's mail server (SMTP with STARTTLS or TLS; unencrypted only to a
//! test server on this computer), with the rate limit and retries.
//!
//! A run never holds the store while talking to the server: each message is claimed in one
//! short transaction (frozen, state `sendet`), handed to the server, and its result written in
//! a second one. So a crash or a dropped connection can leave a message `sendet` or
//! `fehlgeschlagen`, never lost and never sent twice on its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use lettre::transport::smtp::SmtpTransport;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, Transport};
use serde::Serialize;
use ts_rs::TS;

use super::Security;
use super::compose;
use super::outbox::{self, Claim, Scope};
use super::settings::{self, MailSettings};
use crate::Store;
use crate::error::{CoreError, CoreResult};

/// How to reach the mail server: the stored settings plus the password from the credential
/// store, a prompt or the environment (never stored by this module).
#[derive(Clone)]
pub struct SmtpAccess {
    /// Server name.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Connection security.
    pub security: Security,
    /// User name; empty: no login.
    pub user: String,
    /// Password; only used with a user name.
    pub password: Option<String>,
}

impl std::fmt::Debug for SmtpAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpAccess")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish()
    }
}

impl SmtpAccess {
    /// The access of the stored settings with `password`.
    pub fn from_settings(settings: &MailSettings, password: Option<String>) -> Self {
        SmtpAccess {
            host: settings.smtp_host.clone(),
            port: settings.smtp_port,
            security: settings.security,
            user: settings.smtp_user.clone(),
            password,
        }
    }
}

/// Why the server did not take a message, in German, and whether trying later may help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    /// German reason (no password, no server secrets).
    pub reason: String,
    /// A temporary failure (network, timeout, 4xx): retried automatically.
    pub temporary: bool,
    /// The server or the connection failed as a whole (not this message): the run stops.
    pub whole_server: bool,
}

/// A connection to the office's mail server (connections are reused within a run).
pub struct Mailer {
    transport: SmtpTransport,
    host: String,
    port: u16,
}

/// How long to wait for the server before giving up on one step.
const TIMEOUT: Duration = Duration::from_secs(20);

impl Mailer {
    /// Prepares the connection (it is opened with the first message).
    pub fn new(access: &SmtpAccess) -> CoreResult<Mailer> {
        let host = access.host.trim();
        if host.is_empty() {
            return Err(CoreError::invalid(
                "smtp_host",
                "Bitte zuerst den Mailserver in den Einstellungen (E-Mail-Versand) eintragen.",
            ));
        }
        let builder = match access.security {
            Security::Starttls => SmtpTransport::starttls_relay(host),
            Security::Tls => SmtpTransport::relay(host),
            Security::Plain if settings::is_loopback(host) => {
                Ok(SmtpTransport::builder_dangerous(host))
            }
            Security::Plain => {
                return Err(CoreError::invalid(
                    "security",
                    "Ohne Verschlüsselung wird nur an einen Testserver auf diesem Rechner \
                     gesendet (localhost).",
                ));
            }
        }
        .map_err(|e| CoreError::invalid("smtp_host", format!("Ungültiger Mailserver: {e}")))?;
        let mut builder = builder.port(access.port).timeout(Some(TIMEOUT));
        if !access.user.trim().is_empty() {
            let password = access.password.clone().ok_or_else(|| {
                CoreError::invalid("password", "Bitte das Passwort des E-Mail-Kontos eingeben.")
            })?;
            builder =
                builder.credentials(Credentials::new(access.user.trim().to_owned(), password));
        }
        Ok(Mailer {
            transport: builder.build(),
            host: host.to_owned(),
            port: access.port,
        })
    }

    /// Hands one message to the server.
    pub fn deliver(&self, message: &Message) -> Result<(), SendError> {
        self.transport
            .send(message)
            .map(|_| ())
            .map_err(|e| self.explain(&e))
    }

    /// Connects and logs in without sending (for "Verbindung prüfen").
    pub fn check(&self) -> Result<(), SendError> {
        match self.transport.test_connection() {
            Ok(true) => Ok(()),
            Ok(false) => Err(self.unreachable("keine Antwort")),
            Err(e) => Err(self.explain(&e)),
        }
    }

    fn unreachable(&self, detail: &str) -> SendError {
        SendError {
            reason: format!(
                "Der Mailserver {}:{} ist nicht erreichbar ({detail}). Bitte Servername, Port \
                 und Verschlüsselung prüfen.",
                self.host, self.port
            ),
            temporary: true,
            whole_server: true,
        }
    }

    fn explain(&self, e: &lettre::transport::smtp::Error) -> SendError {
        let code = e.status().map(|c| c.to_string()).unwrap_or_default();
        let detail = e.to_string();
        if e.is_timeout() {
            return SendError {
                reason: "Der Mailserver antwortet nicht (Zeitüberschreitung).".into(),
                temporary: true,
                whole_server: true,
            };
        }
        if e.is_tls() {
            return SendError {
                reason: format!(
                    "Die verschlüsselte Verbindung zum Mailserver ist fehlgeschlagen ({detail}). \
                     Bitte die Verschlüsselung (STARTTLS/TLS) und den Port prüfen."
                ),
                temporary: true,
                whole_server: true,
            };
        }
        if matches!(code.as_str(), "530" | "534" | "535" | "538") {
            return SendError {
                reason: "Der Mailserver hat die Anmeldung abgelehnt – bitte Benutzername und \
                         Passwort prüfen."
                    .into(),
                temporary: false,
                whole_server: true,
            };
        }
        if e.is_permanent() {
            return SendError {
                reason: format!("Der Mailserver hat die Nachricht abgelehnt ({detail})."),
                temporary: false,
                whole_server: false,
            };
        }
        if e.is_transient() {
            return SendError {
                reason: format!(
                    "Der Mailserver hat die Nachricht vorübergehend abgelehnt ({detail}); sie \
                     wird später erneut gesendet."
                ),
                temporary: true,
                whole_server: true,
            };
        }
        self.unreachable(&detail)
    }
}

/// Gives a sending run its store only for short moments (the app shares it with the UI).
pub trait StoreAccess {
    /// Runs `f` with the store.
    fn with_store<T>(&mut self, f: impl FnOnce(&mut Store) -> CoreResult<T>) -> CoreResult<T>;
}

impl StoreAccess for Store {
    fn with_store<T>(&mut self, f: impl FnOnce(&mut Store) -> CoreResult<T>) -> CoreResult<T> {
        f(self)
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SendReport {
    /// Accepted by the server.
    pub sent: u32,
    /// Not accepted (kept with the reason).
    pub failed: u32,
    /// No longer needed (marked `ueberholt`).
    pub superseded: u32,
    /// Reminders queued before sending.
    pub reminders_queued: u32,
    /// Why the run stopped early (the server as a whole failed); `None` when it finished.
    pub stopped: Option<String>,
    /// Seconds the run waited for the rate limit.
    pub waited_seconds: f64,
}

/// What the background sender is doing (the header and the Postausgang show it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum BackgroundState {
    /// Nothing to send, or not set up.
    Ruht,
    /// Sending now.
    Sendet,
    /// Messages are due but cannot go out on their own (no password known, server failing).
    Pausiert,
}

/// The background sender's state with a German line for the UI.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BackgroundStatus {
    /// What it is doing.
    pub state: BackgroundState,
    /// German, e.g. "Sendet im Hintergrund: 3 von 12 …" or "Pausiert: Passwort fehlt …".
    pub message: String,
    /// Messages due for sending now (waiting, or failed with their retry time come).
    #[ts(type = "number")]
    pub due: usize,
}

/// Whether the background sender may run now, before any server is contacted: the settings
/// must be complete and, for a login, a password known — the background never asks for one.
/// `None`: go ahead; else the status to show (nothing due: resting; else paused with why).
pub fn background_gate(
    conn: &rusqlite::Connection,
    settings: &MailSettings,
    password_known: bool,
) -> CoreResult<Option<BackgroundStatus>> {
    let due = outbox::due(conn, Scope::Automatic, Utc::now())?.len();
    let paused = |message: &str| BackgroundStatus {
        state: BackgroundState::Pausiert,
        message: message.to_owned(),
        due,
    };
    if due == 0 {
        return Ok(Some(BackgroundStatus {
            state: BackgroundState::Ruht,
            message: String::new(),
            due,
        }));
    }
    if !settings.is_complete() {
        return Ok(Some(paused(
            "Nachrichten warten: Mailserver und Absender sind unter Einstellungen → E-Mail-Versand \
             noch nicht eingetragen.",
        )));
    }
    if !settings.smtp_user.is_empty() && !password_known {
        return Ok(Some(paused(
            "Nachrichten warten: das Passwort des E-Mail-Kontos ist nicht bekannt – einmal \
             „Jetzt senden“ und das Passwort eingeben.",
        )));
    }
    Ok(None)
}

/// The status while a background run goes on or after it ended.
pub fn background_status(report: &SendReport, running: bool, due: usize) -> BackgroundStatus {
    if running {
        return BackgroundStatus {
            state: BackgroundState::Sendet,
            message: format!(
                "Sendet im Hintergrund: {} gesendet{}",
                report.sent,
                if report.failed > 0 {
                    format!(", {} fehlgeschlagen", report.failed)
                } else {
                    String::new()
                }
            ),
            due,
        };
    }
    match &report.stopped {
        Some(reason) if reason != STOPPED => BackgroundStatus {
            state: BackgroundState::Pausiert,
            message: format!("Senden im Hintergrund unterbrochen: {reason}"),
            due,
        },
        _ => BackgroundStatus {
            state: BackgroundState::Ruht,
            message: if report.sent > 0 {
                format!("Im Hintergrund gesendet: {}", report.sent)
            } else {
                String::new()
            },
            due,
        },
    }
}

/// Options of a run.
#[derive(Debug, Clone)]
pub struct SendOptions {
    /// Which messages (see [`Scope`]).
    pub scope: Scope,
    /// Messages per minute; `None`: the stored setting. Counted over every message the server
    /// accepted in the last minute, also by earlier runs.
    pub per_minute: Option<u32>,
    /// The sender when the settings have none (the CLI's; the app requires the setting).
    pub fallback_sender: Option<String>,
    /// Set from outside to end the run before the next message or during a rate-limit wait
    /// (the app quitting while the background sender runs); what is claimed is finished first.
    pub stop: Option<Arc<AtomicBool>>,
}

/// The reason a run stopped when it was asked to.
pub const STOPPED: &str = "Das Senden wurde beendet; die übrigen Nachrichten warten.";

fn stop_requested(stop: Option<&Arc<AtomicBool>>) -> bool {
    stop.is_some_and(|s| s.load(Ordering::SeqCst))
}

/// Sends what is due: queues due reminders, then claims, delivers and records one message after
/// the other at most `per_minute` a minute. Stops early when the server as a whole fails (the
/// rest stays waiting). `progress` sees the report after every message.
pub fn send_due(
    access: &mut impl StoreAccess,
    mailer: &Mailer,
    options: SendOptions,
    progress: &mut dyn FnMut(&SendReport),
) -> CoreResult<SendReport> {
    let mut report = SendReport::default();
    let (mut settings, ids) = access.with_store(|store| {
        let reminders = store.write(|tx| outbox::queue_reminders(tx, Utc::now()))?;
        report.reminders_queued = u32::try_from(reminders).unwrap_or(u32::MAX);
        store.read(|conn| {
            Ok((
                settings::get(conn)?,
                outbox::due(conn, options.scope, Utc::now())?,
            ))
        })
    })?;
    if settings.sender_address.is_empty()
        && let Some(sender) = &options.fallback_sender
    {
        settings.sender_address = sender.clone();
    }
    let per_minute = options.per_minute.unwrap_or(settings.per_minute).max(1);
    for id in ids {
        let waited = wait_for_rate_limit(access, per_minute, options.stop.as_ref())?;
        report.waited_seconds += waited.as_secs_f64();
        if stop_requested(options.stop.as_ref()) {
            report.stopped = Some(STOPPED.to_owned());
            progress(&report);
            break;
        }
        let claim = access.with_store(|store| {
            store.write(|tx| outbox::claim(tx, id, options.scope, Utc::now()))
        })?;
        let claimed = match claim {
            Claim::Send(claimed) => claimed,
            Claim::Superseded(_) => {
                report.superseded += 1;
                progress(&report);
                continue;
            }
            Claim::Unsendable(_) => {
                report.failed += 1;
                progress(&report);
                continue;
            }
            Claim::Gone => continue,
        };
        let result = compose::message(&settings, &claimed.outgoing)
            .map_err(|e| SendError {
                reason: e.to_string(),
                temporary: false,
                whole_server: false,
            })
            .and_then(|message| mailer.deliver(&message));
        let message_id = compose::message_id(&settings, &claimed.outgoing.message_uid);
        access.with_store(|store| {
            store.write(|tx| match &result {
                Ok(()) => outbox::record_sent(tx, claimed.id, &message_id),
                Err(e) => {
                    outbox::record_failure(tx, claimed.id, &e.reason, e.temporary, Utc::now())
                }
            })
        })?;
        match result {
            Ok(()) => report.sent += 1,
            Err(e) => {
                report.failed += 1;
                if e.whole_server {
                    report.stopped = Some(e.reason);
                    progress(&report);
                    break;
                }
            }
        }
        progress(&report);
    }
    Ok(report)
}

/// Waits until fewer than `per_minute` messages were accepted in the last minute (or a stop
/// was requested: then it returns at once).
fn wait_for_rate_limit(
    access: &mut impl StoreAccess,
    per_minute: u32,
    stop: Option<&Arc<AtomicBool>>,
) -> CoreResult<Duration> {
    let started = Instant::now();
    loop {
        if stop_requested(stop) {
            return Ok(started.elapsed());
        }
        let now = Utc::now();
        let (count, oldest) = access.with_store(|store| {
            store.read(|conn| outbox::sent_since(conn, now - chrono::Duration::seconds(60)))
        })?;
        if count < per_minute {
            return Ok(started.elapsed());
        }
        let free_at = oldest
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&Utc) + chrono::Duration::seconds(60))
            .unwrap_or(now + chrono::Duration::seconds(1));
        let wait = (free_at - now)
            .to_std()
            .unwrap_or(Duration::from_millis(50))
            .max(Duration::from_millis(50))
            // In short steps, so a stop request is seen within a quarter of a second.
            .min(Duration::from_millis(250));
        std::thread::sleep(wait);
    }
}

/// Sends a test message ("Testnachricht senden") from the stored sender to `to`, outside the
/// outbox.
pub fn send_test(conn: &rusqlite::Connection, mailer: &Mailer, to: &str) -> CoreResult<()> {
    let settings = settings::get(conn)?;
    let text = format!(
        "Dies ist eine Testnachricht von Tagungsbüro.\n\nWenn Sie diese Nachricht lesen, \
         funktioniert der Versand über {}:{} – Umlaute: äöüß ÄÖÜ.\n\n{}",
        settings.smtp_host, settings.smtp_port, settings.office_contact
    );
    let outgoing = compose::Outgoing {
        message_uid: crate::store::new_uid(),
        to_name: String::new(),
        to_address: to.trim().to_owned(),
        subject: "Testnachricht von Tagungsbüro – Grüße aus dem Büro".into(),
        html: super::render::to_html(&text),
        text,
        attachments: Vec::new(),
    };
    let message = compose::message(&settings, &outgoing)?;
    mailer
        .deliver(&message)
        .map_err(|e| CoreError::Conflict(e.reason))
}
