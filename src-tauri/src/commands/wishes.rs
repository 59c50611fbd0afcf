//! Survey wishes: the curation board, suggestions, presentation and the topic catalogue.
//! Every board action returns the updated board, read in the action's own transaction, so the
//! UI re-renders from one answer and one transaction.

use serde::Serialize;
use tagungsbuero_core::CoreResult;
use tagungsbuero_core::events::{self, Event};
use tagungsbuero_core::store::Transaction;
use tagungsbuero_core::wishes::Topic;
use tagungsbuero_core::wishes::board::{
    self, Presentation, SuggestionRun, TopicProposal, WishBoard,
};
use tagungsbuero_core::wishes::topics;
use tauri::State;
use ts_rs::TS;

use super::CommandResult;
use crate::state::AppState;

/// Runs a board action and reads the event's board afterwards, in one transaction.
fn act(
    state: &AppState,
    event_id: i64,
    action: impl FnOnce(&Transaction<'_>, &Event) -> CoreResult<()>,
) -> CommandResult<WishBoard> {
    state.with_store(|s| {
        s.write(|tx| {
            let event = events::get(tx, event_id)?;
            action(tx, &event)?;
            board::board(tx, &event)
        })
    })
}

/// What "Vorschläge berechnen" did, and the board afterwards.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SuggestionOutcome {
    /// Counts of the run.
    pub run: SuggestionRun,
    /// The board after the run.
    pub board: WishBoard,
}

/// The curation board of an event.
#[tauri::command]
pub fn wish_board(state: State<'_, AppState>, event_id: i64) -> CommandResult<WishBoard> {
    state.with_store(|s| s.read(|c| board::board(c, &events::get(c, event_id)?)))
}

/// Adds pasted wishes (one per line).
#[tauri::command]
pub fn add_wishes(
    state: State<'_, AppState>,
    event_id: i64,
    pasted: String,
) -> CommandResult<WishBoard> {
    act(&state, event_id, |tx, event| {
        board::add_wishes(tx, event, &pasted).map(drop)
    })
}

/// Changes a wish's text.
#[tauri::command]
pub fn edit_wish(
    state: State<'_, AppState>,
    event_id: i64,
    wish_id: i64,
    text: String,
) -> CommandResult<WishBoard> {
    act(&state, event_id, |tx, _| {
        board::edit_wish(tx, wish_id, &text)
    })
}

/// Deletes a wish.
#[tauri::command]
pub fn delete_wish(
    state: State<'_, AppState>,
    event_id: i64,
    wish_id: i64,
) -> CommandResult<WishBoard> {
    act(&state, event_id, |tx, _| board::delete_wish(tx, wish_id))
}

/// Moves a wish by hand (`None`: back to "Nicht zugeordnet").
#[tauri::command]
pub fn move_wish(
    state: State<'_, AppState>,
    event_id: i64,
    wish_id: i64,
    cluster_id: Option<i64>,
) -> CommandResult<WishBoard> {
    act(&state, event_id, |tx, _| {
        board::move_wish(tx, wish_id, cluster_id)
    })
}

/// Suggests clusters for unassigned wishes (manual assignments and locked clusters stay).
/// The store is locked only to read the board and to write the result; the clustering in
/// between runs without the lock, so the registration desk is never blocked by it.
#[tauri::command]
pub fn run_suggestions(
    state: State<'_, AppState>,
    event_id: i64,
) -> CommandResult<SuggestionOutcome> {
    board::run_suggestions(
        || state.with_store(|s| s.read(|c| board::plan_suggestions(c, &events::get(c, event_id)?))),
        |computed| {
            state.with_store(|s| {
                s.write(|tx| {
                    let event = events::get(tx, event_id)?;
                    let Some(run) = board::apply_suggestions(tx, &event, computed)? else {
                        return Ok(None);
                    };
                    Ok(Some(SuggestionOutcome {
                        run,
                        board: board::board(tx, &event)?,
                    }))
                })
            })
        },
    )
}

/// Creates an empty cluster.
#[tauri::command]
pub fn create_cluster(
    state: State<'_, AppState>,
    event_id: i64,
    label: String,
    group: Option<String>,
) -> CommandResult<WishBoard> {
    act(&state, event_id, |tx, event| {
        board::create_cluster(tx, event, &label, group.as_deref()).map(drop)
    })
}

/// Renames a cluster (and moves it to another group).
#[tauri::command]
pub fn rename_cluster(
    state: State<'_, AppState>,
    event_id: i64,
    cluster_id: i64,
    label: String,
    group: Option<String>,
) -> CommandResult<WishBoard> {
    act(&state, event_id, |tx, _| {
        board::rename_cluster(tx, cluster_id, &label, group.as_deref())
    })
}

/// Merges `source_id` into `target_id`.
#[tauri::command]
pub fn merge_clusters(
    state: State<'_, AppState>,
    event_id: i64,
    source_id: i64,
    target_id: i64,
) -> CommandResult<WishBoard> {
    act(&state, event_id, |tx, _| {
        board::merge_clusters(tx, source_id, target_id)
    })
}

/// Moves some wishes of a cluster into a new one.
#[tauri::command]
pub fn split_cluster(
    state: State<'_, AppState>,
    event_id: i64,
    cluster_id: i64,
    wish_ids: Vec<i64>,
    label: String,
) -> CommandResult<WishBoard> {
    act(&state, event_id, |tx, _| {
        board::split_cluster(tx, cluster_id, &wish_ids, &label).map(drop)
    })
}

/// Deletes a cluster; its wishes return to "Nicht zugeordnet".
#[tauri::command]
pub fn delete_cluster(
    state: State<'_, AppState>,
    event_id: i64,
    cluster_id: i64,
) -> CommandResult<WishBoard> {
    act(&state, event_id, |tx, _| {
        board::delete_cluster(tx, cluster_id)
    })
}

/// Locks or unlocks a cluster against suggestions.
#[tauri::command]
pub fn set_cluster_locked(
    state: State<'_, AppState>,
    event_id: i64,
    cluster_id: i64,
    locked: bool,
) -> CommandResult<WishBoard> {
    act(&state, event_id, |tx, _| {
        board::set_locked(tx, cluster_id, locked)
    })
}

/// Sets "Allgemein in der Präsentation zeigen" (the fallback cluster in the presentation).
#[tauri::command]
pub fn set_show_general(
    state: State<'_, AppState>,
    event_id: i64,
    show: bool,
) -> CommandResult<WishBoard> {
    act(&state, event_id, |tx, event| {
        board::set_show_general(tx, event, show)
    })
}

/// Undoes the last board action.
#[tauri::command]
pub fn undo_wishes(state: State<'_, AppState>, event_id: i64) -> CommandResult<WishBoard> {
    act(&state, event_id, |tx, event| {
        board::undo(tx, event).map(drop)
    })
}

/// Finishes curation: the wishes become learned examples of their topics.
#[tauri::command]
pub fn finish_curation(state: State<'_, AppState>, event_id: i64) -> CommandResult<usize> {
    state.with_store(|s| s.write(|tx| board::finish_curation(tx, &events::get(tx, event_id)?)))
}

/// The anonymous presentation of an event's wishes.
#[tauri::command]
pub fn wish_presentation(state: State<'_, AppState>, event_id: i64) -> CommandResult<Presentation> {
    state.with_store(|s| s.read(|c| board::presentation(c, &events::get(c, event_id)?)))
}

/// What "Als Thema übernehmen" proposes for a cluster: label, group and the
/// keywords its wishes share (saved only through [`adopt_cluster`], after review).
#[tauri::command]
pub fn wish_topic_proposal(
    state: State<'_, AppState>,
    event_id: i64,
    cluster_id: i64,
) -> CommandResult<TopicProposal> {
    state.with_store(|s| {
        s.read(|c| board::topic_proposal(c, &events::get(c, event_id)?, cluster_id))
    })
}

/// Adopts a cluster as a topic of the catalogue (saves the topic, renames the
/// cluster when its name or group was changed), in one transaction.
#[tauri::command]
pub fn adopt_cluster(
    state: State<'_, AppState>,
    event_id: i64,
    cluster_id: i64,
    topic: Topic,
) -> CommandResult<WishBoard> {
    act(&state, event_id, |tx, event| {
        board::adopt_cluster(tx, event, cluster_id, &topic)
    })
}

/// The topics of the catalogue.
#[tauri::command]
pub fn list_topics(state: State<'_, AppState>) -> CommandResult<Vec<Topic>> {
    state.with_store(|s| s.read(|c| Ok(topics::catalogue(c)?.topics)))
}

/// Creates or changes a topic.
#[tauri::command]
pub fn save_topic(state: State<'_, AppState>, topic: Topic) -> CommandResult<Vec<Topic>> {
    state.with_store(|s| {
        s.write(|tx| {
            topics::save_topic(tx, &topic)?;
            Ok(topics::catalogue(tx)?.topics)
        })
    })
}

/// Deletes a topic.
#[tauri::command]
pub fn delete_topic(state: State<'_, AppState>, key: String) -> CommandResult<Vec<Topic>> {
    state.with_store(|s| {
        s.write(|tx| {
            topics::delete_topic(tx, &key)?;
            Ok(topics::catalogue(tx)?.topics)
        })
    })
}
