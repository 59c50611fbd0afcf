//! Event commands.

use tagungsbuero_core::events::{self, Event, EventInput, Series};
use tagungsbuero_core::overview::{self, EventDetail, EventSummary};
use tagungsbuero_core::registrations::{
    self,
    sessions::{self, Session, SessionInput},
};
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

/// Upcoming then past events with counts.
#[tauri::command]
pub fn list_events(state: State<'_, AppState>) -> CommandResult<Vec<EventSummary>> {
    state.with_store(|s| s.read(overview::list_summaries))
}

/// One event with counts, registrations and sessions.
#[tauri::command]
pub fn get_event_detail(state: State<'_, AppState>, id: i64) -> CommandResult<EventDetail> {
    state.with_store(|s| s.read(|c| overview::detail(c, id)))
}

/// Creates an event.
#[tauri::command]
pub fn create_event(state: State<'_, AppState>, input: EventInput) -> CommandResult<Event> {
    state.with_store(|s| s.write(|tx| events::create(tx, input)))
}

/// Changes an event.
#[tauri::command]
pub fn update_event(
    state: State<'_, AppState>,
    id: i64,
    input: EventInput,
) -> CommandResult<Event> {
    state.with_store(|s| s.write(|tx| registrations::update_event(tx, id, input)))
}

/// A prefilled form for the next event of the same series ("Nächstes Forum anlegen").
#[tauri::command]
pub fn next_event_draft(state: State<'_, AppState>, id: i64) -> CommandResult<EventInput> {
    state.with_store(|s| s.read(|c| events::next_in_series_draft(c, id)))
}

/// Deletes an event; one with registrations only with its exact title in `confirm_title`.
#[tauri::command]
pub fn delete_event(
    state: State<'_, AppState>,
    id: i64,
    confirm_title: Option<String>,
) -> CommandResult<()> {
    state
        .with_store(|s| s.write(|tx| registrations::delete_event(tx, id, confirm_title.as_deref())))
}

/// The event of `series` with `number` other than `except` (the form warns about a duplicate).
#[tauri::command]
pub fn event_with_number(
    state: State<'_, AppState>,
    series: Series,
    number: i64,
    except: Option<i64>,
) -> CommandResult<Option<Event>> {
    state.with_store(|s| s.read(|c| events::with_number(c, series, number, except)))
}

/// Adds a workshop/session to an event.
#[tauri::command]
pub fn create_session(
    state: State<'_, AppState>,
    event_id: i64,
    input: SessionInput,
) -> CommandResult<Session> {
    state.with_store(|s| s.write(|tx| sessions::create_session(tx, event_id, &input)))
}
