// Pure logic of the documents dialog (views/event/DocumentsDialog.svelte): the badge and
// certificate requests built from the form, how many badges and sheets that makes, and the
// folder for one PDF per person.

import type { BadgeLayout } from './api/bindings/BadgeLayout';
import type { BadgeRequest } from './api/bindings/BadgeRequest';
import type { RegistrationCounts } from './api/bindings/RegistrationCounts';
import { plural } from './format';

/** Most blank badges at once (as the core allows). */
export const MAX_BLANK = 200;

/** The dialog's badge options while they are edited. */
export interface BadgeForm {
  layout: string;
  onlyPresent: boolean;
  roles: boolean;
  /** Blank badges as typed. */
  blank: string;
}

/** The defaults: the first layout, everyone registered, with the role band, no blanks. */
export function defaultBadgeForm(layouts: readonly BadgeLayout[]): BadgeForm {
  return { layout: layouts[0]?.id ?? '', onlyPresent: false, roles: true, blank: '0' };
}

/** The number of blank badges, or a German error for the field. */
export function parseBlank(text: string): { value: number } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { value: 0 };
  if (!/^\d+$/.test(trimmed)) return { error: 'Bitte eine ganze Zahl angeben (0 für keine).' };
  const value = Number(trimmed);
  if (value > MAX_BLANK) return { error: `Höchstens ${MAX_BLANK} leere Namensschilder auf einmal.` };
  return { value };
}

/**
 * The request of the form for the whole event — or, with a `selection` of registration ids from
 * the table, for exactly those people — or the field errors.
 */
export function badgeRequest(
  eventId: number,
  form: BadgeForm,
  selection: readonly number[] | null = null,
): { request: BadgeRequest } | { errors: Record<string, string> } {
  const blank = parseBlank(form.blank);
  if ('error' in blank) return { errors: { blank: blank.error } };
  return {
    request: {
      event_id: eventId,
      layout: form.layout,
      only_present: selection === null && form.onlyPresent,
      registration_ids: selection === null ? null : [...selection],
      blank: blank.value,
      roles: form.roles,
    },
  };
}

/** How many badges the form prints for an event with these counts (named + blank). */
export function badgeCount(
  counts: RegistrationCounts,
  form: BadgeForm,
  selection: readonly number[] | null = null,
): number {
  const named = selection !== null ? selection.length : form.onlyPresent ? counts.anwesend : counts.active;
  const blank = parseBlank(form.blank);
  return named + ('value' in blank ? blank.value : 0);
}

/** "23 Namensschilder auf 3 Bögen" for the chosen layout ('' when nothing would print). */
export function badgePreview(
  counts: RegistrationCounts,
  form: BadgeForm,
  layouts: readonly BadgeLayout[],
  selection: readonly number[] | null = null,
): string {
  const layout = layouts.find((l) => l.id === form.layout);
  const n = badgeCount(counts, form, selection);
  if (!layout || n === 0) return '';
  const sheets = Math.ceil(n / (layout.columns * layout.rows));
  return `${plural(n, 'Namensschild', 'Namensschilder')} auf ${plural(sheets, 'Bogen', 'Bögen')}`;
}

/** "20 Teilnahmebescheinigungen (eine Seite je anwesender Person)"; for a selection its size. */
export function certificatePreview(counts: RegistrationCounts, selection: readonly number[] | null = null): string {
  const n = selection !== null ? selection.length : counts.anwesend;
  if (n === 0) return 'Noch niemand ist als anwesend erfasst.';
  return `${plural(n, 'Teilnahmebescheinigung', 'Teilnahmebescheinigungen')} (eine Seite je anwesender Person)`;
}

/** The confirmation after "per E-Mail senden": how many certificate mails were queued. */
export function certificateMailMessage(queued: number): string {
  if (queued === 0) {
    return 'Keine neue Teilnahmebescheinigung vorgemerkt: alle Anwesenden haben ihre schon im Postausgang, niemand ist als anwesend erfasst, oder E-Mails sind für diese Veranstaltung ausgeschaltet.';
  }
  return `${plural(queued, 'Teilnahmebescheinigung', 'Teilnahmebescheinigungen')} mit PDF im Anhang in den Postausgang gelegt.`;
}

/** The folder of a path as the save dialog or the test seam gives it (Windows or Unix). */
export function folderOf(path: string): string {
  const at = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (at < 0) return '.';
  if (at === 0) return path.slice(0, 1);
  return path.slice(0, at);
}
