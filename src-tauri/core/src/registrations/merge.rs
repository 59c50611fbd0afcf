//! Merging two persons, as users know it from CiviCRM: a side-by-side preview where the user
//! picks per field which value to keep, and for each event both were registered for the
//! outcome (which registration stays, what becomes of the other, who moves up) before
//! confirming. One transaction.
//!
//! Rules:
//! - default per field: the kept person's non-empty value wins, an empty one takes the other's
//!   — the kept person's e-mail address is never replaced unless the user picks the other; the
//!   address not chosen goes into the notes, and the notes of both are combined;
//! - of two registrations for the same event, a counted one beats an uncounted one, then the
//!   waiting list beats cancelled/declined, then the better waiting-list place, then the earlier
//!   registration. The other one is merged into it, not lost: its status log moves over (marked
//!   with its uid), its attendance marks, workshops and wishes too (a "present" mark wins). A
//!   place it freed goes to the waiting list in the same transaction, logged;
//! - the kept person gets a history entry "zusammengeführt mit …" holding the removed person's
//!   full data as JSON.
//!
//! The preview is the merge itself, run inside a savepoint that is rolled back, so preview and
//! result cannot disagree.

use std::cmp::Reverse;

use rusqlite::{Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{
    RegistrationRow, RegistrationStatus, fill_from_waitlist, get_row, log_change, reassign_person,
    renumber_waitlist,
};
use crate::error::{CoreError, CoreResult};
use crate::events;
use crate::people::{self, HistoryAction, Person, PersonInput};
use crate::store::now_utc;

/// Which of the two persons a value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MergeSide {
    /// The person that stays.
    Keep,
    /// The person merged into it.
    Remove,
}

/// The fields the user chooses per side; the notes are always combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MergeField {
    /// Salutation.
    Salutation,
    /// Academic title.
    Title,
    /// First name.
    FirstName,
    /// Last name.
    LastName,
    /// Function.
    Function,
    /// Organisation.
    Organisation,
    /// Ort.
    Ort,
    /// E-mail.
    Email,
    /// Phone.
    Phone,
}

impl MergeField {
    /// Every field, in the order of the preview.
    pub const ALL: [MergeField; 9] = [
        MergeField::Salutation,
        MergeField::Title,
        MergeField::FirstName,
        MergeField::LastName,
        MergeField::Function,
        MergeField::Organisation,
        MergeField::Ort,
        MergeField::Email,
        MergeField::Phone,
    ];

    /// German label.
    pub fn label(self) -> &'static str {
        match self {
            MergeField::Salutation => "Anrede",
            MergeField::Title => "Titel",
            MergeField::FirstName => "Vorname",
            MergeField::LastName => "Nachname",
            MergeField::Function => "Funktion",
            MergeField::Organisation => "Organisation",
            MergeField::Ort => "Ort",
            MergeField::Email => "E-Mail",
            MergeField::Phone => "Telefon",
        }
    }

    /// The value of this field of a person, as shown.
    fn value(self, p: &Person) -> String {
        match self {
            MergeField::Salutation => p.salutation.clone(),
            MergeField::Title => p.title.clone(),
            MergeField::FirstName => p.first_name.clone(),
            MergeField::LastName => p.last_name.clone(),
            MergeField::Function => p.function.clone(),
            MergeField::Organisation => p.organisation.clone().unwrap_or_default(),
            MergeField::Ort => p.ort.clone(),
            MergeField::Email => p.email.clone(),
            MergeField::Phone => p.phone.clone(),
        }
    }
}

/// The user's choice per field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MergeChoices {
    /// Anrede.
    pub salutation: MergeSide,
    /// Titel.
    pub title: MergeSide,
    /// Vorname.
    pub first_name: MergeSide,
    /// Nachname.
    pub last_name: MergeSide,
    /// Funktion.
    pub function: MergeSide,
    /// Organisation.
    pub organisation: MergeSide,
    /// Ort.
    pub ort: MergeSide,
    /// E-Mail.
    pub email: MergeSide,
    /// Telefon.
    pub phone: MergeSide,
}

impl MergeChoices {
    /// The default: the kept person's non-empty value wins, an empty one takes the other's.
    pub fn defaults(keep: &Person, remove: &Person) -> Self {
        let side = |f: MergeField| {
            if f.value(keep).trim().is_empty() && !f.value(remove).trim().is_empty() {
                MergeSide::Remove
            } else {
                MergeSide::Keep
            }
        };
        MergeChoices {
            salutation: side(MergeField::Salutation),
            title: side(MergeField::Title),
            first_name: side(MergeField::FirstName),
            last_name: side(MergeField::LastName),
            function: side(MergeField::Function),
            organisation: side(MergeField::Organisation),
            ort: side(MergeField::Ort),
            email: side(MergeField::Email),
            phone: side(MergeField::Phone),
        }
    }

    /// The choice for one field.
    pub fn get(&self, field: MergeField) -> MergeSide {
        match field {
            MergeField::Salutation => self.salutation,
            MergeField::Title => self.title,
            MergeField::FirstName => self.first_name,
            MergeField::LastName => self.last_name,
            MergeField::Function => self.function,
            MergeField::Organisation => self.organisation,
            MergeField::Ort => self.ort,
            MergeField::Email => self.email,
            MergeField::Phone => self.phone,
        }
    }
}

/// One row of the side-by-side preview.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MergeFieldRow {
    /// Which field.
    pub field: MergeField,
    /// German label.
    pub label: String,
    /// The kept person's value.
    pub keep: String,
    /// The removed person's value.
    pub remove: String,
}

/// What happens to an event both persons were registered for.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RegistrationMerge {
    /// Event key.
    #[ts(type = "number")]
    pub event_id: i64,
    /// Event title.
    pub event_title: String,
    /// Event start (RFC 3339, Berlin offset).
    pub event_starts_at: String,
    /// The registration that stays (now the kept person's).
    #[ts(type = "number")]
    pub kept_registration_id: i64,
    /// Whose registration it was.
    pub kept_from: MergeSide,
    /// Its status after the merge.
    pub status: RegistrationStatus,
    /// Its waiting-list place after the merge.
    #[ts(type = "number | null")]
    pub waitlist_position: Option<i64>,
    /// The registration merged into it (deleted; its log and marks moved over).
    #[ts(type = "number")]
    pub merged_registration_id: i64,
    /// Its status before the merge.
    pub merged_status: RegistrationStatus,
    /// Whether merging it freed a place.
    pub freed_place: bool,
    /// Who moved up from the waiting list into the freed place.
    #[ts(type = "number | null")]
    pub promoted_person_id: Option<i64>,
    /// Their name.
    pub promoted_name: Option<String>,
}

/// A registration only the removed person had; it moves over unchanged.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MovedRegistration {
    /// Event key.
    #[ts(type = "number")]
    pub event_id: i64,
    /// Event title.
    pub event_title: String,
    /// Registration key.
    #[ts(type = "number")]
    pub registration_id: i64,
    /// Its status.
    pub status: RegistrationStatus,
}

/// The full plan (and, after [`merge_persons`], the result) of a merge.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MergePlan {
    /// The person that stays, before the merge.
    pub keep: Person,
    /// The person merged into it, before the merge.
    pub remove: Person,
    /// The side-by-side rows.
    pub fields: Vec<MergeFieldRow>,
    /// The choices applied.
    pub choices: MergeChoices,
    /// The kept person's data after the merge (notes combined).
    pub result: PersonInput,
    /// Events both were registered for.
    pub registrations: Vec<RegistrationMerge>,
    /// Registrations that move over unchanged.
    pub moved: Vec<MovedRegistration>,
}

/// Shows what [`merge_persons`] would do, writing nothing: the merge runs inside a savepoint
/// that is rolled back.
pub fn preview_merge(
    tx: &Transaction<'_>,
    keep_id: i64,
    remove_id: i64,
    choices: Option<&MergeChoices>,
) -> CoreResult<MergePlan> {
    tx.execute_batch("SAVEPOINT merge_preview")?;
    let plan = merge_persons(tx, keep_id, remove_id, choices);
    tx.execute_batch("ROLLBACK TO merge_preview; RELEASE merge_preview")?;
    plan
}

/// Merges `remove_id` into `keep_id` (see the module documentation); `None` takes the default
/// choice per field. Returns what was done.
pub fn merge_persons(
    tx: &Transaction<'_>,
    keep_id: i64,
    remove_id: i64,
    choices: Option<&MergeChoices>,
) -> CoreResult<MergePlan> {
    if keep_id == remove_id {
        return Err(CoreError::Conflict(
            "Eine Person kann nicht mit sich selbst zusammengeführt werden.".into(),
        ));
    }
    let keep = people::get_person(tx, keep_id)?;
    let remove = people::get_person(tx, remove_id)?;
    let choices = choices
        .copied()
        .unwrap_or_else(|| MergeChoices::defaults(&keep, &remove));
    let result = merged_person(&keep, &remove, &choices);
    let removed_name = remove.display_name();

    let mut registrations = Vec::new();
    for (kept, removed) in clashes(tx, keep_id, remove_id)? {
        registrations.push(merge_registrations(tx, keep_id, kept, removed)?);
    }
    let mut moved = Vec::new();
    for id in registration_ids(tx, remove_id)? {
        let reason = format!("Person zusammengeführt: vorher {removed_name} (Nr. {remove_id})");
        reassign_person(tx, id, keep_id, &reason)?;
        let row = get_row(tx, id)?;
        moved.push(MovedRegistration {
            event_id: row.event_id,
            event_title: events::get(tx, row.event_id)?.title,
            registration_id: id,
            status: row.status,
        });
    }

    people::move_history(tx, remove_id, keep_id)?;
    people::delete_person(tx, remove_id)?;
    people::update_person(tx, keep_id, &result)?;
    let email = if remove.email.is_empty() {
        String::new()
    } else {
        format!(", {}", remove.email)
    };
    people::add_history(
        tx,
        keep_id,
        HistoryAction::Zusammengefuehrt,
        &format!("zusammengeführt mit {removed_name} (Nr. {remove_id}{email})"),
        &serde_json::json!({ "removed": remove, "kept_before": keep, "choices": choices }),
    )?;
    Ok(MergePlan {
        fields: MergeField::ALL
            .iter()
            .map(|&f| MergeFieldRow {
                field: f,
                label: f.label().to_owned(),
                keep: f.value(&keep),
                remove: f.value(&remove),
            })
            .collect(),
        keep,
        remove,
        choices,
        result,
        registrations,
        moved,
    })
}

/// The kept person's data after the merge: the chosen side per field; the notes of both
/// combined, plus the e-mail address that was not chosen; migration hints about the two
/// addresses being doubled are dropped (the merge resolves them).
pub fn merged_person(keep: &Person, remove: &Person, choices: &MergeChoices) -> PersonInput {
    let pick = |f: MergeField, k: &str, r: &str| match choices.get(f) {
        MergeSide::Keep => k.to_owned(),
        MergeSide::Remove => r.to_owned(),
    };
    let email = pick(MergeField::Email, &keep.email, &remove.email);
    let other_email = match choices.email {
        MergeSide::Keep => &remove.email,
        MergeSide::Remove => &keep.email,
    };
    let addresses = [keep.email.to_lowercase(), remove.email.to_lowercase()];
    let is_resolved_hint = |line: &str| {
        let l = line.to_lowercase();
        l.contains("doppelt (auch bei")
            && addresses
                .iter()
                .any(|a| !a.is_empty() && l.contains(&format!("e-mail-adresse {a} doppelt")))
    };
    let mut lines: Vec<String> = Vec::new();
    for note in [&keep.notes, &remove.notes] {
        let kept: Vec<&str> = note.lines().filter(|l| !is_resolved_hint(l)).collect();
        let text = kept.join("\n").trim().to_owned();
        if !text.is_empty() && !lines.contains(&text) {
            lines.push(text);
        }
    }
    if !other_email.trim().is_empty() && !other_email.trim().eq_ignore_ascii_case(email.trim()) {
        lines.push(format!(
            "Weitere E-Mail-Adresse (aus der Zusammenführung): {}",
            other_email.trim()
        ));
    }
    PersonInput {
        salutation: pick(MergeField::Salutation, &keep.salutation, &remove.salutation),
        title: pick(MergeField::Title, &keep.title, &remove.title),
        first_name: pick(MergeField::FirstName, &keep.first_name, &remove.first_name),
        last_name: pick(MergeField::LastName, &keep.last_name, &remove.last_name),
        function: pick(MergeField::Function, &keep.function, &remove.function),
        organisation_id: match choices.organisation {
            MergeSide::Keep => keep.organisation_id,
            MergeSide::Remove => remove.organisation_id,
        },
        ort: pick(MergeField::Ort, &keep.ort, &remove.ort),
        email,
        phone: pick(MergeField::Phone, &keep.phone, &remove.phone),
        notes: lines.join("\n"),
    }
}

/// Pairs (kept person's registration, removed person's registration) for the same event.
fn clashes(tx: &Transaction<'_>, keep_id: i64, remove_id: i64) -> CoreResult<Vec<(i64, i64)>> {
    let mut stmt = tx.prepare(
        "SELECT k.id, r.id FROM registrations k
         JOIN registrations r ON r.event_id = k.event_id AND r.person_id = ?2
         WHERE k.person_id = ?1 ORDER BY k.event_id",
    )?;
    let rows = stmt.query_map([keep_id, remove_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn registration_ids(tx: &Transaction<'_>, person_id: i64) -> CoreResult<Vec<i64>> {
    let mut stmt = tx.prepare("SELECT id FROM registrations WHERE person_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([person_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The order in which one of two registrations for the same event is kept: counted, then the
/// waiting list, then the better place, then the earlier registration, then the older row.
fn precedence(r: &RegistrationRow) -> (u8, Reverse<i64>, Reverse<String>, Reverse<i64>) {
    let class = if r.status.is_counted() {
        2
    } else if r.status == RegistrationStatus::Warteliste {
        1
    } else {
        0
    };
    (
        class,
        Reverse(r.waitlist_position.unwrap_or(i64::MAX)),
        Reverse(r.registered_at.clone()),
        Reverse(r.registration_id),
    )
}

/// Keeps one of the two registrations for the same event and merges the other into it.
fn merge_registrations(
    tx: &Transaction<'_>,
    keep_id: i64,
    kept: i64,
    removed: i64,
) -> CoreResult<RegistrationMerge> {
    let a = get_row(tx, kept)?;
    let b = get_row(tx, removed)?;
    let (survivor, other, kept_from) = if precedence(&b) > precedence(&a) {
        (b, a, MergeSide::Remove)
    } else {
        (a, b, MergeSide::Keep)
    };
    let event = events::get(tx, survivor.event_id)?;
    let (s, o) = (survivor.registration_id, other.registration_id);
    let now = now_utc();
    // The other registration's end, in its own log, then its whole log moves over.
    log_change(
        tx,
        o,
        Some(other.status),
        RegistrationStatus::Storniert,
        &format!("zusammengeführt mit Anmeldung Nr. {s}"),
    )?;
    tx.execute(
        "UPDATE registration_status_log SET registration_id = ?2, merged_from = ?3, updated_at = ?4
         WHERE registration_id = ?1",
        params![o, s, other.uid, now],
    )?;
    // Attendance: a "present" mark of the other wins over the survivor's mark for the same
    // day and session; marks the survivor lacks move over.
    tx.execute(
        "UPDATE attendance SET state = 'anwesend',
             recorded_at = (SELECT b.recorded_at FROM attendance b WHERE b.registration_id = ?2
                            AND b.day = attendance.day
                            AND ifnull(b.session_id, 0) = ifnull(attendance.session_id, 0)),
             updated_at = ?3
         WHERE registration_id = ?1 AND state <> 'anwesend'
           AND EXISTS (SELECT 1 FROM attendance b WHERE b.registration_id = ?2
                       AND b.day = attendance.day
                       AND ifnull(b.session_id, 0) = ifnull(attendance.session_id, 0)
                       AND b.state = 'anwesend')",
        params![s, o, now],
    )?;
    tx.execute(
        "UPDATE OR IGNORE attendance SET registration_id = ?1, updated_at = ?3
         WHERE registration_id = ?2",
        params![s, o, now],
    )?;
    tx.execute(
        "UPDATE OR IGNORE registration_sessions SET registration_id = ?1, updated_at = ?3
         WHERE registration_id = ?2",
        params![s, o, now],
    )?;
    tx.execute(
        "UPDATE wishes SET registration_id = ?1, updated_at = ?3 WHERE registration_id = ?2",
        params![s, o, now],
    )?;
    tx.execute("DELETE FROM registrations WHERE id = ?1", [o])?;
    if kept_from == MergeSide::Remove {
        reassign_person(
            tx,
            s,
            keep_id,
            &format!("Person zusammengeführt; Anmeldung Nr. {o} übernommen"),
        )?;
    } else {
        log_change(
            tx,
            s,
            Some(survivor.status),
            survivor.status,
            &format!("Person zusammengeführt; Anmeldung Nr. {o} übernommen"),
        )?;
    }
    let freed_place = other.status.is_counted();
    let promoted = if freed_place {
        fill_from_waitlist(tx, event.id, "Platz frei geworden (Zusammenführung)")?
    } else {
        renumber_waitlist(tx, event.id)?;
        Vec::new()
    };
    let after = get_row(tx, s)?;
    let promoted = promoted.into_iter().next();
    Ok(RegistrationMerge {
        event_id: event.id,
        event_title: event.title,
        event_starts_at: event.starts_at,
        kept_registration_id: s,
        kept_from,
        status: after.status,
        waitlist_position: after.waitlist_position,
        merged_registration_id: o,
        merged_status: other.status,
        freed_place,
        promoted_person_id: promoted.as_ref().and_then(|p| p.person_id),
        promoted_name: promoted.map(|p| format!("{} {}", p.first_name, p.last_name)),
    })
}
