//! Finishing the curation ("abschließen"): the wishes become learned
//! examples for the next event's suggestions.

use std::collections::HashMap;

use rusqlite::{Transaction, params};

use super::{ClusterRow, cluster_rows, wish_rows};
use crate::error::CoreResult;
use crate::events::Event;
use crate::store::{new_uid, now_utc};

/// Finishes the curation ("abschließen"): every wish in a cluster becomes a
/// learned example of that cluster for later events (replacing examples
/// from an earlier finish of the same event). Returns the number of examples.
pub fn finish_curation(tx: &Transaction<'_>, event: &Event) -> CoreResult<usize> {
    let event_id = event.id;
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
