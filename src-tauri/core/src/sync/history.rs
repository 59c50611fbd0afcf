//! The history's epochs: how a deletion (Art. 17, the shredder) also leaves the replicated log.
//!
//! Automerge keeps every value ever written, so a person erased from the tables would live on
//! in `sync_chunks` on every laptop. After a deletion the laptop therefore *compacts*: it
//! starts a fresh document from the current state ([`compacted`]) — a new **epoch** — and
//! throws the old chunks away. The fresh document records which changes of the earlier epochs
//! it covers (`_epoch/covered/{epoch}`, the change hashes only, no data), so a laptop still on
//! an earlier epoch can *rebase* ([`rebase`]): it keeps exactly the work the new epoch lacks
//! (its changes outside the covered set), writes that work on a fork of the new epoch's root
//! (so it is concurrent with whatever happened there since), and throws its old history away
//! too. A field changed on both sides keeps both values as an ordinary conflict for a person;
//! a row deleted in the new epoch (its tombstone `_deleted/{table}/{uid}`) stays deleted, so an
//! erased person never comes back from a laptop that was offline during the erasure.
//!
//! Two laptops that compacted independently (two deletions in the same offline period) are
//! ordered by (generation, epoch id); the lower one rebases onto the higher one without a known
//! base, comparing against its own epoch's root, so at worst a field shows as a conflict.
//!
//! Keys (all under `_epoch/`, never rows): `id`, `generation`, `at` (UTC), `root` (the hash of
//! the compacting change), `covered/{epoch}` (bytes: 32-byte hashes), `absorbed/{epoch}/{hash}`
//! (a change of `epoch` a rebase has carried over).

use std::collections::{BTreeMap, BTreeSet};

use automerge::{
    ActorId, AutoCommit, ChangeHash, ROOT, ReadDoc, ScalarValue, Value, transaction::Transactable,
};

use super::doc::{self, Key, am_error};
use crate::error::{CoreError, CoreResult};
use crate::store;

/// The epoch of a document that never compacted.
pub(crate) const INITIAL: &str = "0";

const PREFIX: &str = "_epoch/";
const COVERED: &str = "_epoch/covered/";
const ABSORBED: &str = "_epoch/absorbed/";

/// The tombstone key of a deleted row.
pub(crate) fn tombstone_key(table: &str, uid: &str) -> String {
    format!("_deleted/{table}/{uid}")
}

/// The epoch the document is in.
pub(crate) fn epoch_of(doc: &AutoCommit) -> CoreResult<String> {
    Ok(doc::meta(doc, "_epoch/id")?.unwrap_or_else(|| INITIAL.to_owned()))
}

fn generation(doc: &AutoCommit) -> CoreResult<i64> {
    Ok(doc::meta(doc, "_epoch/generation")?
        .and_then(|g| g.parse().ok())
        .unwrap_or(0))
}

/// When the document's epoch began (UTC), if it ever compacted.
pub(crate) fn compacted_at(doc: &AutoCommit) -> CoreResult<Option<String>> {
    doc::meta(doc, "_epoch/at")
}

fn root_of(doc: &AutoCommit) -> CoreResult<Option<ChangeHash>> {
    Ok(doc::meta(doc, "_epoch/root")?.and_then(|h| h.parse().ok()))
}

/// The changes of earlier epochs the document covers, by epoch (covered at a compaction or
/// carried over by a rebase).
fn covered(doc: &AutoCommit) -> BTreeMap<String, BTreeSet<ChangeHash>> {
    let mut all: BTreeMap<String, BTreeSet<ChangeHash>> = BTreeMap::new();
    for item in doc.map_range(ROOT, COVERED.to_owned()..format!("{COVERED}\u{10FFFF}")) {
        let epoch = item.key[COVERED.len()..].to_owned();
        if let Value::Scalar(s) = Value::from(item.value)
            && let ScalarValue::Bytes(bytes) = s.as_ref()
        {
            let hashes = bytes
                .chunks_exact(32)
                .filter_map(|h| ChangeHash::try_from(h).ok());
            all.entry(epoch).or_default().extend(hashes);
        }
    }
    for item in doc.map_range(ROOT, ABSORBED.to_owned()..format!("{ABSORBED}\u{10FFFF}")) {
        let rest = &item.key[ABSORBED.len()..];
        if let Some((epoch, hash)) = rest.split_once('/')
            && let Ok(hash) = hash.parse()
        {
            all.entry(epoch.to_owned()).or_default().insert(hash);
        }
    }
    all
}

/// How another laptop's epoch relates to this document's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Relation {
    /// The same epoch: an ordinary exchange.
    Same,
    /// The other laptop is on an epoch this document has compacted away: it must take over
    /// this laptop's history (its data is not read).
    Older,
    /// Any other epoch: the other laptop's whole document decides ([`rebase`]).
    Other,
}

/// How `their_epoch` relates to the document's epoch.
pub(crate) fn relation(doc: &AutoCommit, their_epoch: &str) -> CoreResult<Relation> {
    if epoch_of(doc)? == their_epoch {
        return Ok(Relation::Same);
    }
    if covered(doc).contains_key(their_epoch) {
        return Ok(Relation::Older);
    }
    Ok(Relation::Other)
}

/// The current (winning) value of every key, with its concurrent values where there are
/// several; `_epoch/` keys and the fields of deleted rows (a deleted row keeps its field keys
/// in the document: they hold exactly what a deletion must remove) left out.
fn state(doc: &AutoCommit) -> CoreResult<Vec<(String, Vec<ScalarValue>)>> {
    // One pass over the sorted keys: a row's key comes right before its fields.
    let mut alive: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut state = Vec::new();
    for item in doc.map_range(ROOT, ..) {
        let key = item.key.as_ref();
        if key.starts_with(PREFIX) {
            continue;
        }
        match doc::parse_key(key) {
            Key::Row { .. } => {
                alive.insert(key.to_owned());
            }
            Key::Field { table, uid, .. } => {
                if !alive.contains(&doc::row_key(table, uid)) {
                    continue;
                }
            }
            Key::Other => {}
        }
        let Value::Scalar(winner) = Value::from(item.value) else {
            continue;
        };
        let mut values = vec![winner.into_owned()];
        if item.conflict {
            for (value, _) in doc.get_all(ROOT, key).map_err(am_error)? {
                if let Value::Scalar(s) = value {
                    let s = s.into_owned();
                    if !values.contains(&s) {
                        values.push(s);
                    }
                }
            }
        }
        state.push((key.to_owned(), values));
    }
    Ok(state)
}

fn hashes_bytes(hashes: &BTreeSet<ChangeHash>) -> Vec<u8> {
    hashes.iter().flat_map(|h| h.0).collect()
}

/// A fresh document with the state of `doc` and no history of its values: the next epoch.
/// Open conflicts stay open (their values are written concurrently).
pub(crate) fn compacted(doc: &mut AutoCommit) -> CoreResult<AutoCommit> {
    let old = epoch_of(doc)?;
    let next_generation = generation(doc)? + 1;
    let mut covered = covered(doc);
    covered
        .entry(old)
        .or_default()
        .extend(doc.get_changes_meta(&[]).into_iter().map(|c| c.hash));
    let state = state(doc)?;
    let mut fresh = AutoCommit::new().with_actor(ActorId::random());
    fresh
        .put(ROOT, "_epoch/id", store::new_uid())
        .map_err(am_error)?;
    fresh.commit();
    // The j-th value of every conflicted key goes on the j-th fork of this base: merged, they
    // are concurrent again. The winners' fork starts with one extra operation, so each of its
    // puts has a higher counter than the others' and the winner stays the winner.
    let (conflicted, plain): (Vec<_>, Vec<_>) = state.iter().partition(|(_, v)| v.len() > 1);
    let most = conflicted.iter().map(|(_, v)| v.len()).max().unwrap_or(0);
    let mut forks = Vec::new();
    for j in 0..most {
        let mut fork = fresh.fork();
        if j == 0 {
            fork.put(ROOT, "_epoch/vorrang", true).map_err(am_error)?;
        }
        for (key, values) in &conflicted {
            if let Some(value) = values.get(j) {
                fork.put(ROOT, key.as_str(), value.clone())
                    .map_err(am_error)?;
            }
        }
        fork.commit();
        forks.push(fork);
    }
    for (key, values) in &plain {
        fresh
            .put(ROOT, key.as_str(), values[0].clone())
            .map_err(am_error)?;
    }
    for mut fork in forks {
        fresh.merge(&mut fork).map_err(am_error)?;
    }
    fresh
        .put(ROOT, "_epoch/generation", next_generation)
        .map_err(am_error)?;
    fresh
        .put(ROOT, "_epoch/at", store::now_utc())
        .map_err(am_error)?;
    for (epoch, hashes) in &covered {
        fresh
            .put(
                ROOT,
                format!("{COVERED}{epoch}"),
                ScalarValue::Bytes(hashes_bytes(hashes)),
            )
            .map_err(am_error)?;
    }
    let root = fresh
        .commit()
        .ok_or_else(|| am_error("kein Stand zum Verdichten"))?;
    fresh
        .put(ROOT, "_epoch/root", root.to_string())
        .map_err(am_error)?;
    fresh.commit();
    Ok(fresh)
}

/// What a rebase produced: the other laptop's document with this laptop's work on it.
pub(crate) struct Rebased {
    /// The document to continue with.
    pub doc: AutoCommit,
    /// Keys this laptop's work wrote (checked for conflicts).
    pub written: BTreeSet<String>,
    /// Whether this laptop's work deleted rows whose values the new epoch's root still holds
    /// (a deletion of this laptop's own earlier epoch, say): then the new history has to be
    /// compacted once more.
    pub compact: bool,
}

fn winner(
    doc: &AutoCommit,
    key: &str,
    at: Option<&[ChangeHash]>,
) -> CoreResult<Option<ScalarValue>> {
    let found = match at {
        Some(heads) => doc.get_at(ROOT, key, heads),
        None => doc.get(ROOT, key),
    }
    .map_err(am_error)?;
    Ok(match found {
        Some((Value::Scalar(s), _)) => Some(s.into_owned()),
        _ => None,
    })
}

fn set(doc: &mut AutoCommit, key: &str, value: Option<ScalarValue>) -> CoreResult<()> {
    match value {
        Some(value) => doc.put(ROOT, key, value).map_err(am_error),
        None => doc.delete(ROOT, key).map_err(am_error),
    }
}

/// Whether `key` belongs to a row the document deleted (tombstone, not alive).
fn deleted_row(doc: &AutoCommit, key: &str) -> CoreResult<bool> {
    match doc::parse_key(key) {
        Key::Row { table, uid } | Key::Field { table, uid, .. } => Ok(doc
            .get(ROOT, tombstone_key(table, uid))
            .map_err(am_error)?
            .is_some()
            && !doc::row_alive(doc, table, uid)?),
        Key::Other => Ok(false),
    }
}

/// The heads of a causally closed set of changes: the members no other member depends on.
fn heads_of(members: &BTreeMap<ChangeHash, Vec<ChangeHash>>) -> Vec<ChangeHash> {
    let depended: BTreeSet<&ChangeHash> = members.values().flatten().collect();
    members
        .keys()
        .filter(|h| !depended.contains(h))
        .copied()
        .collect()
}

/// Carries this laptop's work (`mine`) over onto the other laptop's document of a different
/// epoch (`theirs`, complete). `None` when the other laptop is the one to rebase (two
/// independent compactions, and this one ranks higher).
pub(crate) fn rebase(mine: &mut AutoCommit, mut theirs: AutoCommit) -> CoreResult<Option<Rebased>> {
    let incomplete = || {
        CoreError::Conflict(
            "Die Daten des anderen Laptops sind unvollständig: nach einer Verlaufsbereinigung wird der ganze Stand gebraucht. Bitte eine vollständige Abgleichsdatei exportieren (ohne „--since-peer“)."
                .to_owned(),
        )
    };
    let their_epoch = doc::meta(&theirs, "_epoch/id")?.ok_or_else(incomplete)?;
    let root = root_of(&theirs)?.ok_or_else(incomplete)?;
    let own_epoch = epoch_of(mine)?;
    let (base, absorbed) = match covered(&theirs).remove(&own_epoch) {
        Some(covered) => {
            let all: BTreeMap<ChangeHash, Vec<ChangeHash>> = mine
                .get_changes_meta(&[])
                .into_iter()
                .map(|c| (c.hash, c.deps))
                .collect();
            let (known, extras): (BTreeMap<_, _>, BTreeMap<_, _>) =
                all.into_iter().partition(|(h, _)| covered.contains(h));
            (heads_of(&known), extras.into_keys().collect::<Vec<_>>())
        }
        None => {
            if (generation(mine)?, own_epoch.as_str())
                > (generation(&theirs)?, their_epoch.as_str())
            {
                return Ok(None);
            }
            (root_of(mine)?.into_iter().collect(), Vec::new())
        }
    };
    let root = [root];
    let mut ours_fork = theirs.fork_at(&root).map_err(am_error)?;
    let mut kept_fork = theirs.fork_at(&root).map_err(am_error)?;
    let mut keys: BTreeSet<String> = mine.keys(ROOT).collect();
    keys.extend(mine.keys_at(ROOT, &base));
    let mut written = BTreeSet::new();
    let mut compact = false;
    for key in keys.iter().filter(|k| !k.starts_with(PREFIX)) {
        let ours = winner(mine, key, None)?;
        let before = winner(mine, key, Some(&base))?;
        if ours == before || deleted_row(&theirs, key)? {
            continue;
        }
        let at_root = winner(&theirs, key, Some(&root))?;
        if at_root == ours {
            continue;
        }
        compact |= ours.is_none() && matches!(doc::parse_key(key), Key::Row { .. });
        set(&mut ours_fork, key, ours)?;
        if at_root != before
            && let Some(value) = at_root
        {
            // Changed on both sides without either seeing the other: both values stay. The
            // root value is written anew (Automerge skips a put of the value a key already
            // has, hence the delete first), concurrently with this laptop's value.
            kept_fork.delete(ROOT, key.as_str()).map_err(am_error)?;
            kept_fork.put(ROOT, key.as_str(), value).map_err(am_error)?;
        }
        written.insert(key.clone());
    }
    for hash in &absorbed {
        ours_fork
            .put(ROOT, format!("{ABSORBED}{own_epoch}/{hash}"), true)
            .map_err(am_error)?;
    }
    ours_fork.commit();
    kept_fork.commit();
    theirs.merge(&mut ours_fork).map_err(am_error)?;
    theirs.merge(&mut kept_fork).map_err(am_error)?;
    Ok(Some(Rebased {
        doc: theirs,
        written,
        compact,
    }))
}

/// The rows whose state differs between two documents, by table (what a rebase rewrites):
/// one merged walk over both documents' sorted keys.
pub(crate) fn changed_rows(
    old: &AutoCommit,
    new: &AutoCommit,
) -> CoreResult<BTreeMap<String, BTreeSet<String>>> {
    fn scalar(value: automerge::ValueRef<'_>) -> Option<ScalarValue> {
        match Value::from(value) {
            Value::Scalar(s) => Some(s.into_owned()),
            Value::Object(_) => None,
        }
    }
    let mut rows: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut note = |key: &str| {
        if let Key::Row { table, uid } | Key::Field { table, uid, .. } = doc::parse_key(key) {
            rows.entry(table.to_owned())
                .or_default()
                .insert(uid.to_owned());
        }
    };
    let mut left = old.map_range(ROOT, ..);
    let mut right = new.map_range(ROOT, ..);
    let (mut a, mut b) = (left.next(), right.next());
    loop {
        match (a.take(), b.take()) {
            (None, None) => break,
            (Some(x), None) => {
                note(&x.key);
                a = left.next();
            }
            (None, Some(y)) => {
                note(&y.key);
                b = right.next();
            }
            (Some(x), Some(y)) => match x.key.cmp(&y.key) {
                std::cmp::Ordering::Less => {
                    note(&x.key);
                    a = left.next();
                    b = Some(y);
                }
                std::cmp::Ordering::Greater => {
                    note(&y.key);
                    a = Some(x);
                    b = right.next();
                }
                std::cmp::Ordering::Equal => {
                    let key = x.key.clone();
                    if scalar(x.value) != scalar(y.value) {
                        note(&key);
                    }
                    a = left.next();
                    b = right.next();
                }
            },
        }
    }
    Ok(rows)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn doc_with(pairs: &[(&str, &str)]) -> AutoCommit {
        let mut doc = AutoCommit::new();
        for (k, v) in pairs {
            doc.put(ROOT, *k, *v).unwrap();
        }
        doc.commit();
        doc
    }

    fn text(doc: &AutoCommit, key: &str) -> Option<String> {
        doc::meta(doc, key).unwrap()
    }

    /// Whether any change in the document's history ever wrote a text containing `needle`
    /// (what a deletion must leave no trace of).
    pub(crate) fn history_holds(doc: &mut AutoCommit, needle: &str) -> bool {
        doc.get_changes(&[]).iter().any(|c| {
            c.decode().operations.iter().any(|op| {
                matches!(&op.action, automerge::legacy::OpType::Put(ScalarValue::Str(s)) if s.contains(needle))
            })
        })
    }

    #[test]
    fn a_compacted_document_has_the_state_but_not_the_old_values() {
        let mut doc = doc_with(&[("persons/p/name", "Erika Muster"), ("persons/p", "x")]);
        doc.put(ROOT, "persons/p/name", "E. M.").unwrap();
        doc.commit();
        assert!(history_holds(&mut doc, "Erika Muster"));
        let mut fresh = compacted(&mut doc).unwrap();
        assert_eq!(text(&fresh, "persons/p/name").as_deref(), Some("E. M."));
        assert!(!history_holds(&mut fresh, "Erika Muster"));
        assert_ne!(epoch_of(&fresh).unwrap(), INITIAL);
        assert_eq!(relation(&fresh, INITIAL).unwrap(), Relation::Older);
        assert_eq!(
            relation(&doc, &epoch_of(&fresh).unwrap()).unwrap(),
            Relation::Other
        );
    }

    #[test]
    fn open_conflicts_survive_a_compaction() {
        let mut a = doc_with(&[("events/e", "x"), ("events/e/ort", "Dortmund")]);
        let mut b = a.fork();
        a.put(ROOT, "events/e/ort", "Köln").unwrap();
        a.commit();
        b.put(ROOT, "events/e/ort", "Bonn").unwrap();
        b.commit();
        a.merge(&mut b).unwrap();
        let fresh = compacted(&mut a).unwrap();
        let values = doc::all_values(&fresh, "events/e/ort").unwrap();
        assert_eq!(values.len(), 2, "{values:?}");
        assert_eq!(text(&fresh, "events/e/ort"), text(&a, "events/e/ort"));
    }

    #[test]
    fn a_laptop_on_the_old_epoch_keeps_exactly_its_new_work() {
        let mut office = doc_with(&[
            ("persons/p", "x"),
            ("persons/p/name", "Erika"),
            ("events/e", "x"),
            ("events/e/ort", "Dortmund"),
            ("events/e/titel", "Forum"),
        ]);
        let mut desk = office.fork();
        // The desk, offline, renames the event and creates a registration.
        desk.put(ROOT, "events/e/titel", "Forum 14").unwrap();
        desk.put(ROOT, "registrations/r", "x").unwrap();
        desk.put(ROOT, "registrations/r/status", "angemeldet")
            .unwrap();
        desk.put(ROOT, "persons/p/name", "Erika M.").unwrap();
        desk.commit();
        // The office erases the person and changes the place, then compacts.
        office.delete(ROOT, "persons/p").unwrap();
        office
            .put(ROOT, tombstone_key("persons", "p"), true)
            .unwrap();
        office.put(ROOT, "events/e/ort", "Köln").unwrap();
        office.commit();
        let fresh = compacted(&mut office).unwrap();
        let rebased = rebase(&mut desk, fresh).unwrap().expect("the desk rebases");
        let mut doc = rebased.doc;
        assert_eq!(text(&doc, "events/e/titel").as_deref(), Some("Forum 14"));
        assert_eq!(text(&doc, "events/e/ort").as_deref(), Some("Köln"));
        assert_eq!(
            text(&doc, "registrations/r/status").as_deref(),
            Some("angemeldet")
        );
        assert!(!doc::row_alive(&doc, "persons", "p").unwrap());
        assert!(
            !history_holds(&mut doc, "Erika M."),
            "an edit of an erased person does not come back"
        );
        assert!(!history_holds(&mut doc, "Dortmund"));
    }

    #[test]
    fn a_field_changed_on_both_sides_stays_a_conflict_after_the_rebase() {
        let mut office = doc_with(&[("events/e", "x"), ("events/e/ort", "Dortmund")]);
        let mut desk = office.fork();
        desk.put(ROOT, "events/e/ort", "Bonn").unwrap();
        desk.commit();
        office.put(ROOT, "events/e/ort", "Köln").unwrap();
        office.commit();
        let fresh = compacted(&mut office).unwrap();
        let rebased = rebase(&mut desk, fresh).unwrap().unwrap();
        let mut values: Vec<String> = doc::all_values(&rebased.doc, "events/e/ort")
            .unwrap()
            .into_iter()
            .map(|v| match v {
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            })
            .collect();
        values.sort();
        assert_eq!(values, ["Bonn", "Köln"]);
        assert!(rebased.written.contains("events/e/ort"));
    }

    #[test]
    fn work_carried_over_by_one_laptop_is_not_carried_again_by_another() {
        let mut office = doc_with(&[("events/e", "x"), ("events/e/titel", "Forum")]);
        let mut desk = office.fork();
        desk.put(ROOT, "events/e/titel", "Forum 14").unwrap();
        desk.commit();
        let mut third = office.fork();
        third.merge(&mut desk).unwrap();
        let fresh = compacted(&mut office).unwrap();
        let mut after_desk = rebase(&mut desk, fresh).unwrap().unwrap().doc;
        // The office renames it again on the new epoch.
        after_desk.put(ROOT, "events/e/titel", "Forum 15").unwrap();
        after_desk.commit();
        let after_third = rebase(&mut third, after_desk).unwrap().unwrap();
        assert_eq!(
            text(&after_third.doc, "events/e/titel").as_deref(),
            Some("Forum 15")
        );
        assert!(after_third.written.is_empty());
    }

    #[test]
    fn of_two_independent_compactions_the_lower_one_rebases() {
        let mut a = doc_with(&[("events/e", "x"), ("events/e/titel", "Forum")]);
        let mut b = a.fork();
        let fa = compacted(&mut a).unwrap();
        let fb = compacted(&mut b).unwrap();
        let (mut low, high) = if epoch_of(&fa).unwrap() < epoch_of(&fb).unwrap() {
            (fa, fb)
        } else {
            (fb, fa)
        };
        assert!(rebase(&mut low.clone(), high.clone()).unwrap().is_some());
        assert!(rebase(&mut high.clone(), low.clone()).unwrap().is_none());
        let joined = rebase(&mut low, high).unwrap().unwrap();
        assert_eq!(
            text(&joined.doc, "events/e/titel").as_deref(),
            Some("Forum")
        );
    }

    #[test]
    fn a_partial_package_of_a_new_epoch_is_refused_in_german() {
        let mut desk = doc_with(&[("events/e", "x"), ("events/e/titel", "Forum")]);
        let mut partial = doc_with(&[("events/e", "x"), ("events/e/titel", "Forum")]);
        partial.put(ROOT, "_epoch/id", "x").unwrap();
        partial.commit();
        let err = rebase(&mut desk, partial)
            .err()
            .expect("refused")
            .to_string();
        assert!(err.contains("vollständige Abgleichsdatei"), "{err}");
    }
}
