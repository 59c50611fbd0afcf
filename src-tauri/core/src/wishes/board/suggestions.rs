//! The suggestion run ("Vorschläge berechnen") in three phases, so that no
//! write lock is held while the clustering computes:
//!
//! 1. [`plan_suggestions`] reads the event's board, catalogue and learned
//!    examples from one snapshot (a read transaction);
//! 2. [`SuggestionPlan::compute`] is pure: no store, no lock, no transaction;
//! 3. [`apply_suggestions`] writes the result in one short write transaction
//!    — but only when the event's clusters and wishes are still exactly as
//!    read in phase 1; otherwise it writes nothing and says so.
//!
//! [`run_suggestions`] drives the phases and retries a few times when the
//! board changed in between (another window, the registration desk adding a
//! wish). A caller that shares the store (the app's mutex) locks it only in
//! the closures for phase 1 and 3.

use std::cell::RefCell;
use std::collections::HashMap;

use rusqlite::{Connection, Transaction, params};

use super::clusters::insert_cluster;
use super::types::{Assignment, ClusterOrigin, SuggestionRun};
use super::undo::record_undo_of;
use super::{Snapshot, WishRow};
use crate::error::{CoreError, CoreResult};
use crate::events::Event;
use crate::store::{Store, now_utc};
use crate::wishes::{
    Catalogue, LearnedExample, SuggestionOrigin, countries_lexicon, suggest, topics,
};

/// How often [`run_suggestions`] computes anew when the board changed meanwhile.
pub const MAX_ATTEMPTS: usize = 3;

/// What a suggestion run reads: the board and the knowledge it suggests from.
#[derive(Debug, Clone)]
pub struct SuggestionPlan {
    event_id: i64,
    snapshot: Snapshot,
    catalogue: Catalogue,
    learned: Vec<LearnedExample>,
}

/// One wish's new place, computed without the store.
#[derive(Debug, Clone)]
struct Placement {
    wish_id: i64,
    /// None: the wish stays unassigned (nothing pointed anywhere).
    cluster: Option<String>,
    group: Option<String>,
    origin: ClusterOrigin,
    position: i64,
    score: f64,
    second: Option<String>,
    evidence: Vec<String>,
}

/// The computed result of a run, to be written by [`apply_suggestions`].
#[derive(Debug, Clone)]
pub struct ComputedSuggestions {
    event_id: i64,
    /// The board the result was computed from.
    snapshot: Snapshot,
    placements: Vec<Placement>,
    untouched: usize,
}

/// Phase 1: reads everything a run needs from one snapshot.
pub fn plan_suggestions(conn: &Connection, event: &Event) -> CoreResult<SuggestionPlan> {
    Ok(SuggestionPlan {
        event_id: event.id,
        snapshot: Snapshot::read(conn, event.id)?,
        catalogue: topics::catalogue(conn)?,
        learned: topics::learned_examples(conn, Some(event.id))?,
    })
}

impl SuggestionPlan {
    /// Phase 2 (pure): suggests clusters for the unassigned wishes and for
    /// wishes a previous run placed in an unlocked cluster.
    pub fn compute(self) -> ComputedSuggestions {
        let locked: HashMap<i64, bool> = self
            .snapshot
            .clusters
            .iter()
            .map(|c| (c.id, c.locked))
            .collect();
        let (candidates, kept): (Vec<&WishRow>, Vec<&WishRow>) = self
            .snapshot
            .wishes
            .iter()
            .partition(|w| match w.cluster_id {
                None => true,
                Some(c) => {
                    w.assignment == Some(Assignment::Auto)
                        && !locked.get(&c).copied().unwrap_or(true)
                }
            });
        let texts: Vec<String> = candidates.iter().map(|w| w.text.clone()).collect();
        let suggestions = suggest(&texts, &self.catalogue, &self.learned);
        let placements = candidates
            .iter()
            .zip(suggestions)
            .map(|(wish, s)| Placement {
                wish_id: wish.id,
                position: suggested_position(&self.catalogue, &s.cluster, s.group.as_deref()),
                origin: if s.origin == SuggestionOrigin::Discovered {
                    ClusterOrigin::Discovered
                } else {
                    ClusterOrigin::Catalogue
                },
                second: s.second.as_ref().map(|second| second.cluster.clone()),
                cluster: (!s.is_unassigned()).then_some(s.cluster),
                group: s.group,
                score: s.score,
                evidence: s.evidence,
            })
            .collect();
        let untouched = kept.len();
        ComputedSuggestions {
            event_id: self.event_id,
            snapshot: self.snapshot,
            placements,
            untouched,
        }
    }
}

/// Phase 3: writes a computed run, in the caller's (short) transaction.
/// Returns `None` and writes nothing when the event's clusters or wishes
/// changed since [`plan_suggestions`] read them (compute again).
pub fn apply_suggestions(
    tx: &Transaction<'_>,
    event: &Event,
    computed: &ComputedSuggestions,
) -> CoreResult<Option<SuggestionRun>> {
    if event.id != computed.event_id {
        return Err(CoreError::Conflict(
            "Die Vorschläge gehören zu einer anderen Veranstaltung.".into(),
        ));
    }
    let current = Snapshot::read(tx, event.id)?;
    if current != computed.snapshot {
        return Ok(None);
    }
    record_undo_of(tx, event.id, "Vorschläge berechnet", &current)?;
    let mut by_label: HashMap<&str, (i64, bool)> = current
        .clusters
        .iter()
        .map(|c| (c.label.as_str(), (c.id, c.locked)))
        .collect();
    let mut run = SuggestionRun {
        placed: 0,
        left_unassigned: 0,
        without_topic: 0,
        untouched: computed.untouched,
        clusters_created: 0,
    };
    let now = now_utc();
    for p in &computed.placements {
        let Some(label) = p.cluster.as_deref() else {
            run.without_topic += 1;
            tx.execute(
                "UPDATE wishes SET cluster_id = NULL, assignment = NULL, score = NULL,
                     second_cluster_label = NULL, evidence = NULL, updated_at = ?2
                 WHERE id = ?1",
                params![p.wish_id, now],
            )?;
            continue;
        };
        let (cluster_id, is_locked) = match by_label.get(label) {
            Some(&found) => found,
            None => {
                let id = insert_cluster(
                    tx,
                    event.id,
                    label,
                    p.group.as_deref(),
                    p.origin,
                    p.position,
                )?;
                run.clusters_created += 1;
                by_label.insert(label, (id, false));
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
            "UPDATE wishes SET cluster_id = ?2, assignment = ?3, score = ?4, second_cluster_label = ?5,
                 evidence = ?6, updated_at = ?7
             WHERE id = ?1",
            params![
                p.wish_id,
                cluster,
                assignment,
                assignment.map(|_| p.score),
                p.second,
                assignment.and(evidence_json(&p.evidence)),
                now
            ],
        )?;
    }
    tx.execute(
        "DELETE FROM wish_clusters WHERE event_id = ?1 AND locked = 0 AND origin <> 'manual'
             AND NOT EXISTS (SELECT 1 FROM wishes WHERE cluster_id = wish_clusters.id)",
        [event.id],
    )?;
    Ok(Some(run))
}

/// Runs the three phases: `read` returns a plan (phase 1, in a read
/// transaction), the plan is computed without any lock, `write` applies it
/// (phase 3, in a write transaction) and may read more in the same
/// transaction (the app returns the new board with the run). When `write`
/// finds the board changed (`None`), the run starts again, at most
/// [`MAX_ATTEMPTS`] times; then a German conflict is reported.
pub fn run_suggestions<T, E: From<CoreError>>(
    mut read: impl FnMut() -> Result<SuggestionPlan, E>,
    mut write: impl FnMut(&ComputedSuggestions) -> Result<Option<T>, E>,
) -> Result<T, E> {
    for _ in 0..MAX_ATTEMPTS {
        let computed = read()?.compute();
        if let Some(done) = write(&computed)? {
            return Ok(done);
        }
    }
    Err(CoreError::Conflict(
        "Die Wünsche wurden während der Berechnung mehrmals geändert. Bitte „Vorschläge \
         berechnen“ noch einmal wählen."
            .into(),
    )
    .into())
}

/// [`run_suggestions`] on a store the caller has to itself (CLI, tests,
/// benchmarks).
pub fn run_suggestions_in(store: &mut Store, event: &Event) -> CoreResult<SuggestionRun> {
    let store = RefCell::new(store);
    run_suggestions(
        || store.borrow_mut().read(|c| plan_suggestions(c, event)),
        |computed| {
            store
                .borrow_mut()
                .write(|tx| apply_suggestions(tx, event, computed))
        },
    )
}

/// The evidence words as stored (JSON array), None when there are none.
fn evidence_json(words: &[String]) -> Option<String> {
    (!words.is_empty()).then(|| serde_json::Value::from(words).to_string())
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
