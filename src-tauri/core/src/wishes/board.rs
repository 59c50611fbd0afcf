//! Wishes of an event on the curation board: adding, editing, suggestions,
//! moving, cluster operations, undo, finishing ("abschließen") and the
//! anonymous presentation data.
//!
//! Invariants:
//! - every function taking a `Transaction` is one user action; the caller
//!   runs it in [`crate::store::Store::write`];
//! - a suggestion run touches only wishes that are unassigned or were placed
//!   automatically in an unlocked cluster; a manual assignment and a locked
//!   cluster are never changed by it;
//! - each board action stores a snapshot of the event's clusters and wishes
//!   first, so [`undo`] can restore the state before the last action.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Catalogue, SuggestionOrigin, countries_lexicon, suggest, topics};
use crate::error::{CoreError, CoreResult};
use crate::store::{new_uid, now_utc, text_enum};

/// How many undo steps are kept per event.
const UNDO_DEPTH: i64 = 30;
/// Heading of unassigned wishes in the presentation.
const UNASSIGNED_HEADING: &str = "Weitere Wünsche";

text_enum! {
    /// How a wish got into its cluster.
    pub enum Assignment {
        /// By a suggestion run.
        Auto = "auto" => "Vorschlag",
        /// By staff.
        Manual = "manual" => "Von Hand",
    }
}

text_enum! {
    /// Where a cluster comes from.
    pub enum ClusterOrigin {
        /// A topic of the catalogue or a country.
        Catalogue = "catalogue" => "Themenkatalog",
        /// Found among wishes no topic matched.
        Discovered = "discovered" => "Neu gefunden",
        /// Created or renamed by staff.
        Manual = "manual" => "Von Hand",
    }
}

/// One wish on the board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WishCard {
    /// Wish id.
    #[ts(type = "number")]
    pub id: i64,
    /// The wish as written.
    pub text: String,
    /// The registration it came with.
    #[ts(type = "number | null")]
    pub registration_id: Option<i64>,
    /// How it got into its cluster (None: unassigned).
    pub assignment: Option<Assignment>,
    /// Confidence of the automatic suggestion (0–1).
    pub score: Option<f64>,
    /// The second topic of a two-topic wish.
    pub second_cluster: Option<String>,
}

/// One cluster on the board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BoardCluster {
    /// Cluster id.
    #[ts(type = "number")]
    pub id: i64,
    /// Label, e.g. "Ukraine".
    pub label: String,
    /// Group label, e.g. "Länderspezifisch".
    pub group: Option<String>,
    /// Locked clusters are final for suggestion runs.
    pub locked: bool,
    /// Where the cluster comes from.
    pub origin: ClusterOrigin,
    /// Its wishes, in input order.
    pub wishes: Vec<WishCard>,
}

/// A heading of the board: a group with its clusters, or a cluster without
/// group on its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BoardSection {
    /// Group label, or the label of the single cluster without group.
    pub heading: String,
    /// True when the heading is a group.
    pub is_group: bool,
    /// The clusters in display order.
    pub clusters: Vec<BoardCluster>,
}

/// The whole curation board of an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WishBoard {
    /// Event id.
    #[ts(type = "number")]
    pub event_id: i64,
    /// Sections in display order.
    pub sections: Vec<BoardSection>,
    /// Wishes in no cluster ("Nicht zugeordnet").
    pub unassigned: Vec<WishCard>,
    /// Number of wishes.
    pub total: usize,
    /// When the curation was finished (RFC 3339), if it was.
    pub finished_at: Option<String>,
    /// German description of the action [`undo`] would revert.
    pub undo_action: Option<String>,
}

/// What a suggestion run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SuggestionRun {
    /// Wishes (re)placed by the run.
    pub placed: usize,
    /// Wishes left unassigned because their topic's cluster is locked.
    pub left_unassigned: usize,
    /// Wishes not touched (manual or in a locked cluster).
    pub untouched: usize,
    /// Clusters the run created.
    pub clusters_created: usize,
}

/// A cluster as shown to the audience.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PresentationCluster {
    /// Cluster label.
    pub label: String,
    /// The wishes' texts, without any names.
    pub wishes: Vec<String>,
}

/// A heading as shown to the audience.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PresentationSection {
    /// Group label or the label of a cluster without group.
    pub heading: String,
    /// Non-empty clusters in display order.
    pub clusters: Vec<PresentationCluster>,
}

/// The anonymous presentation of an event's wishes: groups → clusters → wishes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Presentation {
    /// Event title.
    pub event_title: String,
    /// Sections with at least one wish.
    pub sections: Vec<PresentationSection>,
}

/// One wish with its current cluster, or a fresh suggestion when unassigned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WishAssignment {
    /// The wish as written.
    pub text: String,
    /// Cluster label.
    pub cluster: String,
    /// Group label.
    pub group: Option<String>,
    /// Confidence (1 for a manual assignment).
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ClusterRow {
    id: i64,
    uid: String,
    group_label: Option<String>,
    label: String,
    locked: bool,
    position: i64,
    origin: ClusterOrigin,
    created_at: String,
    updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct WishRow {
    id: i64,
    uid: String,
    registration_id: Option<i64>,
    text: String,
    cluster_id: Option<i64>,
    assignment: Option<Assignment>,
    score: Option<f64>,
    second_cluster_label: Option<String>,
    position: i64,
    created_at: String,
    updated_at: String,
}

/// The event's board state, stored before each action for undo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Snapshot {
    clusters: Vec<ClusterRow>,
    wishes: Vec<WishRow>,
}

const CLUSTER_COLUMNS: &str =
    "id, uid, group_label, label, locked, position, origin, created_at, updated_at";
const WISH_COLUMNS: &str = "id, uid, registration_id, text, cluster_id, assignment, score, second_cluster_label, position, created_at, updated_at";

fn cluster_rows(conn: &Connection, event_id: i64) -> CoreResult<Vec<ClusterRow>> {
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

fn wish_rows(conn: &Connection, event_id: i64) -> CoreResult<Vec<WishRow>> {
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
                position: r.get(8)?,
                created_at: r.get(9)?,
                updated_at: r.get(10)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

fn check_event(conn: &Connection, event_id: i64) -> CoreResult<()> {
    crate::events::get(conn, event_id).map(|_| ())
}

/// Stores the event's board state before an action (keeps the last [`UNDO_DEPTH`]).
fn record_undo(tx: &Transaction<'_>, event_id: i64, action: &str) -> CoreResult<()> {
    let snapshot = Snapshot {
        clusters: cluster_rows(tx, event_id)?,
        wishes: wish_rows(tx, event_id)?,
    };
    let json = serde_json::to_string(&snapshot).expect("a snapshot serialises");
    let now = now_utc();
    tx.execute(
        "INSERT INTO wish_undo (uid, event_id, action, snapshot, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![new_uid(), event_id, action, json, now],
    )?;
    tx.execute(
        "DELETE FROM wish_undo WHERE event_id = ?1 AND id NOT IN
         (SELECT id FROM wish_undo WHERE event_id = ?1 ORDER BY id DESC LIMIT ?2)",
        params![event_id, UNDO_DEPTH],
    )?;
    Ok(())
}

/// Reverts the event's last board action. Returns its German description.
pub fn undo(tx: &Transaction<'_>, event_id: i64) -> CoreResult<String> {
    let last: Option<(i64, String, String)> = tx
        .query_row(
            "SELECT id, action, snapshot FROM wish_undo WHERE event_id = ?1 ORDER BY id DESC LIMIT 1",
            [event_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((id, action, json)) = last else {
        return Err(CoreError::Conflict(
            "Es gibt nichts rückgängig zu machen.".into(),
        ));
    };
    let snapshot: Snapshot = serde_json::from_str(&json)
        .map_err(|e| CoreError::Conflict(format!("Der Rückgängig-Schritt ist beschädigt: {e}")))?;
    tx.execute("DELETE FROM wishes WHERE event_id = ?1", [event_id])?;
    tx.execute("DELETE FROM wish_clusters WHERE event_id = ?1", [event_id])?;
    for c in &snapshot.clusters {
        tx.execute(
            "INSERT INTO wish_clusters (id, uid, event_id, group_label, label, locked, position, origin, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![c.id, c.uid, event_id, c.group_label, c.label, c.locked, c.position, c.origin, c.created_at, c.updated_at],
        )?;
    }
    for w in &snapshot.wishes {
        tx.execute(
            "INSERT INTO wishes (id, uid, event_id, registration_id, text, cluster_id, assignment, score, second_cluster_label, position, created_at, updated_at)
             VALUES (?1, ?2, ?3, (SELECT id FROM registrations WHERE id = ?4), ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                w.id, w.uid, event_id, w.registration_id, w.text, w.cluster_id, w.assignment, w.score,
                w.second_cluster_label, w.position, w.created_at, w.updated_at
            ],
        )?;
    }
    tx.execute("DELETE FROM wish_undo WHERE id = ?1", [id])?;
    Ok(action)
}

fn next_wish_position(tx: &Transaction<'_>, event_id: i64) -> CoreResult<i64> {
    Ok(tx.query_row(
        "SELECT ifnull(max(position) + 1, 0) FROM wishes WHERE event_id = ?1",
        [event_id],
        |r| r.get(0),
    )?)
}

fn insert_wishes(
    tx: &Transaction<'_>,
    event_id: i64,
    registration_id: Option<i64>,
    texts: &[&str],
) -> CoreResult<Vec<i64>> {
    let first = next_wish_position(tx, event_id)?;
    let now = now_utc();
    let mut ids = Vec::with_capacity(texts.len());
    for (position, text) in (first..).zip(texts) {
        tx.execute(
            "INSERT INTO wishes (uid, event_id, registration_id, text, position, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![new_uid(), event_id, registration_id, text, position, now],
        )?;
        ids.push(tx.last_insert_rowid());
    }
    Ok(ids)
}

fn non_empty_lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Adds pasted wishes, one per non-empty line. Returns the new ids.
pub fn add_wishes(tx: &Transaction<'_>, event_id: i64, pasted: &str) -> CoreResult<Vec<i64>> {
    check_event(tx, event_id)?;
    let lines = non_empty_lines(pasted);
    if lines.is_empty() {
        return Err(CoreError::invalid(
            "text",
            "Bitte mindestens einen Wunsch eingeben (einer pro Zeile).",
        ));
    }
    record_undo(tx, event_id, "Wünsche hinzugefügt")?;
    insert_wishes(tx, event_id, None, &lines)
}

/// Adds the wishes given with a registration (the registration desk calls
/// this). Blank entries are skipped. Not undoable on the board: it clears
/// the event's undo history, so an undo never drops a registration's wish.
pub fn add_for_registration(
    tx: &Transaction<'_>,
    event_id: i64,
    registration_id: i64,
    texts: &[String],
) -> CoreResult<Vec<i64>> {
    let registration_event: Option<i64> = tx
        .query_row(
            "SELECT event_id FROM registrations WHERE id = ?1",
            [registration_id],
            |r| r.get(0),
        )
        .optional()?;
    match registration_event {
        None => {
            return Err(CoreError::NotFound {
                what: "Die Anmeldung",
            });
        }
        Some(e) if e != event_id => {
            return Err(CoreError::Conflict(
                "Die Anmeldung gehört zu einer anderen Veranstaltung.".into(),
            ));
        }
        Some(_) => {}
    }
    let lines: Vec<&str> = texts
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect();
    if lines.is_empty() {
        return Ok(Vec::new());
    }
    tx.execute("DELETE FROM wish_undo WHERE event_id = ?1", [event_id])?;
    insert_wishes(tx, event_id, Some(registration_id), &lines)
}

fn wish_event(conn: &Connection, wish_id: i64) -> CoreResult<i64> {
    conn.query_row(
        "SELECT event_id FROM wishes WHERE id = ?1",
        [wish_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(CoreError::NotFound { what: "Der Wunsch" })
}

fn cluster_event(conn: &Connection, cluster_id: i64) -> CoreResult<i64> {
    conn.query_row(
        "SELECT event_id FROM wish_clusters WHERE id = ?1",
        [cluster_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(CoreError::NotFound {
        what: "Der Cluster",
    })
}

/// Changes a wish's text. An automatic assignment is dropped (the next run
/// suggests anew); a manual one stays.
pub fn edit_wish(tx: &Transaction<'_>, wish_id: i64, text: &str) -> CoreResult<()> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CoreError::invalid(
            "text",
            "Der Wunsch darf nicht leer sein.",
        ));
    }
    let event_id = wish_event(tx, wish_id)?;
    record_undo(tx, event_id, "Wunsch bearbeitet")?;
    tx.execute(
        "UPDATE wishes SET text = ?2, updated_at = ?3,
             cluster_id = CASE WHEN assignment = 'auto' THEN NULL ELSE cluster_id END,
             score = CASE WHEN assignment = 'auto' THEN NULL ELSE score END,
             second_cluster_label = CASE WHEN assignment = 'auto' THEN NULL ELSE second_cluster_label END,
             assignment = CASE WHEN assignment = 'auto' THEN NULL ELSE assignment END
         WHERE id = ?1",
        params![wish_id, text, now_utc()],
    )?;
    Ok(())
}

/// Deletes a wish.
pub fn delete_wish(tx: &Transaction<'_>, wish_id: i64) -> CoreResult<()> {
    let event_id = wish_event(tx, wish_id)?;
    record_undo(tx, event_id, "Wunsch gelöscht")?;
    tx.execute("DELETE FROM wishes WHERE id = ?1", [wish_id])?;
    Ok(())
}

/// Moves a wish into a cluster of its event by hand (None: back to
/// "Nicht zugeordnet"). A manual assignment is never overwritten by suggestions.
pub fn move_wish(tx: &Transaction<'_>, wish_id: i64, cluster_id: Option<i64>) -> CoreResult<()> {
    let event_id = wish_event(tx, wish_id)?;
    if let Some(cluster_id) = cluster_id
        && cluster_event(tx, cluster_id)? != event_id
    {
        return Err(CoreError::Conflict(
            "Der Cluster gehört zu einer anderen Veranstaltung.".into(),
        ));
    }
    record_undo(tx, event_id, "Wunsch verschoben")?;
    tx.execute(
        "UPDATE wishes SET cluster_id = ?2, assignment = CASE WHEN ?2 IS NULL THEN NULL ELSE 'manual' END,
             updated_at = ?3 WHERE id = ?1",
        params![wish_id, cluster_id, now_utc()],
    )?;
    Ok(())
}

fn clean_label(label: &str, field: &str) -> CoreResult<String> {
    let label = label.trim();
    if label.is_empty() {
        return Err(CoreError::invalid(
            field,
            "Der Name des Clusters darf nicht leer sein.",
        ));
    }
    Ok(label.to_string())
}

fn clean_group(group: Option<&str>) -> Option<String> {
    group
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .map(str::to_string)
}

fn check_label_free(
    tx: &Transaction<'_>,
    event_id: i64,
    label: &str,
    except: Option<i64>,
) -> CoreResult<()> {
    let taken: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM wish_clusters WHERE event_id = ?1 AND label = ?2 AND id IS NOT ?3)",
        params![event_id, label, except],
        |r| r.get(0),
    )?;
    if taken {
        return Err(CoreError::invalid(
            "label",
            format!("Es gibt schon einen Cluster „{label}“."),
        ));
    }
    Ok(())
}

fn insert_cluster(
    tx: &Transaction<'_>,
    event_id: i64,
    label: &str,
    group: Option<&str>,
    origin: ClusterOrigin,
    position: i64,
) -> CoreResult<i64> {
    let now = now_utc();
    tx.execute(
        "INSERT INTO wish_clusters (uid, event_id, group_label, label, locked, position, origin, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, ?7)",
        params![new_uid(), event_id, group, label, position, origin, now],
    )?;
    Ok(tx.last_insert_rowid())
}

fn next_cluster_position(tx: &Transaction<'_>, event_id: i64) -> CoreResult<i64> {
    Ok(tx.query_row(
        "SELECT ifnull(max(position) + 1, 0) FROM wish_clusters WHERE event_id = ?1",
        [event_id],
        |r| r.get(0),
    )?)
}

/// Creates an empty cluster by hand. Returns its id.
pub fn create_cluster(
    tx: &Transaction<'_>,
    event_id: i64,
    label: &str,
    group: Option<&str>,
) -> CoreResult<i64> {
    check_event(tx, event_id)?;
    let label = clean_label(label, "label")?;
    check_label_free(tx, event_id, &label, None)?;
    record_undo(tx, event_id, "Cluster angelegt")?;
    let position = next_cluster_position(tx, event_id)?;
    insert_cluster(
        tx,
        event_id,
        &label,
        clean_group(group).as_deref(),
        ClusterOrigin::Manual,
        position,
    )
}

/// Renames a cluster and sets its group. A renamed cluster belongs to staff
/// (origin "manual") and is never removed by a suggestion run.
pub fn rename_cluster(
    tx: &Transaction<'_>,
    cluster_id: i64,
    label: &str,
    group: Option<&str>,
) -> CoreResult<()> {
    let event_id = cluster_event(tx, cluster_id)?;
    let label = clean_label(label, "label")?;
    check_label_free(tx, event_id, &label, Some(cluster_id))?;
    record_undo(tx, event_id, "Cluster umbenannt")?;
    tx.execute(
        "UPDATE wish_clusters SET label = ?2, group_label = ?3, origin = 'manual', updated_at = ?4 WHERE id = ?1",
        params![cluster_id, label, clean_group(group), now_utc()],
    )?;
    Ok(())
}

/// Moves all wishes of `source` into `target` (as manual assignments) and
/// deletes `source`.
pub fn merge_clusters(tx: &Transaction<'_>, source_id: i64, target_id: i64) -> CoreResult<()> {
    let event_id = cluster_event(tx, source_id)?;
    if cluster_event(tx, target_id)? != event_id || source_id == target_id {
        return Err(CoreError::Conflict(
            "Zusammenführen geht nur mit zwei verschiedenen Clustern derselben Veranstaltung."
                .into(),
        ));
    }
    record_undo(tx, event_id, "Cluster zusammengeführt")?;
    tx.execute(
        "UPDATE wishes SET cluster_id = ?2, assignment = 'manual', updated_at = ?3 WHERE cluster_id = ?1",
        params![source_id, target_id, now_utc()],
    )?;
    tx.execute("DELETE FROM wish_clusters WHERE id = ?1", [source_id])?;
    Ok(())
}

/// Splits the given wishes off `cluster_id` into a new cluster `label` in
/// the same group (manual assignments). Returns the new cluster's id.
pub fn split_cluster(
    tx: &Transaction<'_>,
    cluster_id: i64,
    wish_ids: &[i64],
    label: &str,
) -> CoreResult<i64> {
    let event_id = cluster_event(tx, cluster_id)?;
    let label = clean_label(label, "label")?;
    check_label_free(tx, event_id, &label, None)?;
    if wish_ids.is_empty() {
        return Err(CoreError::invalid(
            "wish_ids",
            "Bitte mindestens einen Wunsch zum Abtrennen auswählen.",
        ));
    }
    for &wish_id in wish_ids {
        let in_cluster: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM wishes WHERE id = ?1 AND cluster_id = ?2)",
            params![wish_id, cluster_id],
            |r| r.get(0),
        )?;
        if !in_cluster {
            return Err(CoreError::invalid(
                "wish_ids",
                "Abtrennen geht nur mit Wünschen aus diesem Cluster.",
            ));
        }
    }
    record_undo(tx, event_id, "Cluster geteilt")?;
    let (group, position): (Option<String>, i64) = tx.query_row(
        "SELECT group_label, position FROM wish_clusters WHERE id = ?1",
        [cluster_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let new_id = insert_cluster(
        tx,
        event_id,
        &label,
        group.as_deref(),
        ClusterOrigin::Manual,
        position,
    )?;
    let now = now_utc();
    for &wish_id in wish_ids {
        tx.execute(
            "UPDATE wishes SET cluster_id = ?2, assignment = 'manual', updated_at = ?3 WHERE id = ?1",
            params![wish_id, new_id, now],
        )?;
    }
    Ok(new_id)
}

/// Deletes a cluster; its wishes go back to "Nicht zugeordnet".
pub fn delete_cluster(tx: &Transaction<'_>, cluster_id: i64) -> CoreResult<()> {
    let event_id = cluster_event(tx, cluster_id)?;
    record_undo(tx, event_id, "Cluster gelöscht")?;
    tx.execute(
        "UPDATE wishes SET cluster_id = NULL, assignment = NULL, score = NULL, second_cluster_label = NULL,
             updated_at = ?2 WHERE cluster_id = ?1",
        params![cluster_id, now_utc()],
    )?;
    tx.execute("DELETE FROM wish_clusters WHERE id = ?1", [cluster_id])?;
    Ok(())
}

/// Locks or unlocks a cluster.
pub fn set_locked(tx: &Transaction<'_>, cluster_id: i64, locked: bool) -> CoreResult<()> {
    let event_id = cluster_event(tx, cluster_id)?;
    record_undo(
        tx,
        event_id,
        if locked {
            "Cluster gesperrt"
        } else {
            "Cluster entsperrt"
        },
    )?;
    tx.execute(
        "UPDATE wish_clusters SET locked = ?2, updated_at = ?3 WHERE id = ?1",
        params![cluster_id, locked, now_utc()],
    )?;
    Ok(())
}

/// Display position of a suggested cluster: the section's place in the
/// catalogue's `sections`, then the topic's place in the catalogue (or the
/// country's place in the lexicon); discovered clusters come last.
fn suggested_position(catalogue: &Catalogue, label: &str, group: Option<&str>) -> i64 {
    let heading = group.unwrap_or(label);
    let section = catalogue
        .sections
        .iter()
        .position(|s| s == heading)
        .unwrap_or(catalogue.sections.len());
    let within = catalogue
        .topics
        .iter()
        .position(|t| t.label == label)
        .or_else(|| {
            countries_lexicon()
                .iter()
                .position(|c| c.label == label)
                .map(|i| i + 500)
        })
        .unwrap_or(999);
    (section as i64) * 1000 + within as i64
}

/// Suggests clusters for the event's unassigned wishes and for wishes a
/// previous run placed in an unlocked cluster. Manual assignments and
/// locked clusters stay as they are; empty automatic clusters are removed.
pub fn run_suggestions(tx: &Transaction<'_>, event_id: i64) -> CoreResult<SuggestionRun> {
    check_event(tx, event_id)?;
    record_undo(tx, event_id, "Vorschläge berechnet")?;
    let clusters = cluster_rows(tx, event_id)?;
    let locked: HashMap<i64, bool> = clusters.iter().map(|c| (c.id, c.locked)).collect();
    let wishes = wish_rows(tx, event_id)?;
    let (candidates, kept): (Vec<&WishRow>, Vec<&WishRow>) =
        wishes.iter().partition(|w| match w.cluster_id {
            None => true,
            Some(c) => w.assignment == Some(Assignment::Auto) && !locked[&c],
        });
    let catalogue = topics::catalogue(tx)?;
    let learned = topics::learned_examples(tx, Some(event_id))?;
    let texts: Vec<String> = candidates.iter().map(|w| w.text.clone()).collect();
    let suggestions = suggest(&texts, &catalogue, &learned);
    let mut by_label: HashMap<String, (i64, bool)> = clusters
        .iter()
        .map(|c| (c.label.clone(), (c.id, c.locked)))
        .collect();
    let mut run = SuggestionRun {
        placed: 0,
        left_unassigned: 0,
        untouched: kept.len(),
        clusters_created: 0,
    };
    let now = now_utc();
    for (wish, suggestion) in candidates.iter().zip(&suggestions) {
        let (cluster_id, is_locked) = match by_label.get(&suggestion.cluster) {
            Some(&found) => found,
            None => {
                let origin = if suggestion.origin == SuggestionOrigin::Discovered {
                    ClusterOrigin::Discovered
                } else {
                    ClusterOrigin::Catalogue
                };
                let position = suggested_position(
                    &catalogue,
                    &suggestion.cluster,
                    suggestion.group.as_deref(),
                );
                let id = insert_cluster(
                    tx,
                    event_id,
                    &suggestion.cluster,
                    suggestion.group.as_deref(),
                    origin,
                    position,
                )?;
                run.clusters_created += 1;
                by_label.insert(suggestion.cluster.clone(), (id, false));
                (id, false)
            }
        };
        let (cluster, assignment) = if is_locked {
            run.left_unassigned += 1;
            (None, None)
        } else {
            run.placed += 1;
            (Some(cluster_id), Some(Assignment::Auto))
        };
        tx.execute(
            "UPDATE wishes SET cluster_id = ?2, assignment = ?3, score = ?4, second_cluster_label = ?5, updated_at = ?6
             WHERE id = ?1",
            params![
                wish.id,
                cluster,
                assignment,
                assignment.map(|_| suggestion.score),
                suggestion.second.as_ref().map(|s| s.cluster.clone()),
                now
            ],
        )?;
    }
    tx.execute(
        "DELETE FROM wish_clusters WHERE event_id = ?1 AND locked = 0 AND origin <> 'manual'
             AND NOT EXISTS (SELECT 1 FROM wishes WHERE cluster_id = wish_clusters.id)",
        [event_id],
    )?;
    Ok(run)
}

fn card(w: &WishRow) -> WishCard {
    WishCard {
        id: w.id,
        text: w.text.clone(),
        registration_id: w.registration_id,
        assignment: w.assignment,
        score: w.score,
        second_cluster: w.second_cluster_label.clone(),
    }
}

/// Groups clusters into sections: a group collects its clusters; a cluster
/// without group is a section of its own. Sections appear in the order of
/// their first cluster.
fn sections<T>(clusters: Vec<(Option<String>, String, T)>) -> Vec<(String, bool, Vec<T>)> {
    let mut out: Vec<(String, bool, Vec<T>)> = Vec::new();
    for (group, label, item) in clusters {
        match group {
            Some(group) => match out
                .iter_mut()
                .find(|(h, is_group, _)| *is_group && *h == group)
            {
                Some(section) => section.2.push(item),
                None => out.push((group, true, vec![item])),
            },
            None => out.push((label, false, vec![item])),
        }
    }
    out
}

/// The curation board of an event.
pub fn board(conn: &Connection, event_id: i64) -> CoreResult<WishBoard> {
    check_event(conn, event_id)?;
    let wishes = wish_rows(conn, event_id)?;
    let clusters = cluster_rows(conn, event_id)?;
    let items = clusters
        .into_iter()
        .map(|c| {
            let cards = wishes
                .iter()
                .filter(|w| w.cluster_id == Some(c.id))
                .map(card)
                .collect();
            let cluster = BoardCluster {
                id: c.id,
                label: c.label.clone(),
                group: c.group_label.clone(),
                locked: c.locked,
                origin: c.origin,
                wishes: cards,
            };
            (c.group_label, c.label, cluster)
        })
        .collect();
    let sections = sections(items)
        .into_iter()
        .map(|(heading, is_group, clusters)| BoardSection {
            heading,
            is_group,
            clusters,
        })
        .collect();
    let finished_at = conn
        .query_row(
            "SELECT finished_at FROM wish_curations WHERE event_id = ?1",
            [event_id],
            |r| r.get(0),
        )
        .optional()?;
    let undo_action = conn
        .query_row(
            "SELECT action FROM wish_undo WHERE event_id = ?1 ORDER BY id DESC LIMIT 1",
            [event_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(WishBoard {
        event_id,
        unassigned: wishes
            .iter()
            .filter(|w| w.cluster_id.is_none())
            .map(card)
            .collect(),
        total: wishes.len(),
        sections,
        finished_at,
        undo_action,
    })
}

/// Finishes the curation ("abschließen"): every wish in a cluster becomes a
/// learned example of that cluster for later events (replacing examples
/// from an earlier finish of the same event). Returns the number of examples.
pub fn finish_curation(tx: &Transaction<'_>, event_id: i64) -> CoreResult<usize> {
    check_event(tx, event_id)?;
    let clusters: HashMap<i64, ClusterRow> = cluster_rows(tx, event_id)?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let now = now_utc();
    tx.execute(
        "DELETE FROM learned_examples WHERE source_event_id = ?1",
        [event_id],
    )?;
    let mut count = 0;
    for wish in wish_rows(tx, event_id)? {
        let Some(cluster) = wish.cluster_id.and_then(|id| clusters.get(&id)) else {
            continue;
        };
        tx.execute(
            "INSERT INTO learned_examples (uid, text, cluster_label, group_label, source_event_id, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![new_uid(), wish.text, cluster.label, cluster.group_label, event_id, now],
        )?;
        count += 1;
    }
    tx.execute(
        "INSERT INTO wish_curations (uid, event_id, finished_at, created_at, updated_at) VALUES (?1, ?2, ?3, ?3, ?3)
         ON CONFLICT (event_id) DO UPDATE SET finished_at = excluded.finished_at, updated_at = excluded.updated_at",
        params![new_uid(), event_id, now],
    )?;
    Ok(count)
}

/// The anonymous presentation: sections → non-empty clusters → wish texts;
/// unassigned wishes come last under "Weitere Wünsche". No names, no ids.
pub fn presentation(conn: &Connection, event_id: i64) -> CoreResult<Presentation> {
    let event = crate::events::get(conn, event_id)?;
    let board = board(conn, event_id)?;
    let texts = |cards: &[WishCard]| cards.iter().map(|c| c.text.clone()).collect::<Vec<_>>();
    let mut sections: Vec<PresentationSection> = board
        .sections
        .iter()
        .map(|s| PresentationSection {
            heading: s.heading.clone(),
            clusters: s
                .clusters
                .iter()
                .filter(|c| !c.wishes.is_empty())
                .map(|c| PresentationCluster {
                    label: c.label.clone(),
                    wishes: texts(&c.wishes),
                })
                .collect(),
        })
        .filter(|s| !s.clusters.is_empty())
        .collect();
    if !board.unassigned.is_empty() {
        sections.push(PresentationSection {
            heading: UNASSIGNED_HEADING.into(),
            clusters: vec![PresentationCluster {
                label: UNASSIGNED_HEADING.into(),
                wishes: texts(&board.unassigned),
            }],
        });
    }
    Ok(Presentation {
        event_title: event.title,
        sections,
    })
}

/// Every wish of the event in input order with its current cluster; an
/// unassigned wish gets a fresh suggestion (nothing is stored). With
/// `catalogue` None the database's catalogue applies.
pub fn current_assignments(
    conn: &Connection,
    event_id: i64,
    catalogue: Option<&Catalogue>,
) -> CoreResult<Vec<WishAssignment>> {
    check_event(conn, event_id)?;
    let clusters: HashMap<i64, ClusterRow> = cluster_rows(conn, event_id)?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let wishes = wish_rows(conn, event_id)?;
    let open: Vec<String> = wishes
        .iter()
        .filter(|w| w.cluster_id.is_none())
        .map(|w| w.text.clone())
        .collect();
    let stored;
    let catalogue = match catalogue {
        Some(c) => c,
        None => {
            stored = topics::catalogue(conn)?;
            &stored
        }
    };
    let mut fresh = suggest(
        &open,
        catalogue,
        &topics::learned_examples(conn, Some(event_id))?,
    )
    .into_iter();
    let mut out = Vec::with_capacity(wishes.len());
    for wish in &wishes {
        let assignment = match wish.cluster_id.and_then(|id| clusters.get(&id)) {
            Some(cluster) => WishAssignment {
                text: wish.text.clone(),
                cluster: cluster.label.clone(),
                group: cluster.group_label.clone(),
                score: if wish.assignment == Some(Assignment::Manual) {
                    1.0
                } else {
                    wish.score.unwrap_or(0.0)
                },
            },
            None => {
                let s = fresh.next().expect("one suggestion per unassigned wish");
                WishAssignment {
                    text: wish.text.clone(),
                    cluster: s.cluster,
                    group: s.group,
                    score: s.score,
                }
            }
        };
        out.push(assignment);
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
