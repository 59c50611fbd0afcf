//! Wishes of an event on the curation board: adding, editing, suggestions,
//! moving, cluster operations, undo, finishing ("abschließen") and the
//! anonymous presentation data.
//!
//! Parts: [`types`] (what the UI receives), `rows` here (the stored rows and
//! the snapshot of an event's board), [`undo`], [`wish_actions`] (add, edit,
//! delete, move), [`clusters`] (create, rename, merge, split, delete, lock),
//! [`suggestions`] (the suggestion run), [`finish`], [`reads`] (board,
//! presentation, current assignments) and [`settings`] (of the presentation).
//!
//! Invariants:
//! - every function taking a `Transaction` is one user action; the caller
//!   runs it in [`crate::store::Store::write`];
//! - functions of a whole event take the [`Event`](crate::events::Event) the
//!   caller loaded (the board does not load events itself);
//! - a suggestion run touches only wishes that are unassigned or were placed
//!   automatically in an unlocked cluster; a manual assignment and a locked
//!   cluster are never changed by it; it computes without holding a write
//!   transaction and applies its result only to the board it read;
//! - each board action stores a snapshot of the event's clusters and wishes
//!   first, so [`undo()`] can restore the state before the last action.

pub mod clusters;
pub mod finish;
pub mod reads;
pub mod settings;
pub mod suggestions;
pub mod types;
pub mod undo;
pub mod wish_actions;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::error::CoreResult;

pub use clusters::{
    adopt_cluster, create_cluster, delete_cluster, merge_clusters, rename_cluster, set_locked,
    split_cluster,
};
pub use finish::finish_curation;
pub use reads::{board, current_assignments, presentation, topic_proposal};
pub use settings::{set_show_general, show_general};
pub use suggestions::{
    ComputedSuggestions, SuggestionPlan, apply_suggestions, plan_suggestions, run_suggestions,
    run_suggestions_in,
};
pub use types::{
    Assignment, BoardCluster, BoardSection, ClusterOrigin, Presentation, PresentationCluster,
    PresentationSection, SuggestionRun, TopicProposal, WishAssignment, WishBoard, WishCard,
};
pub use undo::undo;
pub use wish_actions::{
    MAX_WISH_CHARS, add_for_registration, add_wishes, delete_wish, edit_wish, move_wish, register,
};

/// A stored cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct ClusterRow {
    pub(super) id: i64,
    pub(super) uid: String,
    pub(super) group_label: Option<String>,
    pub(super) label: String,
    pub(super) locked: bool,
    pub(super) position: i64,
    pub(super) origin: ClusterOrigin,
    pub(super) created_at: String,
    pub(super) updated_at: String,
}

/// A stored wish.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct WishRow {
    pub(super) id: i64,
    pub(super) uid: String,
    pub(super) registration_id: Option<i64>,
    pub(super) text: String,
    pub(super) cluster_id: Option<i64>,
    pub(super) assignment: Option<Assignment>,
    pub(super) score: Option<f64>,
    pub(super) second_cluster_label: Option<String>,
    /// The deciding words of the automatic suggestion (JSON array).
    #[serde(default)]
    pub(super) evidence: Option<String>,
    pub(super) position: i64,
    pub(super) created_at: String,
    pub(super) updated_at: String,
}

/// The event's board state, stored before each action for undo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Snapshot {
    pub(super) clusters: Vec<ClusterRow>,
    pub(super) wishes: Vec<WishRow>,
}

impl Snapshot {
    /// The event's clusters and wishes as stored now.
    pub(super) fn read(conn: &Connection, event_id: i64) -> CoreResult<Snapshot> {
        Ok(Snapshot {
            clusters: cluster_rows(conn, event_id)?,
            wishes: wish_rows(conn, event_id)?,
        })
    }
}

const CLUSTER_COLUMNS: &str =
    "id, uid, group_label, label, locked, position, origin, created_at, updated_at";
const WISH_COLUMNS: &str = "id, uid, registration_id, text, cluster_id, assignment, score, second_cluster_label, evidence, position, created_at, updated_at";

pub(super) fn cluster_rows(conn: &Connection, event_id: i64) -> CoreResult<Vec<ClusterRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {CLUSTER_COLUMNS} FROM wish_clusters WHERE event_id = ?1 ORDER BY position, id"
    ))?;
    let rows = stmt
        .query_map([event_id], |r| {
            Ok(ClusterRow {
                id: r.get(0)?,
                uid: r.get(1)?,
                group_label: r.get(2)?,
                label: r.get(3)?,
                locked: r.get(4)?,
                position: r.get(5)?,
                origin: r.get(6)?,
                created_at: r.get(7)?,
                updated_at: r.get(8)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub(super) fn wish_rows(conn: &Connection, event_id: i64) -> CoreResult<Vec<WishRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {WISH_COLUMNS} FROM wishes WHERE event_id = ?1 ORDER BY position, id"
    ))?;
    let rows = stmt
        .query_map([event_id], |r| {
            Ok(WishRow {
                id: r.get(0)?,
                uid: r.get(1)?,
                registration_id: r.get(2)?,
                text: r.get(3)?,
                cluster_id: r.get(4)?,
                assignment: r.get(5)?,
                score: r.get(6)?,
                second_cluster_label: r.get(7)?,
                evidence: r.get(8)?,
                position: r.get(9)?,
                created_at: r.get(10)?,
                updated_at: r.get(11)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests;
