// Filtering and presenting an event's registrations (pure; tested in registrations.test.ts).

import type { Event } from './api/bindings/Event';
import type { OrgKind } from './api/bindings/OrgKind';
import type { Role } from './api/bindings/Role';
import type { Source } from './api/bindings/Source';
import type { PersonInput } from './api/bindings/PersonInput';
import type { RegistrationRow } from './api/bindings/RegistrationRow';
import type { RegistrationStatus } from './api/bindings/RegistrationStatus';
import { berlinToday, formatDate } from './format';
import { isActive } from './labels';

/** "aktiv" = angemeldet or nachgerückt (the ones who take a place). */
export type StatusFilter = 'alle' | 'aktiv' | RegistrationStatus;
export type FlagFilter = 'alle' | 'ja' | 'nein';

export interface RegistrationFilter {
  text: string;
  status: StatusFilter;
  orgKind: 'alle' | OrgKind;
  firstTime: FlagFilter;
  /** Present on at least one day ('ja') or on none ('nein'). */
  attendance: FlagFilter;
}

export const NO_FILTER: RegistrationFilter = {
  text: '',
  status: 'alle',
  orgKind: 'alle',
  firstTime: 'alle',
  attendance: 'alle',
};

/** Lower case without diacritics, so "muller" finds "Müller" and "koln" finds "Köln". */
export function fold(text: string): string {
  return text
    .toLocaleLowerCase('de')
    .replaceAll('ß', 'ss')
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
}

/** "Dr. Anna Müller" */
export function fullName(r: Pick<RegistrationRow, 'title' | 'first_name' | 'last_name'>): string {
  return [r.title, r.first_name, r.last_name].filter((s) => s.trim() !== '').join(' ');
}

/** "Müller, Anna" – the sort key of lists. */
export function sortName(r: Pick<RegistrationRow, 'first_name' | 'last_name'>): string {
  return `${r.last_name}, ${r.first_name}`;
}

/** Whether the person was marked present on at least one day. */
export function wasPresent(r: RegistrationRow): boolean {
  return r.attendance.some((m) => m.session_id === null && m.state === 'anwesend');
}

/** Whether the person is marked present on `day`. */
export function presentOn(r: RegistrationRow, day: string): boolean {
  return r.attendance.some((m) => m.day === day && m.session_id === null && m.state === 'anwesend');
}

function flagMatches(filter: FlagFilter, value: boolean): boolean {
  return filter === 'alle' || (filter === 'ja') === value;
}

/** Whether a row passes the filter. The text matches name, organisation, Ort and e-mail. */
export function matches(r: RegistrationRow, f: RegistrationFilter): boolean {
  if (f.status === 'aktiv' ? !isActive(r.status) : f.status !== 'alle' && r.status !== f.status) {
    return false;
  }
  if (f.orgKind !== 'alle' && r.organisation_kind !== f.orgKind) return false;
  if (!flagMatches(f.firstTime, r.first_time)) return false;
  if (!flagMatches(f.attendance, wasPresent(r))) return false;
  const words = fold(f.text).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = fold(
    [r.first_name, r.last_name, r.organisation ?? '', r.ort, r.email, r.kreis ?? ''].join(' '),
  );
  return words.every((w) => haystack.includes(w));
}

export function filterRegistrations(
  rows: readonly RegistrationRow[],
  f: RegistrationFilter,
): RegistrationRow[] {
  return rows.filter((r) => matches(r, f));
}

/** Whether any filter is set (for the "Filter zurücksetzen" button). */
export function isFiltered(f: RegistrationFilter): boolean {
  return JSON.stringify(f) !== JSON.stringify(NO_FILTER);
}

/** German sentence about the outcome of a registration, for the notice. */
export function registeredMessage(r: RegistrationRow): string {
  const name = fullName(r);
  switch (r.status) {
    case 'warteliste':
      return `${name} steht auf der Warteliste (Platz ${r.waitlist_position ?? '?'}) – die Veranstaltung ist voll.`;
    case 'nachgerueckt':
      return `${name} ist nachgerückt.`;
    default:
      return `${name} ist angemeldet.`;
  }
}

/** An empty person for the inline "Neue Person" form. */
export function emptyPerson(): PersonInput {
  return {
    salutation: '',
    title: '',
    first_name: '',
    last_name: '',
    function: '',
    organisation_id: null,
    ort: '',
    email: '',
    phone: '',
    notes: '',
  };
}

/**
 * Prefills a new person from what was typed into the search: an e-mail address goes to the
 * e-mail field, "Anna Müller" to first and last name, a single word to the last name.
 */
export function personFromQuery(query: string): PersonInput {
  const person = emptyPerson();
  const q = query.trim();
  if (q.includes('@')) {
    person.email = q;
    return person;
  }
  const words = q.split(/\s+/).filter(Boolean);
  if (words.length === 1) {
    person.last_name = words[0];
  } else if (words.length > 1) {
    person.first_name = words.slice(0, -1).join(' ');
    person.last_name = words[words.length - 1];
  }
  return person;
}

/** The options of one registration at the desk; after each registration they start over. */
export interface RegisterOptions {
  role: Role;
  source: Source;
  firstTime: boolean;
  needsAttention: boolean;
  comment: string;
  wishes: string;
  sessionIds: number[];
}

/** The options for the next registration: Teilnehmer*in by phone/e-mail, nothing flagged. */
export function freshRegisterOptions(): RegisterOptions {
  return {
    role: 'teilnehmer',
    source: 'telefon_email',
    firstTime: false,
    needsAttention: false,
    comment: '',
    wishes: '',
    sessionIds: [],
  };
}

/**
 * Why registering now is late, as a question to ask first ('' when it is not late): the event
 * is closed, finished or over, or its registration deadline (Berlin date) has passed.
 */
export function lateRegistrationQuestion(
  event: Pick<Event, 'status' | 'is_past' | 'registration_deadline'>,
  today: string = berlinToday(),
): string {
  let why = '';
  if (event.is_past) why = 'Die Veranstaltung ist vorbei.';
  else if (event.status === 'geschlossen' || event.status === 'abgeschlossen')
    why = 'Die Anmeldung ist geschlossen.';
  else if (event.registration_deadline && event.registration_deadline < today)
    why = `Die Anmeldefrist ist am ${formatDate(event.registration_deadline)} abgelaufen.`;
  return why ? `${why} Trotzdem Anmeldungen aufnehmen?` : '';
}
