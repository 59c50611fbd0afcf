//! Reads of the board: the curation board, the anonymous presentation and
//! the current assignment of every wish.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use super::types::{
    Assignment, BoardCluster, BoardSection, Presentation, PresentationCluster, PresentationSection,
    TopicProposal, WishAssignment, WishBoard, WishCard,
};
use super::{ClusterRow, WishRow, cluster_rows, settings, wish_rows};
use crate::error::{CoreError, CoreResult};
use crate::events::Event;
use crate::wishes::{Catalogue, propose, suggest, topics};

/// Heading of unassigned wishes in the presentation.
const UNASSIGNED_HEADING: &str = "Weitere Wünsche";

fn card(w: &WishRow) -> WishCard {
    WishCard {
        id: w.id,
        text: w.text.clone(),
        registration_id: w.registration_id,
        assignment: w.assignment,
        score: w.score,
        second_cluster: w.second_cluster_label.clone(),
        evidence: w
            .evidence
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default(),
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
pub fn board(conn: &Connection, event: &Event) -> CoreResult<WishBoard> {
    let event_id = event.id;
    let wishes = wish_rows(conn, event_id)?;
    let clusters = cluster_rows(conn, event_id)?;
    let catalogue = topics::catalogue(conn)?;
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
                in_catalogue: catalogue.knows(&c.label),
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
        show_general: settings::show_general(conn, event)?,
    })
}

/// The proposal for adopting a cluster of the event as a new topic: its
/// label and group, the keywords its wishes share against the event's other
/// wishes, a priority and the catalogue topics those keywords also match
/// ([`crate::wishes::propose`]).
pub fn topic_proposal(
    conn: &Connection,
    event: &Event,
    cluster_id: i64,
) -> CoreResult<TopicProposal> {
    let cluster = cluster_rows(conn, event.id)?
        .into_iter()
        .find(|c| c.id == cluster_id)
        .ok_or(CoreError::NotFound {
            what: "Der Cluster",
        })?;
    let (members, others): (Vec<WishRow>, Vec<WishRow>) = wish_rows(conn, event.id)?
        .into_iter()
        .partition(|w| w.cluster_id == Some(cluster_id));
    let texts = |rows: Vec<WishRow>| rows.into_iter().map(|w| w.text).collect::<Vec<_>>();
    let proposal = propose(&texts(members), &texts(others), &topics::catalogue(conn)?);
    Ok(TopicProposal {
        label: cluster.label,
        group: cluster.group_label,
        keywords: proposal.keywords,
        priority: proposal.priority,
        overlaps: proposal.overlaps,
    })
}

/// The anonymous presentation: sections → non-empty clusters → wish texts;
/// unassigned wishes come last under "Weitere Wünsche". No names, no ids.
/// The catalogue's fallback cluster ("Allgemein": non-answers like "keine")
/// is left out unless [`settings::set_show_general`] turned it on.
pub fn presentation(conn: &Connection, event: &Event) -> CoreResult<Presentation> {
    let board = board(conn, event)?;
    let general = if board.show_general {
        None
    } else {
        Some(crate::store::fold(&topics::catalogue(conn)?.fallback))
    };
    let shown = |c: &BoardCluster| {
        !c.wishes.is_empty()
            && general
                .as_deref()
                .is_none_or(|g| crate::store::fold(&c.label) != g)
    };
    let texts = |cards: &[WishCard]| cards.iter().map(|c| c.text.clone()).collect::<Vec<_>>();
    let mut sections: Vec<PresentationSection> = board
        .sections
        .iter()
        .map(|s| PresentationSection {
            heading: s.heading.clone(),
            clusters: s
                .clusters
                .iter()
                .filter(|c| shown(c))
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
        event_title: event.title.clone(),
        sections,
    })
}

/// Every wish of the event in input order with its current cluster; an
/// unassigned wish gets a fresh suggestion (nothing is stored). With
/// `catalogue` None the database's catalogue applies.
pub fn current_assignments(
    conn: &Connection,
    event: &Event,
    catalogue: Option<&Catalogue>,
) -> CoreResult<Vec<WishAssignment>> {
    let event_id = event.id;
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
