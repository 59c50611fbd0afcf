//! `mail outbox` and `mail send`.
//!
//! `mail outbox --json` prints an array with one object per message: `id`, `kind`, `to`,
//! `subject`, `state` (`freigabe`, `wartet`, `sendet`, `gesendet`, `fehlgeschlagen`,
//! `ueberholt`, `verworfen`) and more (`event_id`, `event_title`, `person_id`, `person_name`,
//! `queued_at`, `sent_at`, `attempts`, `last_error`, `next_attempt_at`). `mail send` sends what
//! is waiting and what failed before through the given server; the password comes from the
//! environment variable named by `--password-env`, never from the command line. It ends with
//! exit code 1 when a message could not be sent (it stays in the outbox with the reason).

use clap::{Args, Subcommand};
use tagungsbuero_core::Store;
use tagungsbuero_core::mail::outbox::{self, OutboxFilter, Scope};
use tagungsbuero_core::mail::send::{self, Mailer, SendOptions, SmtpAccess};
use tagungsbuero_core::mail::{MailState, Security, settings};

/// Subcommands of `mail`.
#[derive(Subcommand)]
pub enum MailCommand {
    /// Der Postausgang: alle Nachrichten mit ihrem Stand.
    Outbox(OutboxArgs),
    /// Wartende (und zuvor fehlgeschlagene) Nachrichten über einen Mailserver senden.
    Send(SendArgs),
}

/// Options of `mail outbox`.
#[derive(Args)]
pub struct OutboxArgs {
    /// Nur Nachrichten in diesem Stand (wartet, gesendet, fehlgeschlagen, …).
    #[arg(long)]
    state: Option<MailState>,
    /// Nur Nachrichten dieser Veranstaltung (id).
    #[arg(long)]
    event: Option<i64>,
    /// Als JSON ausgeben.
    #[arg(long)]
    json: bool,
}

/// Options of `mail send`.
#[derive(Args)]
pub struct SendArgs {
    /// Mailserver (SMTP).
    #[arg(long)]
    smtp_host: String,
    /// Port des Mailservers.
    #[arg(long)]
    smtp_port: u16,
    /// STARTTLS (Standard, meist Port 587).
    #[arg(long, group = "security")]
    starttls: bool,
    /// TLS von Beginn an (meist Port 465).
    #[arg(long, group = "security")]
    tls: bool,
    /// Unverschlüsselt – nur für einen Testserver auf diesem Rechner.
    #[arg(long, group = "security")]
    plain: bool,
    /// Benutzername am Mailserver (ohne Angabe: ohne Anmeldung).
    #[arg(long)]
    user: Option<String>,
    /// Name der Umgebungsvariable mit dem Passwort.
    #[arg(long)]
    password_env: Option<String>,
    /// Bericht als JSON ausgeben.
    #[arg(long)]
    json: bool,
}

/// Runs a `mail` subcommand; the text to print or a German error.
pub fn run(store: &mut Store, command: MailCommand) -> Result<String, String> {
    match command {
        MailCommand::Outbox(args) => list(store, &args),
        MailCommand::Send(args) => send_queued(store, args),
    }
}

fn list(store: &mut Store, args: &OutboxArgs) -> Result<String, String> {
    let filter = OutboxFilter {
        state: args.state,
        event_id: args.event,
        person_id: None,
    };
    let messages = store
        .read(|conn| outbox::list(conn, &filter))
        .map_err(|e| e.to_string())?;
    if args.json {
        return serde_json::to_string_pretty(&messages).map_err(|e| e.to_string());
    }
    if messages.is_empty() {
        return Ok("Der Postausgang ist leer.".into());
    }
    let lines: Vec<String> = messages
        .iter()
        .map(|m| {
            format!(
                "{:>5}  {:<22}  {:<26}  {:<32}  {}",
                m.id,
                m.state.label(),
                m.kind.label(),
                if m.to.is_empty() {
                    "(keine Adresse)"
                } else {
                    &m.to
                },
                m.subject
            )
        })
        .collect();
    Ok(lines.join("\n"))
}

fn send_queued(store: &mut Store, args: SendArgs) -> Result<String, String> {
    let security = if args.tls {
        Security::Tls
    } else if args.plain {
        Security::Plain
    } else {
        Security::Starttls
    };
    let user = args.user.unwrap_or_default();
    let password = match (&args.password_env, user.is_empty()) {
        (_, true) => None,
        (None, false) => {
            return Err("Bitte das Passwort mit --password-env VARIABLE übergeben.".into());
        }
        (Some(var), false) => Some(std::env::var(var).map_err(|_| {
            format!("Die Umgebungsvariable {var} mit dem Passwort ist nicht gesetzt.")
        })?),
    };
    let access = SmtpAccess {
        host: args.smtp_host,
        port: args.smtp_port,
        security,
        user: user.clone(),
        password,
    };
    let mailer = Mailer::new(&access).map_err(|e| e.to_string())?;
    let options = SendOptions {
        scope: Scope::Explicit,
        per_minute: None,
        fallback_sender: fallback_sender(store, &user)?,
        stop: None,
    };
    let report = send::send_due(store, &mailer, options, &mut |_| {}).map_err(|e| e.to_string())?;
    let summary = format!(
        "{} gesendet, {} fehlgeschlagen, {} nicht mehr nötig.",
        report.sent, report.failed, report.superseded
    );
    if report.failed > 0 {
        let reason = report
            .stopped
            .map(|r| format!(" {r}"))
            .unwrap_or_else(|| " Die Gründe zeigt „mail outbox“.".into());
        return Err(format!("{summary}{reason}"));
    }
    if args.json {
        return serde_json::to_string_pretty(&report).map_err(|e| e.to_string());
    }
    Ok(summary)
}

/// Without a stored sender the CLI sends as the user (when it is an address) or as
/// `tagungsbuero@localhost`, and says so on stderr. Nothing is stored.
fn fallback_sender(store: &mut Store, user: &str) -> Result<Option<String>, String> {
    let current = store.read(settings::get).map_err(|e| e.to_string())?;
    if !current.sender_address.is_empty() {
        return Ok(None);
    }
    let sender = if tagungsbuero_core::error::is_plausible_email(user) {
        user.to_owned()
    } else {
        "tagungsbuero@localhost".to_owned()
    };
    eprintln!(
        "Hinweis: Keine Absenderadresse eingestellt (App: Einstellungen → E-Mail-Versand); \
         gesendet als {sender}."
    );
    Ok(Some(sender))
}
