//! What the UI receives from the board: cards, clusters, sections, the
//! board itself, the result of a suggestion run and the presentation.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::store::text_enum;

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
    /// The words of the wish that decided its automatic suggestion (empty
    /// when placed by hand or without deciding words).
    pub evidence: Vec<String>,
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
    /// Whether the topic catalogue knows the cluster's label (a topic, the
    /// fallback or a country); otherwise staff may adopt it as a new topic.
    pub in_catalogue: bool,
    /// Its wishes, in input order.
    pub wishes: Vec<WishCard>,
}

/// What "Als Thema übernehmen" proposes for a cluster the catalogue does not
/// know: its label and group, the keywords its wishes share, a priority and
/// the catalogue topics those keywords also match (staff review it all
/// before saving the topic).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TopicProposal {
    /// The cluster's label.
    pub label: String,
    /// The cluster's group.
    pub group: Option<String>,
    /// Proposed keywords, most distinctive first (may be empty).
    pub keywords: Vec<String>,
    /// Proposed priority: one above every catalogue topic the keywords also
    /// match (at most 100).
    pub priority: i32,
    /// Labels of the catalogue topics the proposed keywords also match.
    pub overlaps: Vec<String>,
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
    /// "Allgemein in der Präsentation zeigen": the fallback cluster is presented.
    pub show_general: bool,
}

/// What a suggestion run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SuggestionRun {
    /// Wishes (re)placed by the run.
    pub placed: usize,
    /// Wishes left unassigned because their topic's cluster is locked.
    pub left_unassigned: usize,
    /// Wishes left unassigned because nothing in them points to a topic.
    pub without_topic: usize,
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
