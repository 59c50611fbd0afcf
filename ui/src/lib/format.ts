// German formatting of dates, times and counts.
//
// Event times arrive as RFC 3339 strings carrying the Europe/Berlin offset
// ("2025-03-13T11:00:00+01:00"). Their first 16 characters are the office's wall-clock time,
// so everything here works on those characters and never on the machine's time zone.

const WEEKDAYS = ['So', 'Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa'] as const;

/** Wall-clock date ("YYYY-MM-DD") and time ("HH:MM") of an RFC 3339 or datetime-local string. */
export interface WallClock {
  date: string;
  time: string;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})/;
const DATETIME_RE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/;

/** Splits "2025-03-13T11:00:00+01:00" (or "2025-03-13T11:00") into date and time. */
export function wallClock(value: string): WallClock | null {
  const m = DATETIME_RE.exec(value.trim());
  return m ? { date: m[1], time: m[2] } : null;
}

/** Short German weekday ("Do") of a calendar date "YYYY-MM-DD". */
export function weekday(date: string): string {
  const m = DATE_RE.exec(date);
  if (!m) return '';
  // Date.UTC keeps the calculation free of the local time zone.
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay();
  return WEEKDAYS[day];
}

/** "13.03.2025" from "2025-03-13" or an RFC 3339 string; '' for empty or unreadable input. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const m = DATE_RE.exec(value.trim());
  return m ? `${m[3]}.${m[2]}.${m[1]}` : '';
}

/** "Do, 13.03.2025" */
export function formatDateWithWeekday(value: string | null | undefined): string {
  const date = formatDate(value);
  return date ? `${weekday(value!.trim())}, ${date}` : '';
}

/** "Do, 13.03.2025, 11:00" */
export function formatDateTime(value: string | null | undefined): string {
  const wc = value ? wallClock(value) : null;
  return wc ? `${formatDateWithWeekday(wc.date)}, ${wc.time}` : '';
}

/** "11:00" */
export function formatTime(value: string | null | undefined): string {
  return (value && wallClock(value)?.time) || '';
}

/**
 * An event's time span in German:
 * one day  → "Do, 13.03.2025, 11:00–13:00";
 * several  → "Fr, 29.11.2024, 10:00 – Sa, 30.11.2024, 16:00".
 */
export function formatRange(startsAt: string, endsAt: string): string {
  const start = wallClock(startsAt);
  const end = wallClock(endsAt);
  if (!start) return '';
  if (!end) return formatDateTime(startsAt);
  if (start.date === end.date) {
    return `${formatDateWithWeekday(start.date)}, ${start.time}–${end.time}`;
  }
  return `${formatDateTime(startsAt)} – ${formatDateTime(endsAt)}`;
}

/** Value for an `<input type="datetime-local">`: "2025-03-13T11:00" ('' when unreadable). */
export function toDateTimeLocal(value: string | null | undefined): string {
  const wc = value ? wallClock(value) : null;
  return wc ? `${wc.date}T${wc.time}` : '';
}

/** Value for an `<input type="date">`: "2025-03-13" ('' when unreadable). */
export function toDateInput(value: string | null | undefined): string {
  const m = value ? DATE_RE.exec(value.trim()) : null;
  return m ? `${m[1]}-${m[2]}-${m[3]}` : '';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A real calendar date? (rejects 31.02.) */
function validDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A 2-digit year means 20xx ("25" → 2025). */
function fullYear(text: string): number {
  const y = Number(text);
  return text.length <= 2 ? 2000 + y : y;
}

/**
 * Reads a date as typed in the office: "13.03.2025", "13.3.25", or ISO "2025-03-13".
 * Returns "YYYY-MM-DD", or null when it is not a real date.
 */
export function parseGermanDate(text: string): string | null {
  const t = text.trim();
  let y: number, m: number, d: number;
  let match = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$/.exec(t);
  if (match) {
    [d, m, y] = [Number(match[1]), Number(match[2]), fullYear(match[3])];
  } else if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t))) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else {
    return null;
  }
  return validDate(y, m, d) ? `${y}-${pad(m)}-${pad(d)}` : null;
}

/**
 * Reads a date and time as typed: "13.03.2025 11:00", "13.3.2025, 11 Uhr", "13.03.25 9.30",
 * or ISO "2025-03-13 11:00" / "2025-03-13T11:00". Returns the datetime-local value
 * "YYYY-MM-DDTHH:MM" the core accepts, or null.
 */
export function parseGermanDateTime(text: string): string | null {
  const t = text.trim().replace(/\s*Uhr$/i, '');
  const match = /^(\S+?)(?:,\s*|\s+|T)(\d{1,2})(?:[:.](\d{2}))?$/.exec(t);
  if (!match) return null;
  const date = parseGermanDate(match[1]);
  const h = Number(match[2]);
  const min = match[3] === undefined ? 0 : Number(match[3]);
  if (!date || h > 23 || min > 59) return null;
  return `${date}T${pad(h)}:${pad(min)}`;
}

/** "13.03.2025 11:00" – how a datetime-local value is shown in a text field. */
export function dateTimeLocalToGerman(value: string): string {
  const wc = wallClock(value);
  return wc ? `${formatDate(wc.date)} ${wc.time}` : value;
}

/** Whether a datetime-local value looks complete ("YYYY-MM-DDTHH:MM"). */
export function isDateTimeLocal(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value);
}

/** Adds whole days to a calendar date "YYYY-MM-DD" (time-zone free). */
export function addDays(date: string, days: number): string {
  const m = DATE_RE.exec(date);
  if (!m) return date;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return d.toISOString().slice(0, 10);
}

/** Today's calendar date in Dortmund ("YYYY-MM-DD"), whatever the machine's time zone. */
export function berlinToday(now: Date = new Date()): string {
  // formatToParts, because the pattern of a locale differs between ICU versions
  // (WebKitGTK formats en-CA as "01/01/1970", Node as "1970-01-01").
  const parts = new Intl.DateTimeFormat('de-DE', {
    timeZone: 'Europe/Berlin',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** "heute", "morgen" or "gestern" for a date near `today`, otherwise ''. */
export function relativeDay(value: string, today: string = berlinToday()): string {
  const date = DATE_RE.exec(value)?.[0];
  if (!date) return '';
  if (date === today) return 'heute';
  if (date === addDays(today, 1)) return 'morgen';
  if (date === addDays(today, -1)) return 'gestern';
  return '';
}

/** Whether the instant `endsAt` (RFC 3339 with offset) has not yet passed at `now`. */
export function isUpcoming(endsAt: string, now: Date = new Date()): boolean {
  const t = Date.parse(endsAt);
  return Number.isNaN(t) ? true : t >= now.getTime();
}

const numberFormat = new Intl.NumberFormat('de-DE');

/** "1.234" */
export function formatNumber(n: number): string {
  return numberFormat.format(n);
}

/**
 * Registration counts of an event: "45 angemeldet · 3 Warteliste"; with a capacity
 * "45 von 60 angemeldet · 3 Warteliste". The waiting list is left out when empty.
 */
export function formatCounts(active: number, waitlist: number, capacity?: number | null): string {
  const first =
    capacity === null || capacity === undefined
      ? `${formatNumber(active)} angemeldet`
      : `${formatNumber(active)} von ${formatNumber(capacity)} angemeldet`;
  return waitlist > 0 ? `${first} · ${formatNumber(waitlist)} Warteliste` : first;
}

/**
 * The German word for a count: `one` for exactly 1, else `many` ("freier Platz" / "freie
 * Plätze"; 0 and 2 both take the plural). The one rule behind every counter in the UI.
 */
export function pluralWord(n: number | null, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** "1 Person" / "3 Personen" – a count with the right German noun. */
export function plural(n: number, one: string, many: string): string {
  return `${formatNumber(n)} ${pluralWord(n, one, many)}`;
}

/** Local time of a UTC timestamp for "zuletzt geändert" style labels: "13.03.2025, 11:02". */
export function formatTimestamp(value: string | null | undefined): string {
  if (!value) return '';
  const t = Date.parse(value);
  if (Number.isNaN(t)) return '';
  return new Intl.DateTimeFormat('de-DE', {
    timeZone: 'Europe/Berlin',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(t));
}

/** Berlin calendar date of a UTC timestamp: "01.02.2025". */
export function formatTimestampDate(value: string | null | undefined): string {
  return formatTimestamp(value).slice(0, 10);
}

/** Text longer than this is cut with "…" in lists (full text on hover and keyboard focus). */
export const CLIP_CHARS = 40;

/** Whether `text` is long enough to be cut in a list (then it gets a focus stop to read it). */
export function isLong(text: string | null | undefined): boolean {
  return (text ?? '').length > CLIP_CHARS;
}

/** Longest notice text shown in full; longer ones are cut (the full text is in the title). */
export const NOTICE_CHARS = 200;

/** `text` cut with "…" after `max` characters (emoji count as one). */
export function cutText(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('').trimEnd()}…` : text;
}

/** A notice's text, cut after {@link NOTICE_CHARS} characters (a 300-character name must not
 * fill the screen). */
export function noticeText(message: string): string {
  return cutText(message, NOTICE_CHARS);
}
