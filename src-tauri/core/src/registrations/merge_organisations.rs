//! Merging two spellings of one organisation ("Partnerschaftskomitee Hürth e.V." and
//! "Partnerschaftskomitee Hürth"), in the pattern of the person merge: a choice per field
//! (default: the kept organisation's non-empty values), the partner towns of both (each town
//! once), every member and every anonymous registration counted for it moved over, one
//! transaction; the preview is the merge run in a savepoint that is rolled back.
//!
//! It lives here, not in `people`, because it also moves `registrations.organisation_id` (the
//! organisation an anonymised registration counts for): statistics stay the same after a merge.

use rusqlite::{Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::merge::MergeSide;
use crate::error::{CoreError, CoreResult};
use crate::people::{self, OrgKind, Organisation, OrganisationInput, PartnerTown};
use crate::store::now_utc;

/// Which organisation each field comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrganisationMergeChoices {
    /// Name.
    pub name: MergeSide,
    /// Kind (Kommune, Verein, …).
    pub kind: MergeSide,
    /// Ort.
    pub ort: MergeSide,
    /// Kreis.
    pub kreis: MergeSide,
}

impl OrganisationMergeChoices {
    /// The kept organisation's values, except where it has none and the other has one (a kind
    /// "Sonstige" counts as none).
    pub fn defaults(keep: &Organisation, remove: &Organisation) -> Self {
        let side = |keep_empty: bool, remove_empty: bool| {
            if keep_empty && !remove_empty {
                MergeSide::Remove
            } else {
                MergeSide::Keep
            }
        };
        Self {
            name: MergeSide::Keep,
            kind: side(
                keep.kind == OrgKind::Sonstige,
                remove.kind == OrgKind::Sonstige,
            ),
            ort: side(keep.ort.is_empty(), remove.ort.is_empty()),
            kreis: side(keep.kreis.is_empty(), remove.kreis.is_empty()),
        }
    }
}

/// What a merge of two organisations does (or did).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct OrganisationMergePlan {
    /// The organisation that stays, as it was.
    pub keep: Organisation,
    /// The organisation merged into it, as it was.
    pub remove: Organisation,
    /// The choices applied.
    pub choices: OrganisationMergeChoices,
    /// The kept organisation afterwards.
    pub result: OrganisationInput,
    /// Members of `remove` that now belong to `keep`.
    #[ts(type = "number")]
    pub persons_moved: i64,
    /// Anonymous registrations counted for `remove` that now count for `keep`.
    #[ts(type = "number")]
    pub registrations_moved: i64,
}

/// Shows what [`merge_organisations`] would do, writing nothing.
pub fn preview_organisation_merge(
    tx: &Transaction<'_>,
    keep_id: i64,
    remove_id: i64,
    choices: Option<&OrganisationMergeChoices>,
) -> CoreResult<OrganisationMergePlan> {
    tx.execute_batch("SAVEPOINT organisation_merge_preview")?;
    let plan = merge_organisations(tx, keep_id, remove_id, choices);
    tx.execute_batch("ROLLBACK TO organisation_merge_preview; RELEASE organisation_merge_preview")?;
    plan
}

/// Merges `remove_id` into `keep_id`; `None` takes the default choice per field.
pub fn merge_organisations(
    tx: &Transaction<'_>,
    keep_id: i64,
    remove_id: i64,
    choices: Option<&OrganisationMergeChoices>,
) -> CoreResult<OrganisationMergePlan> {
    if keep_id == remove_id {
        return Err(CoreError::Conflict(
            "Eine Organisation kann nicht mit sich selbst zusammengeführt werden.".into(),
        ));
    }
    let keep = people::get_organisation(tx, keep_id)?;
    let remove = people::get_organisation(tx, remove_id)?;
    let choices = choices
        .copied()
        .unwrap_or_else(|| OrganisationMergeChoices::defaults(&keep, &remove));
    let result = merged_organisation(&keep, &remove, &choices);
    let now = now_utc();
    let persons_moved = tx.execute(
        "UPDATE persons SET organisation_id = ?1, updated_at = ?3 WHERE organisation_id = ?2",
        params![keep_id, remove_id, now],
    )? as i64;
    let registrations_moved = tx.execute(
        "UPDATE registrations SET organisation_id = ?1, updated_at = ?3
         WHERE organisation_id = ?2",
        params![keep_id, remove_id, now],
    )? as i64;
    // Deleted first, so the kept organisation may take the other's name (names are unique).
    tx.execute("DELETE FROM organisations WHERE id = ?1", [remove_id])?;
    people::update_organisation(tx, keep_id, &result)?;
    Ok(OrganisationMergePlan {
        keep,
        remove,
        choices,
        result,
        persons_moved,
        registrations_moved,
    })
}

/// The kept organisation's data after the merge: the chosen fields, and the partner towns of
/// both — the kept one's first, each town once (compared without case and accents).
pub fn merged_organisation(
    keep: &Organisation,
    remove: &Organisation,
    choices: &OrganisationMergeChoices,
) -> OrganisationInput {
    let pick = |side: MergeSide, k: &str, r: &str| match side {
        MergeSide::Keep => k.to_owned(),
        MergeSide::Remove => r.to_owned(),
    };
    let mut partner_towns: Vec<PartnerTown> = Vec::new();
    for town in keep.partner_towns.iter().chain(&remove.partner_towns) {
        let known = partner_towns
            .iter()
            .any(|t| crate::store::fold(&t.town) == crate::store::fold(&town.town));
        if !known {
            partner_towns.push(town.clone());
        }
    }
    OrganisationInput {
        name: pick(choices.name, &keep.name, &remove.name),
        kind: match choices.kind {
            MergeSide::Keep => keep.kind,
            MergeSide::Remove => remove.kind,
        },
        ort: pick(choices.ort, &keep.ort, &remove.ort),
        kreis: pick(choices.kreis, &keep.kreis, &remove.kreis),
        partner_towns,
        // The official key of the Kommune/Kreis: the kept one's, else the other's (checked
        // against the kind again when saved).
        ags: keep.ags.clone().or_else(|| remove.ags.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::{PersonInput, create_organisation, create_person, list_organisations};
    use crate::store::Store;

    fn organisation(
        name: &str,
        kind: OrgKind,
        ort: &str,
        towns: &[(&str, &str)],
    ) -> OrganisationInput {
        OrganisationInput {
            name: name.into(),
            kind,
            ort: ort.into(),
            kreis: String::new(),
            ags: None,
            partner_towns: towns
                .iter()
                .map(|(town, country)| PartnerTown {
                    town: (*town).into(),
                    country: (*country).into(),
                })
                .collect(),
        }
    }

    fn member(tx: &Transaction<'_>, email: &str, organisation_id: i64) -> i64 {
        create_person(
            tx,
            &PersonInput {
                first_name: "Anna".into(),
                last_name: email.into(),
                email: format!("{email}@example.org"),
                organisation_id: Some(organisation_id),
                ..PersonInput::default()
            },
        )
        .unwrap()
        .id
    }

    #[test]
    fn a_merge_moves_members_and_anonymous_registrations_and_joins_partner_towns() {
        let mut store = Store::open_in_memory().unwrap();
        let event = super::super::tests::event_with_capacity(&mut store, 10);
        let (keep, remove) = store
            .write(|tx| {
                let keep = create_organisation(
                    tx,
                    &organisation(
                        "Partnerschaftskomitee Hürth",
                        OrgKind::Sonstige,
                        "",
                        &[("Thiais", "Frankreich")],
                    ),
                )?;
                let remove = create_organisation(
                    tx,
                    &organisation(
                        "Partnerschaftskomitee Hürth e.V.",
                        OrgKind::Verein,
                        "Hürth",
                        &[("thiais", "Frankreich"), ("Peremyshlyany", "Ukraine")],
                    ),
                )?;
                member(tx, "a", keep.id);
                member(tx, "b", remove.id);
                member(tx, "c", remove.id);
                tx.execute(
                    "INSERT INTO registrations (uid, event_id, person_id, status, registered_at,
                         created_at, updated_at, organisation_id)
                     VALUES ('anon', ?1, NULL, 'angemeldet', '2025-01-01T00:00:00.000Z',
                         '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', ?2)",
                    params![event, remove.id],
                )?;
                Ok((keep.id, remove.id))
            })
            .unwrap();

        let preview = store
            .write(|tx| preview_organisation_merge(tx, keep, remove, None))
            .unwrap();
        assert_eq!(
            store.read(list_organisations).unwrap().len(),
            2,
            "the preview writes nothing"
        );
        assert_eq!(
            preview.choices.kind,
            MergeSide::Remove,
            "Sonstige counts as empty"
        );
        assert_eq!(preview.choices.ort, MergeSide::Remove);
        assert_eq!((preview.persons_moved, preview.registrations_moved), (2, 1));

        let plan = store
            .write(|tx| merge_organisations(tx, keep, remove, None))
            .unwrap();
        assert_eq!(plan, preview);
        let after = store.read(list_organisations).unwrap();
        assert_eq!(after.len(), 1);
        let merged = &after[0];
        assert_eq!(merged.id, keep);
        assert_eq!(
            (merged.kind, merged.ort.as_str()),
            (OrgKind::Verein, "Hürth")
        );
        assert_eq!(merged.person_count, 3);
        let towns: Vec<&str> = merged
            .partner_towns
            .iter()
            .map(|t| t.town.as_str())
            .collect();
        assert_eq!(towns, ["Thiais", "Peremyshlyany"]);
        let counted_for: i64 = store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT organisation_id FROM registrations WHERE uid = 'anon'",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        assert_eq!(counted_for, keep);
    }

    #[test]
    fn the_kept_organisation_may_take_the_other_name_and_nothing_merges_with_itself() {
        let mut store = Store::open_in_memory().unwrap();
        let (keep, remove) = store
            .write(|tx| {
                let a = create_organisation(
                    tx,
                    &organisation("Freundeskreis Bocholt", OrgKind::Verein, "", &[]),
                )?;
                let b = create_organisation(
                    tx,
                    &organisation("Freundeskreis Bocholt e.V.", OrgKind::Verein, "", &[]),
                )?;
                Ok((a.id, b.id))
            })
            .unwrap();
        let choices = OrganisationMergeChoices {
            name: MergeSide::Remove,
            kind: MergeSide::Keep,
            ort: MergeSide::Keep,
            kreis: MergeSide::Keep,
        };
        store
            .write(|tx| merge_organisations(tx, keep, remove, Some(&choices)))
            .unwrap();
        let after = store.read(list_organisations).unwrap();
        assert_eq!(after[0].name, "Freundeskreis Bocholt e.V.");
        assert!(matches!(
            store.write(|tx| merge_organisations(tx, keep, keep, None)),
            Err(CoreError::Conflict(_))
        ));
        assert!(matches!(
            store.write(|tx| merge_organisations(tx, keep, remove, None)),
            Err(CoreError::NotFound { .. })
        ));
    }
}
