// Pure helpers for the organisations screen (views/OrganisationsView.svelte): the form with its
// editable list of partner towns, their display ("Hürth – Peremyshlyany (Ukraine)") and the
// list's search and filter.

import type { AreaCandidate } from './api/bindings/AreaCandidate';
import type { MunicipalityReference } from './api/bindings/MunicipalityReference';
import type { OrgKind } from './api/bindings/OrgKind';
import type { MergeSide } from './api/bindings/MergeSide';
import type { OrganisationMergeChoices } from './api/bindings/OrganisationMergeChoices';
import type { OrganisationMergePlan } from './api/bindings/OrganisationMergePlan';
import type { Organisation } from './api/bindings/Organisation';
import type { OrganisationInput } from './api/bindings/OrganisationInput';
import type { PartnerTown } from './api/bindings/PartnerTown';
import { ORG_KIND_LABELS } from './labels';
import { plural } from './format';
import { fold } from './registrations';

/** A new organisation: a Kommune without partner towns. */
export function emptyOrganisation(): OrganisationInput {
  return { name: '', kind: 'kommune', ort: '', kreis: '', partner_towns: [], ags: '' };
}

/** The editable part of a stored organisation (partner towns copied, not shared). */
export function organisationToInput(o: Organisation): OrganisationInput {
  return {
    name: o.name,
    kind: o.kind,
    ort: o.ort,
    kreis: o.kreis,
    partner_towns: o.partner_towns.map((t) => ({ ...t })),
    ags: o.ags ?? '',
  };
}

/** "Peremyshlyany (Ukraine)"; without a country just the town. */
export function townText(t: PartnerTown): string {
  const town = t.town.trim();
  const country = t.country.trim();
  return country ? `${town} (${country})` : town;
}

/** "Hürth – Peremyshlyany (Ukraine)": the partnership as the office names it. */
export function partnershipText(ort: string, t: PartnerTown): string {
  const own = ort.trim();
  return own ? `${own} – ${townText(t)}` : townText(t);
}

/** The list with an empty row added at the end. */
export function addTown(towns: readonly PartnerTown[]): PartnerTown[] {
  return [...towns, { town: '', country: '' }];
}

/** The list without row `index`. */
export function removeTown(towns: readonly PartnerTown[], index: number): PartnerTown[] {
  return towns.filter((_, i) => i !== index);
}

/** Whether a row is left completely empty (such rows are dropped on saving). */
export function isBlankTown(t: PartnerTown): boolean {
  return t.town.trim() === '' && t.country.trim() === '';
}

/** Rows that have a country but no town (the core refuses them: "Jede Partnerstadt braucht einen Namen."). */
export function townsWithoutName(towns: readonly PartnerTown[]): number[] {
  return towns.flatMap((t, i) => (t.town.trim() === '' && !isBlankTown(t) ? [i] : []));
}

/** The input to send: trimmed texts, completely empty partner-town rows dropped. */
export function cleanOrganisation(input: OrganisationInput): OrganisationInput {
  return {
    name: input.name.trim(),
    kind: input.kind,
    ort: input.ort.trim(),
    kreis: input.kreis.trim(),
    partner_towns: input.partner_towns
      .filter((t) => !isBlankTown(t))
      .map((t) => ({ town: t.town.trim(), country: t.country.trim() })),
    // Only a Kommune or a Kreis has an official entry; '' = none (kept as the user's choice).
    ags: hasArea(input.kind) ? (input.ags ?? '') : '',
  };
}

/** The list's filter: free text and the kind ('alle' = every kind). */
export interface OrganisationFilter {
  text: string;
  kind: OrgKind | 'alle';
}

export const NO_ORG_FILTER: OrganisationFilter = { text: '', kind: 'alle' };

/** Everything the free-text search looks at, folded ("koln" finds "Köln"). */
function haystack(o: Organisation): string {
  const towns = o.partner_towns.map((t) => `${t.town} ${t.country}`).join(' ');
  return fold(`${o.name} ${o.ort} ${o.kreis} ${ORG_KIND_LABELS[o.kind]} ${towns}`);
}

/** Organisations of the chosen kind whose name, Ort, Kreis, kind or partner towns contain every word. */
export function filterOrganisations(list: readonly Organisation[], f: OrganisationFilter): Organisation[] {
  const words = fold(f.text).split(/\s+/).filter(Boolean);
  return list.filter((o) => {
    if (f.kind !== 'alle' && o.kind !== f.kind) return false;
    if (words.length === 0) return true;
    const hay = haystack(o);
    return words.every((w) => hay.includes(w));
  });
}

/** Whether organisations of this kind are linked to NRW's Kommunen/Kreise (for the reach). */
export function hasArea(kind: OrgKind): boolean {
  return kind === 'kommune' || kind === 'kreis';
}

/**
 * The entry the form shows after new candidates arrived: the user's own choice stays; otherwise
 * the only candidate is taken, and with several (a choice) or none the field is left empty.
 */
export function autoArea(current: string, chosenByHand: boolean, candidates: readonly AreaCandidate[]): string {
  if (chosenByHand) return current;
  return candidates.length === 1 ? candidates[0].ags : '';
}

/** One option of the entry's select. */
export interface AreaOption {
  value: string;
  label: string;
}

/** Every entry of the kind for choosing by hand: "Hürth (Rhein-Erft-Kreis)", "Kreis Borken". */
export function areaOptions(kind: OrgKind, reference: MunicipalityReference | null): AreaOption[] {
  if (!reference) return [];
  if (kind === 'kreis') {
    return reference.kreise
      .map((k) => ({ value: k.key, label: k.name }))
      .sort((a, b) => a.label.localeCompare(b.label, 'de'));
  }
  if (kind !== 'kommune') return [];
  const kreise = new Map(reference.kreise.map((k) => [k.key, k.name]));
  return reference.kommunen
    .map((k) => ({
      value: k.ags,
      label: `${k.name} (${k.kreisfrei ? 'kreisfreie Stadt' : (kreise.get(k.kreis) ?? '')})`,
    }))
    .sort((a, b) => a.label.localeCompare(b.label, 'de'));
}

/** A field of an organisation merge: both values and which one is chosen. */
export interface OrgMergeRow {
  field: keyof OrganisationMergeChoices;
  label: string;
  keep: string;
  remove: string;
  chosen: MergeSide;
  /** Both values are the same (ignoring case and spaces): nothing to choose. */
  same: boolean;
}

const ORG_MERGE_FIELDS: { field: keyof OrganisationMergeChoices; label: string }[] = [
  { field: 'name', label: 'Name' },
  { field: 'kind', label: 'Art' },
  { field: 'ort', label: 'Ort' },
  { field: 'kreis', label: 'Kreis' },
];

function orgValue(o: Organisation, field: keyof OrganisationMergeChoices): string {
  return field === 'kind' ? ORG_KIND_LABELS[o.kind] : o[field];
}

/** The rows of the merge dialog, in form order. */
export function orgMergeRows(plan: OrganisationMergePlan): OrgMergeRow[] {
  return ORG_MERGE_FIELDS.map(({ field, label }) => {
    const keep = orgValue(plan.keep, field);
    const remove = orgValue(plan.remove, field);
    return {
      field,
      label,
      keep,
      remove,
      chosen: plan.choices[field],
      same: keep.trim().toLocaleLowerCase('de') === remove.trim().toLocaleLowerCase('de'),
    };
  });
}

/** The choices with `field` taken from `side`. */
export function withOrgChoice(
  choices: OrganisationMergeChoices,
  field: keyof OrganisationMergeChoices,
  side: MergeSide,
): OrganisationMergeChoices {
  return { ...choices, [field]: side };
}

/** "3 Personen und 1 anonymisierte Anmeldung wechseln zu „…“." (what moves with the merge). */
export function orgMergeSummary(plan: OrganisationMergePlan): string {
  const parts = [plural(plan.persons_moved, 'Person', 'Personen')];
  if (plan.registrations_moved > 0) {
    parts.push(plural(plan.registrations_moved, 'anonymisierte Anmeldung', 'anonymisierte Anmeldungen'));
  }
  const verb = plan.persons_moved + plan.registrations_moved === 1 ? 'wechselt' : 'wechseln';
  return `${parts.join(' und ')} ${verb} zu „${plan.result.name}“; „${plan.remove.name}“ entfällt.`;
}
