// Datenschutz in the UI: the consent form's rows, the preview texts of the shredder and the
// erasure ("was gelöscht wird / was bleibt") and the notices about passed deletion dates.

import type { Consent } from './api/bindings/Consent';
import type { ConsentInput } from './api/bindings/ConsentInput';
import type { ConsentSource } from './api/bindings/ConsentSource';
import type { ConsentState } from './api/bindings/ConsentState';
import type { DeletionReport } from './api/bindings/DeletionReport';
import type { EventRetention } from './api/bindings/EventRetention';
import type { Purpose } from './api/bindings/Purpose';
import type { Source } from './api/bindings/Source';
import { formatDate, plural } from './format';
import { PURPOSE_LABELS } from './labels';

/** The purposes in the order the forms show them. */
export const PURPOSES = Object.keys(PURPOSE_LABELS) as Purpose[];

/** One editable row of the consent form; `state: null` is "keine Angabe". */
export interface ConsentRow {
  purpose: Purpose;
  state: ConsentState | null;
  given_on: string;
  source: ConsentSource;
}

/** A row per purpose, filled from the recorded consents (the others "keine Angabe"). */
export function consentRows(recorded: Consent[], source: ConsentSource = 'formular'): ConsentRow[] {
  return PURPOSES.map((purpose) => {
    const found = recorded.find((c) => c.purpose === purpose);
    return found
      ? { purpose, state: found.state, given_on: found.given_on, source: found.source }
      : { purpose, state: null, given_on: '', source };
  });
}

/** The rows that differ from what is recorded, as the core's input (nothing when unchanged). */
export function changedConsents(rows: ConsentRow[], recorded: Consent[]): ConsentInput[] {
  return rows
    .filter((row) => {
      const before = recorded.find((c) => c.purpose === row.purpose);
      if (!before) return row.state !== null;
      return row.state !== before.state || row.given_on !== before.given_on || row.source !== before.source;
    })
    .map((row) => ({ ...row, given_on: row.state === null ? '' : row.given_on }));
}

/** The consents ticked in the registration form: given today, from `source`. */
export function givenConsents(ticked: Purpose[], source: ConsentSource): ConsentInput[] {
  return ticked.map((purpose) => ({ purpose, state: 'erteilt', given_on: '', source }));
}

/** How a consent given with a registration was recorded, by the registration's source. */
export function consentSourceFor(source: Source): ConsentSource {
  const map: Record<Source, ConsentSource> = {
    formular: 'formular',
    telefon_email: 'telefon',
    import: 'import',
    vor_ort: 'vor_ort',
  };
  return map[source];
}

/** A short mark for lists: persons without consent to invitations. */
export function invitationMark(state: ConsentState | null): string {
  if (state === 'erteilt') return '';
  return state === 'widerrufen' ? 'Einladungen widerrufen' : 'keine Einwilligung für Einladungen';
}

/** What a deletion removes, as sentences for the preview (empty kinds left out). */
export function removedLines(r: DeletionReport): string[] {
  const lines: string[] = [];
  if (r.registrations_anonymised > 0)
    lines.push(`${plural(r.registrations_anonymised, 'Anmeldung', 'Anmeldungen')}: Name, E-Mail und Kontaktdaten werden entfernt`);
  if (r.comments_removed > 0) lines.push(`${plural(r.comments_removed, 'Kommentar', 'Kommentare')} und Stornogründe`);
  const verb = (n: number) => (n === 1 ? 'wird' : 'werden');
  if (r.persons_removed > 0)
    lines.push(`${plural(r.persons_removed, 'Kontakt', 'Kontakte')} ${verb(r.persons_removed)} gelöscht (mit Einwilligungen und Verlauf)`);
  if (r.persons_anonymised > 0)
    lines.push(`${plural(r.persons_anonymised, 'Kontakt', 'Kontakte')} ${verb(r.persons_anonymised)} anonymisiert`);
  return lines;
}

/** What stays after a deletion, as sentences for the preview. */
export function keptLines(r: DeletionReport): string[] {
  const lines = [
    `${plural(r.registrations_anonymised, 'anonyme Anmeldung', 'anonyme Anmeldungen')} mit Status, Rolle, Organisation (Art, Kreis), Erstteilnahme und Workshops – für die Statistik`,
  ];
  if (r.attendance_kept > 0) lines.push(`${plural(r.attendance_kept, 'Anwesenheitseintrag', 'Anwesenheitseinträge')} (anonym)`);
  if (r.wishes_kept > 0) lines.push(`${plural(r.wishes_kept, 'Wunsch', 'Wünsche')} ohne Namen`);
  if (r.persons_kept_registered > 0)
    lines.push(`${plural(r.persons_kept_registered, 'Kontakt', 'Kontakte')} mit weiteren Anmeldungen`);
  if (r.persons_kept_invitations > 0)
    lines.push(`${plural(r.persons_kept_invitations, 'Kontakt', 'Kontakte')} mit Einwilligung in Einladungen`);
  return lines;
}

/** The notice about events whose deletion date has passed ('' when none). */
export function dueNotice(due: EventRetention[]): string {
  if (due.length === 0) return '';
  if (due.length === 1)
    return `Die Löschfrist von „${due[0].title}“ ist seit ${formatDate(due[0].deletion_date)} abgelaufen – die Personendaten sind noch gespeichert.`;
  return `Bei ${due.length} Veranstaltungen ist die Löschfrist abgelaufen – die Personendaten sind noch gespeichert.`;
}

/** The retention line of an event's Datenschutz area. */
export function retentionText(r: EventRetention): string {
  if (r.registrations_with_persons === 0 && r.personal_data_deleted_at)
    return 'Die Personendaten dieser Veranstaltung sind gelöscht; die Anmeldungen sind anonym.';
  const basis = r.deletion_date_set ? 'von Hand gesetzt' : `${r.retention_months} Monate nach dem Ende`;
  return `Personendaten löschen ab ${formatDate(r.deletion_date)} (${basis}).`;
}
