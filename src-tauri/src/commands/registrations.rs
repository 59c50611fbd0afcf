//! Registration desk commands: registering, status, check-in, attendance.

use tagungsbuero_core::people::PersonInput;
use tagungsbuero_core::registrations::attendance::{
    self, AttendanceState, CheckInReceipt, CheckInUndo, DeskHit,
};
use tagungsbuero_core::registrations::{
    self, CancelOutcome, RegisterInput, RegisterOutcome, RegistrationDetails, RegistrationRow,
    RegistrationStatus, StatusChange,
};
use tagungsbuero_core::wishes;
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

/// Registers a person (existing or new) for an event, with their wishes.
#[tauri::command]
pub fn register(
    state: State<'_, AppState>,
    input: RegisterInput,
) -> CommandResult<RegisterOutcome> {
    state.with_store(|s| s.write(|tx| wishes::register(tx, &input)))
}

/// Cancels a registration; the waiting list moves up.
#[tauri::command]
pub fn cancel_registration(
    state: State<'_, AppState>,
    registration_id: i64,
    reason: String,
) -> CommandResult<CancelOutcome> {
    state.with_store(|s| s.write(|tx| registrations::cancel(tx, registration_id, &reason)))
}

/// Changes the status of several registrations at once.
#[tauri::command]
pub fn set_registration_status(
    state: State<'_, AppState>,
    registration_ids: Vec<i64>,
    status: RegistrationStatus,
    reason: String,
) -> CommandResult<Vec<RegistrationRow>> {
    state.with_store(|s| {
        s.write(|tx| registrations::set_status(tx, &registration_ids, status, &reason))
    })
}

/// Changes role, source, flags, comment and sessions of a registration.
#[tauri::command]
pub fn update_registration(
    state: State<'_, AppState>,
    registration_id: i64,
    details: RegistrationDetails,
) -> CommandResult<RegistrationRow> {
    state.with_store(|s| s.write(|tx| registrations::update_details(tx, registration_id, &details)))
}

/// The status history of a registration.
#[tauri::command]
pub fn status_history(
    state: State<'_, AppState>,
    registration_id: i64,
) -> CommandResult<Vec<StatusChange>> {
    state.with_store(|s| s.read(|c| registrations::status_history(c, registration_id)))
}

/// Checks a registration in (present) for a day.
#[tauri::command]
pub fn check_in(
    state: State<'_, AppState>,
    registration_id: i64,
    day: Option<String>,
) -> CommandResult<CheckInReceipt> {
    state.with_store(|s| s.write(|tx| attendance::check_in(tx, registration_id, day.as_deref())))
}

/// Undoes a check-in, with the walk-in or admission it belonged to.
#[tauri::command]
pub fn undo_check_in(
    state: State<'_, AppState>,
    undo: CheckInUndo,
) -> CommandResult<Option<RegistrationRow>> {
    state.with_store(|s| s.write(|tx| attendance::undo_check_in(tx, &undo)))
}

/// Sets attendance for a day (and optionally a session).
#[tauri::command]
pub fn set_attendance(
    state: State<'_, AppState>,
    registration_id: i64,
    day: Option<String>,
    session_id: Option<i64>,
    attendance_state: AttendanceState,
) -> CommandResult<RegistrationRow> {
    state.with_store(|s| {
        s.write(|tx| {
            attendance::set_attendance(
                tx,
                registration_id,
                day.as_deref(),
                session_id,
                attendance_state,
            )
        })
    })
}

/// Registers and checks in a walk-in in one step.
#[tauri::command]
pub fn walk_in(
    state: State<'_, AppState>,
    event_id: i64,
    person_id: Option<i64>,
    new_person: Option<PersonInput>,
    day: Option<String>,
) -> CommandResult<CheckInReceipt> {
    state.with_store(|s| {
        s.write(|tx| attendance::walk_in(tx, event_id, person_id, new_person, day.as_deref()))
    })
}

/// "Trotzdem einlassen": admits someone from the waiting list over the capacity and checks
/// them in.
#[tauri::command]
pub fn admit(
    state: State<'_, AppState>,
    registration_id: i64,
    day: Option<String>,
) -> CommandResult<CheckInReceipt> {
    state.with_store(|s| s.write(|tx| attendance::admit(tx, registration_id, day.as_deref())))
}

/// Type-ahead at the check-in desk.
#[tauri::command]
pub fn desk_search(
    state: State<'_, AppState>,
    event_id: i64,
    query: String,
    day: Option<String>,
    limit: usize,
) -> CommandResult<Vec<DeskHit>> {
    state.with_store(|s| {
        s.read(|c| {
            let day = attendance::resolve_day(c, event_id, day.as_deref())?;
            attendance::desk_search(c, event_id, &query, &day, limit)
        })
    })
}
