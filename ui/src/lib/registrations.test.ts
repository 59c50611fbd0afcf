import { describe, expect, it } from 'vitest';
import type { RegistrationRow } from './api/bindings/RegistrationRow';
import {
  freshRegisterOptions,
  lateRegistrationQuestion,
  NO_FILTER,
  filterRegistrations,
  fold,
  fullName,
  isFiltered,
  personFromQuery,
  presentOn,
  registeredMessage,
  sortName,
  wasPresent,
} from './registrations';

function row(id: number, patch: Partial<RegistrationRow>): RegistrationRow {
  return {
    registration_id: id,
    uid: `r${id}`,
    event_id: 1,
    person_id: id,
    salutation: '',
    title: '',
    first_name: 'Anna',
    last_name: 'Beispiel',
    function: '',
    email: `p${id}@example.org`,
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

const rows = [
  row(1, { first_name: 'Jürgen', last_name: 'Müller', ort: 'Köln', organisation: 'Stadt Köln', organisation_kind: 'kommune' }),
  row(2, { last_name: 'Weiß', status: 'warteliste', waitlist_position: 1, first_time: true }),
  row(3, { last_name: 'Nachrück', status: 'nachgerueckt', organisation_kind: 'verein' }),
  row(4, {
    last_name: 'Storno',
    status: 'storniert',
    attendance: [{ day: '2024-11-29', session_id: null, state: 'anwesend', recorded_at: '', minutes: null }],
  }),
];

const ids = (r: RegistrationRow[]) => r.map((x) => x.registration_id);

describe('filterRegistrations', () => {
  it('filters by folded text over name, organisation and Ort', () => {
    expect(ids(filterRegistrations(rows, { ...NO_FILTER, text: 'muller' }))).toEqual([1]);
    expect(ids(filterRegistrations(rows, { ...NO_FILTER, text: 'koln jurgen' }))).toEqual([1]);
    expect(ids(filterRegistrations(rows, { ...NO_FILTER, text: 'weiss' }))).toEqual([2]);
  });

  it('filters by status, with "aktiv" for the counted ones', () => {
    expect(ids(filterRegistrations(rows, { ...NO_FILTER, status: 'aktiv' }))).toEqual([1, 3]);
    expect(ids(filterRegistrations(rows, { ...NO_FILTER, status: 'warteliste' }))).toEqual([2]);
  });

  it('filters by organisation kind, first-timers and attendance', () => {
    expect(ids(filterRegistrations(rows, { ...NO_FILTER, orgKind: 'verein' }))).toEqual([3]);
    expect(ids(filterRegistrations(rows, { ...NO_FILTER, firstTime: 'ja' }))).toEqual([2]);
    expect(ids(filterRegistrations(rows, { ...NO_FILTER, attendance: 'ja' }))).toEqual([4]);
    expect(ids(filterRegistrations(rows, { ...NO_FILTER, attendance: 'nein' }))).toEqual([1, 2, 3]);
  });

  it('knows whether a filter is set', () => {
    expect(isFiltered(NO_FILTER)).toBe(false);
    expect(isFiltered({ ...NO_FILTER, text: 'x' })).toBe(true);
  });
});

describe('presentation', () => {
  it('folds umlauts, ß and accents', () => {
    expect(fold('Müller Straße Gdańsk')).toBe('muller strasse gdansk');
  });

  it('builds names', () => {
    const r = row(9, { title: 'Dr.', first_name: 'Anna', last_name: 'Müller' });
    expect(fullName(r)).toBe('Dr. Anna Müller');
    expect(sortName(r)).toBe('Müller, Anna');
  });

  it('reads attendance per day', () => {
    expect(wasPresent(rows[3])).toBe(true);
    expect(presentOn(rows[3], '2024-11-29')).toBe(true);
    expect(presentOn(rows[3], '2024-11-30')).toBe(false);
  });

  it('explains the outcome of a registration in German', () => {
    expect(registeredMessage(rows[0])).toBe('Jürgen Müller ist angemeldet.');
    expect(registeredMessage(rows[1])).toBe(
      'Anna Weiß steht auf der Warteliste (Platz 1) – die Veranstaltung ist voll.',
    );
  });

  it('prefills a new person from the search text', () => {
    expect(personFromQuery('Anna Maria Schulz')).toMatchObject({
      first_name: 'Anna Maria',
      last_name: 'Schulz',
    });
    expect(personFromQuery('schulz')).toMatchObject({ first_name: '', last_name: 'schulz' });
    expect(personFromQuery('a.schulz@example.org')).toMatchObject({ email: 'a.schulz@example.org' });
  });
});

describe('the next registration at the desk', () => {
  it('starts over with Teilnehmer*in, phone/e-mail and nothing flagged', () => {
    expect(freshRegisterOptions()).toEqual({
      role: 'teilnehmer',
      source: 'telefon_email',
      firstTime: false,
      needsAttention: false,
      comment: '',
      wishes: '',
      sessionIds: [],
    });
    // A fresh object each time: changing one does not change the next.
    const a = freshRegisterOptions();
    a.sessionIds.push(3);
    expect(freshRegisterOptions().sessionIds).toEqual([]);
  });

  it('asks before a late registration', () => {
    const open = { status: 'offen' as const, is_past: false, registration_deadline: '2027-05-10' };
    expect(lateRegistrationQuestion(open, '2027-05-10')).toBe('');
    expect(lateRegistrationQuestion(open, '2027-05-11')).toBe(
      'Die Anmeldefrist ist am 10.05.2027 abgelaufen. Trotzdem Anmeldungen aufnehmen?',
    );
    expect(lateRegistrationQuestion({ ...open, status: 'geschlossen' }, '2027-05-01')).toBe(
      'Die Anmeldung ist geschlossen. Trotzdem Anmeldungen aufnehmen?',
    );
    expect(lateRegistrationQuestion({ ...open, is_past: true }, '2027-05-01')).toContain('vorbei');
    expect(lateRegistrationQuestion({ ...open, registration_deadline: null }, '2030-01-01')).toBe('');
  });
});
