//! Cluster actions by hand: create, rename, merge, split, delete, lock, and
//! adopting a cluster as a topic of the catalogue.

use rusqlite::{Transaction, params};

use super::types::ClusterOrigin;
use super::undo::record_undo;
use super::wish_actions::cluster_event;
use crate::error::{CoreError, CoreResult};
use crate::events::Event;
use crate::input;
use crate::store::{new_uid, now_utc};
use crate::wishes::{Topic, topics};

fn clean_label(label: &str, field: &str) -> CoreResult<String> {
    let label = input::line(field, label)?;
    if label.is_empty() {
        return Err(CoreError::invalid(
            field,
            "Der Name des Clusters darf nicht leer sein.",
        ));
    }
    Ok(label)
}

fn clean_group(group: Option<&str>) -> CoreResult<Option<String>> {
    Ok(group
        .map(|g| input::line("group", g))
        .transpose()?
        .filter(|g| !g.is_empty()))
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

pub(super) fn insert_cluster(
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
    event: &Event,
    label: &str,
    group: Option<&str>,
) -> CoreResult<i64> {
    let event_id = event.id;
    let label = clean_label(label, "label")?;
    check_label_free(tx, event_id, &label, None)?;
    record_undo(tx, event_id, "Cluster angelegt")?;
    let position = next_cluster_position(tx, event_id)?;
    insert_cluster(
        tx,
        event_id,
        &label,
        clean_group(group)?.as_deref(),
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
        params![cluster_id, label, clean_group(group)?, now_utc()],
    )?;
    Ok(())
}

/// Adopts a cluster as a topic of the catalogue ("Als Thema übernehmen"):
/// saves the topic and, when staff changed its name or group in the dialog,
/// renames the cluster to match, in the caller's one transaction — so the
/// cluster and its topic never part. Board undo takes back the renaming
/// only; the topic is a catalogue edit (Themenkatalog).
pub fn adopt_cluster(
    tx: &Transaction<'_>,
    event: &Event,
    cluster_id: i64,
    topic: &Topic,
) -> CoreResult<()> {
    if cluster_event(tx, cluster_id)? != event.id {
        return Err(CoreError::NotFound {
            what: "Der Cluster",
        });
    }
    let (label, group): (String, Option<String>) = tx.query_row(
        "SELECT label, group_label FROM wish_clusters WHERE id = ?1",
        [cluster_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    topics::save_topic(tx, topic)?;
    let wanted_group = topic
        .group
        .as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty());
    if label != topic.label.trim() || group.as_deref() != wanted_group {
        rename_cluster(tx, cluster_id, &topic.label, wanted_group)?;
    }
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
        "UPDATE wishes SET cluster_id = NULL, assignment = NULL, score = NULL, second_cluster_label = NULL, evidence = NULL,
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
