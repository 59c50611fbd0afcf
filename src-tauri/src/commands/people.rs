//! Contact commands: persons, organisations, search, duplicates.

use tagungsbuero_core::municipalities::{self, AreaCandidate, MunicipalityReference};
use tagungsbuero_core::people::{
    self, DuplicateCandidate, DuplicatePair, HistoryEntry, Organisation, OrganisationInput, Person,
    PersonInput,
};
use tagungsbuero_core::registrations::merge::{self, MergeChoices, MergePlan};
use tagungsbuero_core::registrations::merge_organisations::{
    self, OrganisationMergeChoices, OrganisationMergePlan,
};
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

/// Type-ahead search, best first.
#[tauri::command]
pub fn search_persons(
    state: State<'_, AppState>,
    query: String,
    limit: usize,
) -> CommandResult<Vec<Person>> {
    state.with_store(|s| s.read(|c| people::search(c, &query, limit)))
}

/// All persons by name.
#[tauri::command]
pub fn list_persons(state: State<'_, AppState>) -> CommandResult<Vec<Person>> {
    state.with_store(|s| s.read(people::list_persons))
}

/// One person.
#[tauri::command]
pub fn get_person(state: State<'_, AppState>, id: i64) -> CommandResult<Person> {
    state.with_store(|s| s.read(|c| people::get_person(c, id)))
}

/// Creates a person (call [`find_duplicates`] first to warn).
#[tauri::command]
pub fn create_person(state: State<'_, AppState>, input: PersonInput) -> CommandResult<Person> {
    state.with_store(|s| s.write(|tx| people::create_person(tx, &input)))
}

/// Changes a person.
#[tauri::command]
pub fn update_person(
    state: State<'_, AppState>,
    id: i64,
    input: PersonInput,
) -> CommandResult<Person> {
    state.with_store(|s| s.write(|tx| people::update_person(tx, id, &input)))
}

/// Persons that may be the same as `input`.
#[tauri::command]
pub fn find_duplicates(
    state: State<'_, AppState>,
    input: PersonInput,
    except_id: Option<i64>,
) -> CommandResult<Vec<DuplicateCandidate>> {
    state.with_store(|s| s.read(|c| people::find_duplicates(c, &input, except_id)))
}

/// Likely duplicate pairs (same name and Ort, or a doubled e-mail noted).
#[tauri::command]
pub fn duplicate_pairs(state: State<'_, AppState>) -> CommandResult<Vec<DuplicatePair>> {
    state.with_store(|s| s.read(|c| people::duplicate_pairs(c, 200)))
}

/// The history of a person ("zusammengeführt mit …").
#[tauri::command]
pub fn person_history(state: State<'_, AppState>, id: i64) -> CommandResult<Vec<HistoryEntry>> {
    state.with_store(|s| s.read(|c| people::person_history(c, id)))
}

/// What merging `remove_id` into `keep_id` would do (writes nothing).
#[tauri::command]
pub fn preview_merge(
    state: State<'_, AppState>,
    keep_id: i64,
    remove_id: i64,
    choices: Option<MergeChoices>,
) -> CommandResult<MergePlan> {
    state.with_store(|s| {
        s.write(|tx| merge::preview_merge(tx, keep_id, remove_id, choices.as_ref()))
    })
}

/// Merges `remove_id` into `keep_id` with the chosen value per field.
#[tauri::command]
pub fn merge_persons(
    state: State<'_, AppState>,
    keep_id: i64,
    remove_id: i64,
    choices: MergeChoices,
) -> CommandResult<MergePlan> {
    state.with_store(|s| s.write(|tx| merge::merge_persons(tx, keep_id, remove_id, Some(&choices))))
}

/// All organisations.
#[tauri::command]
pub fn list_organisations(state: State<'_, AppState>) -> CommandResult<Vec<Organisation>> {
    state.with_store(|s| s.read(people::list_organisations))
}

/// The entries of NRW's Kommunen/Kreise an organisation's name may mean (the form's choice).
#[tauri::command]
pub fn organisation_area_candidates(input: OrganisationInput) -> Vec<AreaCandidate> {
    people::area_candidates(&input)
}

/// NRW's Kommunen and Kreise with their keys, for choosing an entry by hand.
#[tauri::command]
pub fn municipality_reference() -> MunicipalityReference {
    municipalities::reference()
}

/// Creates an organisation.
#[tauri::command]
pub fn create_organisation(
    state: State<'_, AppState>,
    input: OrganisationInput,
) -> CommandResult<Organisation> {
    state.with_store(|s| s.write(|tx| people::create_organisation(tx, &input)))
}

/// Changes an organisation.
#[tauri::command]
pub fn update_organisation(
    state: State<'_, AppState>,
    id: i64,
    input: OrganisationInput,
) -> CommandResult<Organisation> {
    state.with_store(|s| s.write(|tx| people::update_organisation(tx, id, &input)))
}

/// Pairs of organisations that look like two spellings of one (same kind).
#[tauri::command]
pub fn organisation_duplicate_pairs(
    state: State<'_, AppState>,
) -> CommandResult<Vec<(Organisation, Organisation)>> {
    state.with_store(|s| s.read(people::organisation_duplicate_pairs))
}

/// What merging organisation `remove_id` into `keep_id` would do (writes nothing).
#[tauri::command]
pub fn preview_organisation_merge(
    state: State<'_, AppState>,
    keep_id: i64,
    remove_id: i64,
    choices: Option<OrganisationMergeChoices>,
) -> CommandResult<OrganisationMergePlan> {
    state.with_store(|s| {
        s.write(|tx| {
            merge_organisations::preview_organisation_merge(
                tx,
                keep_id,
                remove_id,
                choices.as_ref(),
            )
        })
    })
}

/// Merges organisation `remove_id` into `keep_id` with the chosen value per field.
#[tauri::command]
pub fn merge_organisations(
    state: State<'_, AppState>,
    keep_id: i64,
    remove_id: i64,
    choices: OrganisationMergeChoices,
) -> CommandResult<OrganisationMergePlan> {
    state.with_store(|s| {
        s.write(|tx| {
            merge_organisations::merge_organisations(tx, keep_id, remove_id, Some(&choices))
        })
    })
}
