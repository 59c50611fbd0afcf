// The check-in desk's decisions (pure; tested in checkin.test.ts): what picking a hit or a
// known person does, the admission question and the undo notice.

import type { CheckInReceipt } from './api/bindings/CheckInReceipt';
import type { RegistrationRow } from './api/bindings/RegistrationRow';
import { isActive } from './labels';
import { fullName } from './registrations';

/** What the desk does for a registration (or a known person without one). */
export type DeskStep =
  /** Holds a place: check in. */
  | { kind: 'check_in'; registration: RegistrationRow }
  /** On the waiting list of a full event: ask "trotzdem einlassen?" first. */
  | { kind: 'admit'; registration: RegistrationRow }
  /** Not (or no longer) registered: register at the door and check in. */
  | { kind: 'walk_in' };

/** The step for the person `personId` given the event's registrations. */
export function deskStepFor(registrations: readonly RegistrationRow[], personId: number): DeskStep {
  const registration = registrations.find((r) => r.person_id === personId);
  if (!registration) return { kind: 'walk_in' };
  if (isActive(registration.status)) return { kind: 'check_in', registration };
  if (registration.status === 'warteliste') return { kind: 'admit', registration };
  return { kind: 'walk_in' };
}

/** The question before admitting someone from the waiting list over the capacity. */
export function admitQuestion(r: RegistrationRow, taken: number, capacity: number | null): string {
  const place = r.waitlist_position ? ` (Platz ${r.waitlist_position})` : '';
  const full = capacity === null ? '' : ` Die Veranstaltung ist voll (${taken} von ${capacity} Plätzen belegt).`;
  return (
    `${fullName(r)} steht auf der Warteliste${place}.${full} ` +
    'Einlassen überschreitet die Kapazität – das entscheiden Sie als Veranstalter; es wird im Verlauf der Anmeldung vermerkt.'
  );
}

/** The notice after an undo: a walk-in or an admission is undone as a whole. */
export function undoMessage(receipt: CheckInReceipt): string {
  const name = fullName(receipt.registration);
  switch (receipt.undo.registration_change?.kind) {
    case 'created':
      return `Vor-Ort-Anmeldung von ${name} rückgängig gemacht (Anmeldung und Check-in entfernt).`;
    case 'status_changed':
      return `Einlass von ${name} rückgängig gemacht.`;
    default:
      return `Check-in von ${name} rückgängig gemacht.`;
  }
}
