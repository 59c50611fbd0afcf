// Small helpers for persons in forms.

import type { DuplicateCandidate } from './api/bindings/DuplicateCandidate';
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
  email_in_notes: 'E-Mail-Adresse doppelt (siehe Notizen)',
};

/** Why two persons look like the same one, in German. */
export function duplicateReasonText(reason: DuplicateReason): string {
  return REASONS[reason];
}

/** What a "new person" form does with the duplicates found before creating. */
export type DuplicateDecision =
  /** No look-alike: create. */
  | { kind: 'none' }
  /** The e-mail address belongs to this person: offer "diese Person anmelden" instead. */
  | { kind: 'email'; person: Person }
  /** Same name and Ort (or a doubled address noted) with another address: ask. */
  | { kind: 'similar'; persons: Person[] };

/**
 * Decides from `find_duplicates`: an e-mail match wins (one address, one person — the core
 * refuses a second one anyway); otherwise look-alikes make the form ask before creating.
 */
export function duplicateDecision(candidates: readonly DuplicateCandidate[]): DuplicateDecision {
  const email = candidates.find((c) => c.reason === 'same_email');
  if (email) return { kind: 'email', person: email.person };
  const persons = candidates.map((c) => c.person);
  return persons.length > 0 ? { kind: 'similar', persons } : { kind: 'none' };
}

/** "Hans-Peter Kowalski (Freundeskreis Bocholt, Bocholt, hp@example.org)" */
export function personSummary(p: Person): string {
  const name = [p.title, p.first_name, p.last_name].filter((s) => s.trim() !== '').join(' ');
  const details = [p.organisation ?? '', p.ort, p.email].filter((s) => s.trim() !== '');
  return details.length > 0 ? `${name} (${details.join(', ')})` : name;
}

/** The question before creating a look-alike. */
export function similarQuestion(persons: readonly Person[]): string {
  const names = persons.map(personSummary);
  const list =
    names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} und ${names[names.length - 1]}`;
  return `Es gibt bereits ${list} – trotzdem neu anlegen?`;
}

/** The sentence shown when the e-mail address is taken. */
export function emailTakenText(p: Person): string {
  return `Die E-Mail-Adresse ${p.email} gehört bereits zu ${personSummary(p)}.`;
}
