//! Mail commands: the outbox, sending, the mail server settings with the password in the
//! credential store, templates with their live preview, each event's sending mode, and the
//! ways out without SMTP (`.eml` draft, BCC `mailto:`).
//!
//! Sending runs off the main thread and locks the store only for the short claim and record
//! transactions ([`SharedStore`]), so the window stays usable while messages go out.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tagungsbuero_core::Store;
use tagungsbuero_core::error::{CoreError, CoreResult, ErrorDto};
use tagungsbuero_core::mail::compose::{self, MAILTO_LIMIT, MailtoChunks};
use tagungsbuero_core::mail::outbox::{self, MessageView, OutboxFilter, OutboxMessage, Scope};
use tagungsbuero_core::mail::render::{self, MailContext, RenderedMail};
use tagungsbuero_core::mail::send::{
    self, BackgroundStatus, Mailer, SendOptions, SendReport, SmtpAccess, StoreAccess,
};
use tagungsbuero_core::mail::settings::{self, MailSettings};
use tagungsbuero_core::mail::templates::{self, MailTemplate};
use tagungsbuero_core::mail::{MailKind, SendMode};
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_opener::OpenerExt;
use ts_rs::TS;

use super::CommandResult;
use super::exports::{preset_path, protected_paths};
use crate::secrets;
use crate::state::AppState;

/// The outbox (or a person's mail history) as `filter` selects it.
#[tauri::command]
pub fn mail_outbox(
    state: State<'_, AppState>,
    filter: OutboxFilter,
) -> CommandResult<Vec<OutboxMessage>> {
    state.with_store(|s| s.read(|c| outbox::list(c, &filter)))
}

/// One message in full.
#[tauri::command]
pub fn mail_message(state: State<'_, AppState>, id: i64) -> CommandResult<MessageView> {
    state.with_store(|s| s.read(|c| outbox::view(c, id)))
}

/// "Freigeben": messages waiting for release go out with the next run.
#[tauri::command]
pub fn mail_approve(state: State<'_, AppState>, ids: Vec<i64>) -> CommandResult<usize> {
    state.with_store(|s| s.write(|tx| outbox::approve(tx, &ids)))
}

/// "Verwerfen".
#[tauri::command]
pub fn mail_discard(state: State<'_, AppState>, ids: Vec<i64>) -> CommandResult<usize> {
    state.with_store(|s| s.write(|tx| outbox::discard(tx, &ids)))
}

/// "Erneut senden": back into the queue.
#[tauri::command]
pub fn mail_retry(state: State<'_, AppState>, ids: Vec<i64>) -> CommandResult<usize> {
    state.with_store(|s| s.write(|tx| outbox::retry(tx, &ids)))
}

/// The mail server settings and where the password is.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MailSetup {
    /// The stored settings.
    pub settings: MailSettings,
    /// A password is stored in the credential store or kept for this session.
    pub password_known: bool,
}

fn entry_of(settings: &MailSettings) -> String {
    settings::credential_entry(&settings.smtp_user, &settings.smtp_host)
}

/// The password known without asking: typed in this session or in the credential store.
pub(crate) fn known_password(state: &AppState, settings: &MailSettings) -> Option<String> {
    let entry = entry_of(settings);
    state
        .remembered_password(&entry)
        .or_else(|| secrets::load(&entry))
}

/// The settings of "E-Mail-Versand".
#[tauri::command]
pub fn mail_setup(state: State<'_, AppState>) -> CommandResult<MailSetup> {
    let settings = state.with_store(|s| s.read(settings::get))?;
    Ok(MailSetup {
        password_known: known_password(&state, &settings).is_some(),
        settings,
    })
}

/// What saving the settings did with the password.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SavedSetup {
    /// The stored settings.
    pub setup: MailSetup,
    /// A German note, e.g. that the password is only kept for this session.
    pub note: Option<String>,
}

/// Saves the settings; a given password goes into the credential store (or, where there is
/// none, into memory for this session).
#[tauri::command]
pub fn save_mail_setup(
    state: State<'_, AppState>,
    settings: MailSettings,
    password: Option<String>,
) -> CommandResult<SavedSetup> {
    let saved = state.with_store(|s| s.write(|tx| settings::save(tx, &settings)))?;
    let entry = entry_of(&saved);
    let mut note = None;
    if let Some(password) = password.filter(|p| !p.is_empty()) {
        state.remember_password(&entry, &password);
        if let Err(reason) = secrets::store(&entry, &password) {
            note = Some(reason);
        }
    }
    Ok(SavedSetup {
        setup: MailSetup {
            password_known: known_password(&state, &saved).is_some(),
            settings: saved,
        },
        note,
    })
}

/// Removes the stored password ("Passwort entfernen").
#[tauri::command]
pub fn forget_mail_password(state: State<'_, AppState>) -> CommandResult<()> {
    let settings = state.with_store(|s| s.read(settings::get))?;
    let entry = entry_of(&settings);
    secrets::forget(&entry);
    state.remember_password(&entry, "");
    Ok(())
}

/// The access to the server: a password typed now wins, then the session's, then the
/// credential store's. A login without any is a field error on `password`, so the UI asks.
fn access(
    state: &AppState,
    settings: &MailSettings,
    password: Option<String>,
) -> Result<SmtpAccess, ErrorDto> {
    if !settings.is_complete() {
        return Err(ErrorDto::from(&CoreError::invalid(
            "smtp_host",
            "Bitte zuerst Mailserver und Absenderadresse unter „E-Mail-Versand“ eintragen.",
        )));
    }
    let entry = entry_of(settings);
    let typed = password.filter(|p| !p.is_empty());
    if let Some(p) = &typed {
        state.remember_password(&entry, p);
    }
    let password = typed
        .or_else(|| known_password(state, settings))
        .filter(|p| !p.is_empty());
    if !settings.smtp_user.is_empty() && password.is_none() {
        return Err(ErrorDto::from(&CoreError::invalid(
            "password",
            "Bitte das Passwort des E-Mail-Kontos eingeben.",
        )));
    }
    Ok(SmtpAccess::from_settings(settings, password))
}

/// "Testnachricht senden" to `to`.
#[tauri::command(async)]
pub fn mail_send_test(
    state: State<'_, AppState>,
    to: String,
    password: Option<String>,
) -> CommandResult<()> {
    let settings = state.with_store(|s| s.read(settings::get))?;
    let access = access(&state, &settings, password)?;
    let mailer = Mailer::new(&access).map_err(|e| ErrorDto::from(&e))?;
    let _running = state.sending.lock().unwrap_or_else(|p| p.into_inner());
    state.with_store(|s| s.read(|c| send::send_test(c, &mailer, &to)))
}

/// The app's store for a sending run: locked only inside each call.
pub(crate) struct SharedStore<'a>(pub(crate) &'a AppState);

impl StoreAccess for SharedStore<'_> {
    fn with_store<T>(&mut self, f: impl FnOnce(&mut Store) -> CoreResult<T>) -> CoreResult<T> {
        let mut result = None;
        let outcome = self.0.with_store(|store| {
            result = Some(f(store));
            Ok(())
        });
        match (outcome, result) {
            (_, Some(r)) => r,
            (Err(e), None) => Err(CoreError::Conflict(e.message)),
            (Ok(()), None) => Err(CoreError::Conflict(
                "Die Datenbank ist nicht geöffnet.".into(),
            )),
        }
    }
}

/// What the background sender is doing now.
#[tauri::command]
pub fn mail_background_status(
    sender: State<'_, crate::mail_background::BackgroundSender>,
) -> BackgroundStatus {
    sender.status()
}

/// "Jetzt senden": sends every waiting and failed message, emitting `mail-progress` with the
/// report after each one.
#[tauri::command(async)]
pub fn mail_send_now(
    app: AppHandle,
    state: State<'_, AppState>,
    password: Option<String>,
) -> CommandResult<SendReport> {
    let settings = state.with_store(|s| s.read(settings::get))?;
    let access = access(&state, &settings, password)?;
    let mailer = Mailer::new(&access).map_err(|e| ErrorDto::from(&e))?;
    let _running = state.sending.lock().unwrap_or_else(|p| p.into_inner());
    let options = SendOptions {
        scope: Scope::Explicit,
        per_minute: None,
        fallback_sender: None,
        stop: None,
    };
    send::send_due(&mut SharedStore(&state), &mailer, options, &mut |report| {
        let _ = app.emit("mail-progress", report);
    })
    .map_err(|e| ErrorDto::from(&e))
}

/// Templates of every kind for the office (`event_id` null) or one event.
#[tauri::command]
pub fn mail_templates(
    state: State<'_, AppState>,
    event_id: Option<i64>,
) -> CommandResult<Vec<MailTemplate>> {
    state.with_store(|s| s.read(|c| templates::list(c, event_id)))
}

/// Saves a template (office-wide or for its event).
#[tauri::command]
pub fn save_mail_template(
    state: State<'_, AppState>,
    template: MailTemplate,
) -> CommandResult<MailTemplate> {
    state.with_store(|s| s.write(|tx| templates::save(tx, &template)))
}

/// "Auf Standard zurücksetzen".
#[tauri::command]
pub fn reset_mail_template(
    state: State<'_, AppState>,
    kind: MailKind,
    event_id: Option<i64>,
) -> CommandResult<MailTemplate> {
    state.with_store(|s| s.write(|tx| templates::reset(tx, kind, event_id)))
}

/// The live preview of a template being edited, filled with a real registration.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TemplatePreview {
    /// Whose registration fills it.
    pub person_name: String,
    /// The filled message.
    pub mail: RenderedMail,
}

/// Request of [`preview_mail_template`].
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct PreviewRequest {
    /// The template as currently typed.
    pub template: MailTemplate,
    /// The event whose registration fills it.
    #[ts(type = "number")]
    pub event_id: i64,
    /// A chosen registration, else one that fits the kind.
    #[ts(type = "number | null")]
    pub registration_id: Option<i64>,
}

/// Fills the template as typed with a real registration of the event (`None` without any).
#[tauri::command]
pub fn preview_mail_template(
    state: State<'_, AppState>,
    request: PreviewRequest,
) -> CommandResult<Option<TemplatePreview>> {
    state.with_store(|s| {
        s.read(|c| {
            let template = templates::validate(&request.template)?;
            let Some(person_id) = render::preview_person(
                c,
                request.event_id,
                template.kind,
                request.registration_id,
            )?
            else {
                return Ok(None);
            };
            let ctx = MailContext::load(c, person_id, request.event_id)?;
            Ok(Some(TemplatePreview {
                person_name: ctx.person.display_name(),
                mail: render::render(&template, &ctx),
            }))
        })
    })
}

/// How an event's messages go out.
#[tauri::command]
pub fn event_mail_mode(state: State<'_, AppState>, event_id: i64) -> CommandResult<SendMode> {
    state.with_store(|s| s.read(|c| settings::event_mode(c, event_id)))
}

/// Sets how an event's messages go out.
#[tauri::command]
pub fn set_event_mail_mode(
    state: State<'_, AppState>,
    event_id: i64,
    mode: SendMode,
) -> CommandResult<SendMode> {
    state.with_store(|s| s.write(|tx| settings::set_event_mode(tx, event_id, mode)))
}

/// How many contacts an invitation to the event would go to (consented, with address, not
/// registered).
#[tauri::command]
pub fn mail_invitation_count(state: State<'_, AppState>, event_id: i64) -> CommandResult<usize> {
    state.with_store(|s| s.read(|c| Ok(outbox::invitation_recipients(c, event_id)?.len())))
}

/// "Einladungen vormerken": queues the Einladung for those contacts; returns how many.
#[tauri::command]
pub fn queue_mail_invitations(state: State<'_, AppState>, event_id: i64) -> CommandResult<usize> {
    state.with_store(|s| s.write(|tx| outbox::queue_invitations(tx, event_id)))
}

/// "Teilnahmebescheinigungen per E-Mail": queues the certificate mail (PDF attached when it is
/// sent) for everyone present; returns how many were queued.
#[tauri::command]
pub fn queue_mail_certificates(state: State<'_, AppState>, event_id: i64) -> CommandResult<usize> {
    state.with_store(|s| s.write(|tx| outbox::queue_certificates(tx, event_id)))
}

/// The suggested file name of a message's `.eml` draft and, in debug builds with
/// `TAGUNGSBUERO_EXPORT_DIR`, the target chosen without the dialog.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DraftPlan {
    /// Suggested file name.
    pub file_name: String,
    /// A target chosen without the dialog (debug builds only).
    pub preset_path: Option<String>,
}

/// File name for "In Outlook öffnen".
#[tauri::command]
pub fn plan_mail_draft(state: State<'_, AppState>, id: i64) -> CommandResult<DraftPlan> {
    let message = state
        .with_store(|s| s.read(|c| outbox::view(c, id)))?
        .message;
    let name: String = format!("{} {}", message.kind.label(), message.person_name)
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let file_name = format!("{name}.eml");
    Ok(DraftPlan {
        preset_path: preset_path(&file_name),
        file_name,
    })
}

/// "In Outlook öffnen": writes the message as an `.eml` draft to the chosen `path` and opens
/// it with the mail program; it leaves the SMTP queue (see `compose::export_eml`).
#[tauri::command]
pub fn save_mail_draft(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    path: String,
    open: bool,
) -> CommandResult<String> {
    let protected = protected_paths(&app, &state);
    let path = PathBuf::from(path);
    state.with_store(|s| s.write(|tx| compose::export_eml(tx, id, &path, &protected)))?;
    state.remember_export(&path);
    if open {
        app.opener()
            .open_path(path.display().to_string(), None::<&str>)
            .map_err(|e| conflict(&format!("Die Datei konnte nicht geöffnet werden: {e}")))?;
    }
    Ok(path.display().to_string())
}

/// A group message as BCC `mailto:` links (in chunks the mail program accepts): the
/// recipients of the given messages.
#[tauri::command]
pub fn mail_mailto(state: State<'_, AppState>, ids: Vec<i64>) -> CommandResult<MailtoChunks> {
    state.with_store(|s| {
        s.read(|c| {
            let mut addresses = Vec::new();
            let mut subject = String::new();
            for id in &ids {
                let m = outbox::view(c, *id)?.message;
                if subject.is_empty() {
                    subject = m.subject.clone();
                }
                addresses.push(m.to);
            }
            Ok(compose::mailto_chunks(&addresses, &subject, MAILTO_LIMIT))
        })
    })
}

/// Opens one `mailto:` link with the mail program.
#[tauri::command]
pub fn open_mailto(app: AppHandle, link: String) -> CommandResult<()> {
    if !link.starts_with("mailto:") {
        return Err(conflict("Nur mailto:-Links können geöffnet werden."));
    }
    app.opener().open_url(link, None::<&str>).map_err(|e| {
        conflict(&format!(
            "Das E-Mail-Programm konnte nicht geöffnet werden: {e}"
        ))
    })
}

fn conflict(message: &str) -> ErrorDto {
    ErrorDto::from(&CoreError::Conflict(message.to_owned()))
}
