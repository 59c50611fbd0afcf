//! Tauri commands, one module per domain. Each is a one-line adapter to the core.

mod about;
mod backup;
mod documents;
mod events;
mod exports;
mod imports;
pub(crate) mod mail;
mod people;
mod privacy;
mod registrations;
mod reporting;
mod settings;
pub mod sync;
mod wishes;

use tagungsbuero_core::error::{ErrorDto, ErrorKind};
use tauri::State;

use crate::state::{AppInfo, AppState};

/// The result every command returns to the UI.
type CommandResult<T> = Result<T, ErrorDto>;

/// A German message for a failure outside the core (opening a folder, the credential store).
pub(crate) fn failure(message: &str) -> ErrorDto {
    ErrorDto {
        kind: ErrorKind::Conflict,
        message: message.to_owned(),
        fields: Vec::new(),
    }
}

/// Version, database path and a possible open error.
#[tauri::command]
fn app_info(state: State<'_, AppState>) -> AppInfo {
    state.info()
}

/// Writes the still open data of a deleted database file back to its place (see
/// `Store::restore_deleted_file`); returns the path. The LAN sync pauses for the swap.
#[tauri::command]
fn restore_database(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    team: State<'_, crate::team::Team>,
) -> CommandResult<String> {
    team.while_stopped(&app, &state, || {
        state.with_store(|store| Ok(store.restore_deleted_file()?.display().to_string()))
    })
}

/// All commands for the invoke handler (debug builds add the E2E tests' seams).
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        app_info,
        #[cfg(debug_assertions)]
        about::debug_panic,
        about::about_info,
        about::open_log,
        restore_database,
        events::list_events,
        events::get_event_detail,
        events::create_event,
        events::update_event,
        events::next_event_draft,
        events::event_with_number,
        events::delete_event,
        events::create_session,
        documents::badge_layouts,
        documents::plan_document,
        documents::write_badges,
        documents::write_certificates,
        mail::mail_outbox,
        mail::mail_message,
        mail::mail_approve,
        mail::mail_discard,
        mail::mail_retry,
        mail::mail_setup,
        mail::save_mail_setup,
        mail::forget_mail_password,
        mail::mail_send_test,
        mail::mail_send_now,
        mail::mail_templates,
        mail::save_mail_template,
        mail::reset_mail_template,
        mail::preview_mail_template,
        mail::event_mail_mode,
        mail::set_event_mail_mode,
        mail::plan_mail_draft,
        mail::save_mail_draft,
        mail::mail_invitation_count,
        mail::queue_mail_invitations,
        mail::queue_mail_certificates,
        mail::mail_background_status,
        mail::mail_mailto,
        mail::open_mailto,
        imports::list_importers,
        imports::inspect_import,
        imports::preview_import,
        imports::run_import,
        imports::save_import_mapping,
        imports::last_import,
        imports::undo_last_import,
        people::search_persons,
        people::list_persons,
        people::get_person,
        people::create_person,
        people::update_person,
        people::find_duplicates,
        people::merge_persons,
        people::preview_merge,
        people::duplicate_pairs,
        people::person_history,
        people::list_organisations,
        people::create_organisation,
        people::update_organisation,
        people::organisation_area_candidates,
        people::municipality_reference,
        reporting::statistics,
        reporting::statistics_drill,
        reporting::plan_annual_report,
        reporting::export_annual_report,
        people::organisation_duplicate_pairs,
        people::preview_organisation_merge,
        people::merge_organisations,
        registrations::register,
        registrations::cancel_registration,
        registrations::set_registration_status,
        registrations::update_registration,
        registrations::status_history,
        registrations::check_in,
        registrations::undo_check_in,
        registrations::set_attendance,
        registrations::walk_in,
        registrations::admit,
        registrations::desk_search,
        wishes::wish_board,
        wishes::add_wishes,
        wishes::edit_wish,
        wishes::delete_wish,
        wishes::move_wish,
        wishes::run_suggestions,
        wishes::create_cluster,
        wishes::rename_cluster,
        wishes::merge_clusters,
        wishes::split_cluster,
        wishes::delete_cluster,
        wishes::set_cluster_locked,
        wishes::undo_wishes,
        wishes::finish_curation,
        wishes::wish_presentation,
        wishes::set_show_general,
        wishes::wish_topic_proposal,
        wishes::adopt_cluster,
        wishes::list_topics,
        wishes::save_topic,
        wishes::delete_topic,
        exports::list_exporters,
        exports::plan_export,
        exports::export_to_file,
        exports::open_export,
        exports::list_export_profiles,
        exports::save_export_profile,
        exports::delete_export_profile,
        settings::get_settings,
        settings::save_settings,
        settings::reveal_database,
        settings::letterhead_images,
        settings::set_letterhead_image,
        settings::remove_letterhead_image,
        privacy::person_consents,
        privacy::set_person_consents,
        privacy::register_with_consents,
        privacy::event_retention,
        privacy::set_deletion_date,
        privacy::due_deletions,
        privacy::preview_shred,
        privacy::shred_event,
        privacy::preview_erase,
        privacy::erase_person,
        privacy::deletion_log,
        privacy::plan_auskunft,
        privacy::export_auskunft,
        backup::list_backups,
        backup::back_up_now,
        backup::inspect_backup,
        backup::restore_backup,
        backup::set_backup_passphrase,
        sync::team_overview,
        sync::sync_status,
        sync::set_laptop_name,
        sync::resolve_sync_conflict,
        sync::plan_sync_export,
        sync::export_sync_file,
        sync::import_sync_file,
        sync::start_team,
        sync::team_network,
        sync::pairing_offer,
        sync::pair_laptop,
        sync::remove_laptop,
        sync::sync_now,
    ]
}
