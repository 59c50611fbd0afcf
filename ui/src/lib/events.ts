// Pure helpers for event lists and the event form.

import type { Event } from './api/bindings/Event';
import type { EventInput } from './api/bindings/EventInput';
import type { EventSummary } from './api/bindings/EventSummary';
import {
  dateTimeLocalToGerman,
  formatDate,
  parseGermanDate,
  parseGermanDateTime,
} from './format';

/** Upcoming events (soonest first) and past events (latest first). */
export function splitEvents(summaries: readonly EventSummary[]): {
  upcoming: EventSummary[];
  past: EventSummary[];
} {
  const byStart = (a: EventSummary, b: EventSummary) =>
    Date.parse(a.event.starts_at) - Date.parse(b.event.starts_at);
  return {
    upcoming: summaries.filter((s) => !s.event.is_past).sort(byStart),
    past: summaries.filter((s) => s.event.is_past).sort((a, b) => byStart(b, a)),
  };
}

/** "13. Forum" style prefix for the list ('' without a number). */
export function numberLabel(event: Pick<Event, 'number'>): string {
  return event.number === null ? '' : `Nr. ${event.number}`;
}

/** The number typed into the form, or null when it is not a positive whole number. */
export function typedNumber(value: string): number | null {
  const parsed = parseWholeNumber(value);
  return parsed.ok && parsed.value !== null && parsed.value > 0 ? parsed.value : null;
}

/** The warning under "Nummer" when another event of the series has it ('' when none does). */
export function duplicateNumberWarning(number: number | null, existing: Pick<Event, 'title' | 'starts_at'> | null): string {
  if (number === null || existing === null) return '';
  return `Nr. ${number} gibt es in dieser Reihe schon: „${existing.title}“ am ${formatDate(existing.starts_at)}. Speichern ist trotzdem möglich.`;
}

/** The warning under "Plätze" for a capacity of 0 ('' otherwise). */
export function capacityWarning(value: string): string {
  const parsed = parseWholeNumber(value);
  return parsed.ok && parsed.value === 0 ? 'Keine Plätze – alle Anmeldungen kommen auf die Warteliste.' : '';
}

/**
 * The values of the event form, all as typed so nothing the user entered is lost on an error.
 * Dates are typed German-style ("13.03.2025 11:00"): WebKitGTK's datetime-local and date inputs
 * ignore or reorder typed digits, so the form uses text fields and lib/format.ts parses them.
 */
export interface EventFormValues {
  title: string;
  series: EventInput['series'];
  number: string;
  starts_at: string;
  ends_at: string;
  format: EventInput['format'];
  venue: string;
  online_link: string;
  capacity: string;
  registration_deadline: string;
  description: string;
  status: EventInput['status'];
  organiser: string;
  funding_note: string;
}

/** What a new event starts with from the office's settings ("Einstellungen"). */
export interface EventDefaults {
  /** The organisation's name, printed as organiser on the lists. */
  organiser: string;
  /** The default funding line (Förderhinweis). */
  funding_note: string;
}

/** Used until the settings are loaded (and when they cannot be). */
const FALLBACK_DEFAULTS: EventDefaults = {
  organiser: 'Netzwerkstelle Städtepartnerschaften NRW, Auslandsgesellschaft.de e.V.',
  funding_note: '',
};

/** The settings' organisation name and funding line as a new event's defaults. */
export function eventDefaults(settings: { organisation_name: string; funding_note: string }): EventDefaults {
  return { organiser: settings.organisation_name, funding_note: settings.funding_note };
}

/** The form for a new event, with the organiser and funding line from the settings. */
export function emptyEventForm(defaults: EventDefaults = FALLBACK_DEFAULTS): EventFormValues {
  return {
    title: '',
    series: 'forum',
    number: '',
    starts_at: '',
    ends_at: '',
    format: 'online',
    venue: '',
    online_link: '',
    capacity: '',
    registration_deadline: '',
    description: '',
    status: 'geplant',
    organiser: defaults.organiser,
    funding_note: defaults.funding_note,
  };
}

/** The form filled from a stored event. */
export function eventToForm(event: Event): EventFormValues {
  return inputToForm({
    title: event.title,
    series: event.series,
    number: event.number,
    starts_at: event.starts_at,
    ends_at: event.ends_at,
    format: event.format,
    venue: event.venue,
    online_link: event.online_link,
    capacity: event.capacity,
    registration_deadline: event.registration_deadline,
    description: event.description,
    status: event.status,
    organiser: event.organiser,
    funding_note: event.funding_note,
  });
}

/** The form filled from an input draft (e.g. the core's "next in series" proposal). */
export function inputToForm(input: EventInput): EventFormValues {
  return {
    ...input,
    number: input.number === null ? '' : String(input.number),
    starts_at: dateTimeLocalToGerman(input.starts_at),
    ends_at: dateTimeLocalToGerman(input.ends_at),
    capacity: input.capacity === null ? '' : String(input.capacity),
    registration_deadline: formatDate(input.registration_deadline),
  };
}

/** Result of reading a number field: a value, or a German message for the field. */
export type NumberField = { ok: true; value: number | null } | { ok: false; message: string };

/** Reads an optional whole number typed by the user ('' → null). */
export function parseWholeNumber(text: string): NumberField {
  const t = text.trim();
  if (t === '') return { ok: true, value: null };
  if (!/^-?\d+$/.test(t)) return { ok: false, message: 'Bitte eine ganze Zahl eingeben.' };
  return { ok: true, value: Number(t) };
}

const DATETIME_HINT = 'Bitte als TT.MM.JJJJ HH:MM eingeben, z. B. 13.03.2025 11:00.';
const DATE_HINT = 'Bitte als TT.MM.JJJJ eingeben, z. B. 06.03.2025.';

/**
 * The input for the core, or the field errors the form can tell without asking the core
 * (only "is this a number / a date"; every business rule is checked by the core).
 */
export function formToInput(
  form: EventFormValues,
): { ok: true; input: EventInput } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const number = parseWholeNumber(form.number);
  const capacity = parseWholeNumber(form.capacity);
  if (!number.ok) errors.number = number.message;
  if (!capacity.ok) errors.capacity = capacity.message;
  // Empty times go to the core as they are; it answers with its own "required" messages.
  const startsAt = form.starts_at.trim() ? parseGermanDateTime(form.starts_at) : '';
  const endsAt = form.ends_at.trim() ? parseGermanDateTime(form.ends_at) : '';
  const deadline = form.registration_deadline.trim()
    ? parseGermanDate(form.registration_deadline)
    : '';
  if (startsAt === null) errors.starts_at = DATETIME_HINT;
  if (endsAt === null) errors.ends_at = DATETIME_HINT;
  if (deadline === null) errors.registration_deadline = DATE_HINT;
  if (!number.ok || !capacity.ok || startsAt === null || endsAt === null || deadline === null) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    input: {
      title: form.title,
      series: form.series,
      number: number.value,
      starts_at: startsAt,
      ends_at: endsAt,
      format: form.format,
      venue: form.venue,
      online_link: form.online_link,
      capacity: capacity.value,
      registration_deadline: deadline || null,
      description: form.description,
      status: form.status,
      organiser: form.organiser,
      funding_note: form.funding_note,
    },
  };
}

/** Whether the typed confirmation is the event's title (spaces around it do not count). */
export function titleConfirmed(typed: string, title: string): boolean {
  return typed.trim() === title;
}

/** The input to store an event as cancelled ("abgesagt"), everything else unchanged. */
export function cancelledInput(event: Event): EventInput | null {
  const parsed = formToInput({ ...eventToForm(event), status: 'abgesagt' });
  return parsed.ok ? parsed.input : null;
}
