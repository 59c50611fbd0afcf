import { describe, expect, it } from 'vitest';
import type { CheckInReceipt } from './api/bindings/CheckInReceipt';
import type { RegistrationRow } from './api/bindings/RegistrationRow';
import { admitQuestion, deskStepFor, undoMessage } from './checkin';

function row(id: number, patch: Partial<RegistrationRow> = {}): RegistrationRow {
  return {
    registration_id: id,
    uid: `r${id}`,
    event_id: 1,
    person_id: id,
    salutation: '',
    title: '',
    first_name: 'Wanda',
    last_name: 'Warte',
    function: '',
    email: '',
    phone: '',
    organisation: null,
    organisation_kind: null,
    ort: '',
    kreis: null,
    status: 'angemeldet',
    waitlist_position: null,
    cancel_reason: '',
    role: 'teilnehmer',
    source: 'formular',
    first_time: false,
    needs_attention: false,
    comment: '',
    photo_consent: null,
    list_consent: null,
    invitation_consent: null,
    registered_at: '2025-02-01T10:00:00Z',
    session_ids: [],
    attendance: [],
    minutes: null,
    ...patch,
  };
}

const registrations = [
  row(1),
  row(2, { status: 'nachgerueckt' }),
  row(3, { status: 'warteliste', waitlist_position: 2 }),
  row(4, { status: 'storniert' }),
];

describe('deskStepFor', () => {
  it('checks in whoever holds a place', () => {
    expect(deskStepFor(registrations, 1)).toEqual({ kind: 'check_in', registration: registrations[0] });
    expect(deskStepFor(registrations, 2).kind).toBe('check_in');
  });

  it('asks before admitting from the waiting list', () => {
    expect(deskStepFor(registrations, 3)).toEqual({ kind: 'admit', registration: registrations[2] });
  });

  it('registers at the door whoever is not (or no longer) registered', () => {
    expect(deskStepFor(registrations, 4).kind).toBe('walk_in');
    expect(deskStepFor(registrations, 99).kind).toBe('walk_in');
  });
});

describe('texts', () => {
  it('asks whether to overbook, with the place and the figures', () => {
    expect(admitQuestion(registrations[2], 30, 30)).toBe(
      'Wanda Warte steht auf der Warteliste (Platz 2). Die Veranstaltung ist voll (30 von 30 Plätzen belegt). ' +
        'Einlassen überschreitet die Kapazität – das entscheiden Sie als Veranstalter; es wird im Verlauf der Anmeldung vermerkt.',
    );
  });

  it('says what an undo undid', () => {
    const receipt = (change: CheckInReceipt['undo']['registration_change']): CheckInReceipt => ({
      undo: { registration_id: 1, day: '2027-05-06', previous: null, registration_change: change },
      registration: row(1),
    });
    expect(undoMessage(receipt(null))).toBe('Check-in von Wanda Warte rückgängig gemacht.');
    expect(undoMessage(receipt({ kind: 'created', person_created: true }))).toBe(
      'Vor-Ort-Anmeldung von Wanda Warte rückgängig gemacht (Anmeldung und Check-in entfernt).',
    );
    expect(
      undoMessage(receipt({ kind: 'status_changed', from: 'warteliste', waitlist_position: 2, cancel_reason: '' })),
    ).toBe('Einlass von Wanda Warte rückgängig gemacht.');
  });
});
