// Merging two contacts: the side-by-side choices and the German sentences of the plan
// (pure; tested in merge.test.ts). The plan itself comes from the core (`preview_merge`).

import type { MergeChoices } from './api/bindings/MergeChoices';
import type { MergeField } from './api/bindings/MergeField';
import type { MergeFieldRow } from './api/bindings/MergeFieldRow';
import type { MergeSide } from './api/bindings/MergeSide';
import type { Person } from './api/bindings/Person';
import type { RegistrationMerge } from './api/bindings/RegistrationMerge';
import { registrationStatusText } from './labels';

/** The choices with one field switched to `side`. */
export function withChoice(choices: MergeChoices, field: MergeField, side: MergeSide): MergeChoices {
  return { ...choices, [field]: side };
}

/** Whether both persons have the same value (no choice to make), ignoring case and spaces. */
export function sameValue(row: MergeFieldRow): boolean {
  return row.keep.trim().toLocaleLowerCase('de') === row.remove.trim().toLocaleLowerCase('de');
}

/** "Hans-Peter Kowalski (Nr. 12)" */
export function personLabel(p: Person): string {
  return `${[p.title, p.first_name, p.last_name].filter((s) => s.trim() !== '').join(' ')} (Nr. ${p.id})`;
}

/** The three sentences of the plan for an event both were registered for. */
export interface RegistrationMergeText {
  /** Which registration stays, and its status afterwards. */
  stays: string;
  /** What becomes of the other one. */
  other: string;
  /** Who moves up, if a place is freed ('' otherwise). */
  promoted: string;
}

export function registrationMergeText(
  r: RegistrationMerge,
  keep: Person,
  remove: Person,
): RegistrationMergeText {
  const owner = r.kept_from === 'keep' ? keep : remove;
  const stays = `Bleibt: Anmeldung Nr. ${r.kept_registration_id} von ${owner.first_name} ${owner.last_name} – ${registrationStatusText(r.status, r.waitlist_position)}.`;
  const other = `Anmeldung Nr. ${r.merged_registration_id} (${registrationStatusText(r.merged_status)}) wird zusammengeführt: Verlauf, Anwesenheit und Workshops gehen auf Nr. ${r.kept_registration_id} über.`;
  let promoted = '';
  if (r.freed_place) {
    promoted = r.promoted_name
      ? `Der frei gewordene Platz geht an ${r.promoted_name} (rückt von der Warteliste nach).`
      : 'Ein Platz wird frei; auf der Warteliste steht niemand.';
  }
  return { stays, other, promoted };
}
