// Small helpers for persons in forms.

import type { DuplicateReason } from './api/bindings/DuplicateReason';
import type { Person } from './api/bindings/Person';
import type { PersonInput } from './api/bindings/PersonInput';

/** The editable part of a stored person. */
export function personToInput(p: Person): PersonInput {
  return {
    salutation: p.salutation,
    title: p.title,
    first_name: p.first_name,
    last_name: p.last_name,
    function: p.function,
    organisation_id: p.organisation_id,
    ort: p.ort,
    email: p.email,
    phone: p.phone,
    notes: p.notes,
  };
}

const REASONS: Record<DuplicateReason, string> = {
  same_email: 'gleiche E-Mail-Adresse',
  same_name_and_ort: 'gleicher Name und Ort',
};

/** Why two persons look like the same one, in German. */
export function duplicateReasonText(reason: DuplicateReason): string {
  return REASONS[reason];
}
