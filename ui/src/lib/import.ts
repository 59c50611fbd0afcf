// The "Importieren" wizard's logic: labels, the request it sends, mapping edits, row filters,
// review decisions, manual matches of attendance reports and the result's figures. Pure
// functions, so the wizard's view stays thin and this is tested with Vitest.

import type { ColumnMapping } from './api/bindings/ColumnMapping';
import type { Field } from './api/bindings/Field';
import type { ImportReport } from './api/bindings/ImportReport';
import type { ImportRequest } from './api/bindings/ImportRequest';
import type { ImportTarget } from './api/bindings/ImportTarget';
import type { ManualMatch } from './api/bindings/ManualMatch';
import type { ReviewDecision } from './api/bindings/ReviewDecision';
import type { RegistrationRow } from './api/bindings/RegistrationRow';
import type { RowOutcome } from './api/bindings/RowOutcome';
import type { RowState } from './api/bindings/RowState';
import type { Unmatched } from './api/bindings/Unmatched';

/** The steps of the wizard, in order. */
export const STEPS = ['file', 'mapping', 'preview', 'result'] as const;
/** One step of the wizard. */
export type Step = (typeof STEPS)[number];

/** German names of the steps (the step bar). */
export const STEP_LABELS: Record<Step, string> = {
  file: 'Datei',
  mapping: 'Spalten',
  preview: 'Vorschau',
  result: 'Ergebnis',
};


/** Row states in the order of the preview's filters. */
export const ROW_STATES: readonly RowState[] = ['new', 'known', 'review', 'error', 'skipped'];

/** German names of the row states. */
export const ROW_STATE_LABELS: Record<RowState, string> = {
  new: 'neu',
  known: 'bekannt',
  review: 'mögliches Duplikat',
  error: 'Fehler',
  skipped: 'übersprungen',
};

/** The preview's filter: one state or every row. */
export type RowFilter = RowState | 'all';

/** Files the importers read (the native dialog's filter and the drop check). */
export const FILE_EXTENSIONS = ['csv', 'txt', 'tsv', 'xlsx', 'xlsm', 'xls', 'ods'] as const;

/** Above this many rows the wizard shows a progress bar while it works. */
export const PROGRESS_FROM_ROWS = 200;

/** The request of a fresh wizard for `target` (and the event of registrations/attendance). */
export function newRequest(target: ImportTarget, eventId: number | null): ImportRequest {
  return {
    target,
    event_id: target === 'contacts' ? null : eventId,
    importer_id: null,
    mapping: null,
    mapping_name: null,
    decisions: [],
    min_minutes: null,
    manual_matches: [],
  };
}

/** The file name of a path (Unix or Windows separators). */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p !== '');
  return parts.length > 0 ? parts[parts.length - 1] : path;
}

/** Whether the path ends in an extension the importers read. */
export function isImportable(path: string): boolean {
  const name = fileName(path).toLowerCase();
  const dot = name.lastIndexOf('.');
  if (dot < 0) return false;
  return (FILE_EXTENSIONS as readonly string[]).includes(name.slice(dot + 1));
}

/** The first importable file of a drop, or null (with the reason shown to the user). */
export function droppedFile(paths: readonly string[]): { path: string | null; problem: string } {
  if (paths.length === 0) return { path: null, problem: '' };
  const path = paths.find(isImportable) ?? null;
  if (path === null) {
    return {
      path: null,
      problem: `„${fileName(paths[0])}“ ist keine Tabelle (erwartet: ${FILE_EXTENSIONS.join(', ')}).`,
    };
  }
  return { path, problem: '' };
}

/** The delimiter in words. */
export function delimiterLabel(delimiter: string | null): string {
  switch (delimiter) {
    case null:
      return '– (Tabellendatei)';
    case ',':
      return 'Komma';
    case ';':
      return 'Semikolon';
    case '\t':
      return 'Tabulator';
    case '|':
      return 'senkrechter Strich';
    default:
      return `„${delimiter}“`;
  }
}

/**
 * The mapping with `field` on `column`. A field belongs to one column only: the column that had
 * it before is set to "nicht importieren".
 */
export function assignField(mapping: ColumnMapping, column: number, field: Field | null): ColumnMapping {
  const fields = mapping.fields.map((f, i) => {
    if (i === column) return field;
    return field !== null && f === field ? null : f;
  });
  return { headers: [...mapping.headers], fields };
}

/** Whether two mappings assign the same fields. */
export function sameMapping(a: ColumnMapping, b: ColumnMapping): boolean {
  return a.fields.length === b.fields.length && a.fields.every((f, i) => f === b.fields[i]);
}

/** What is missing before the mapping can be used (German), or null when it is complete. */
export function mappingProblem(mapping: ColumnMapping, target: ImportTarget): string | null {
  const has = (f: Field) => mapping.fields.includes(f);
  if (target === 'attendance') {
    if (!has('display_name') && !has('email')) {
      return 'Bitte ordnen Sie einer Spalte den Namen oder die E-Mail-Adresse zu.';
    }
    if (!has('join_time')) return 'Bitte ordnen Sie einer Spalte den Beitritt zu.';
    return null;
  }
  if (!has('full_name') && !(has('first_name') && has('last_name'))) {
    return 'Bitte ordnen Sie Vorname und Nachname zu (oder eine Spalte „Name“).';
  }
  return null;
}

/** Up to `n` non-empty values of a column of the sample (shown in the mapping step). */
export function sampleValues(sample: readonly (readonly string[])[], column: number, n = 3): string[] {
  const out: string[] = [];
  for (const row of sample) {
    const value = (row[column] ?? '').trim();
    if (value !== '') out.push(value.length > 60 ? `${value.slice(0, 59)}…` : value);
    if (out.length === n) break;
  }
  return out;
}

/** Rows per state (every state present, 0 when none). */
export function countByState(rows: readonly RowOutcome[]): Record<RowState, number> {
  const counts: Record<RowState, number> = { new: 0, known: 0, review: 0, error: 0, skipped: 0 };
  for (const r of rows) counts[r.state] += 1;
  return counts;
}

/** The rows the filter shows. */
export function filterRows(rows: readonly RowOutcome[], filter: RowFilter): RowOutcome[] {
  return filter === 'all' ? [...rows] : rows.filter((r) => r.state === filter);
}

/** A possible duplicate as the review shows it: the row as read and the stored person. */
export interface ReviewItem {
  /** Data record number. */
  record: number;
  /** Physical line. */
  line: number;
  /** Name as read. */
  name: string;
  /** E-mail as read. */
  email: string;
  /** Organisation as read. */
  organisation: string;
  /** Ort as read. */
  ort: string;
  /** Why it may be a duplicate (German). */
  reason: string;
  /** The stored person it may be. */
  candidate: number;
}

/**
 * The review cases seen so far plus those of `report`. A decided case leaves the report's
 * review list (the row becomes known or new), but stays on screen so the decision can be
 * changed; the list is ordered by record.
 */
export function collectReviews(seen: readonly ReviewItem[], report: ImportReport): ReviewItem[] {
  const byRecord = new Map(seen.map((s) => [s.record, s]));
  for (const c of report.review) {
    if (byRecord.has(c.record)) continue;
    const row = report.rows.find((r) => r.record === c.record);
    byRecord.set(c.record, {
      record: c.record,
      line: c.line,
      name: row?.name ?? '',
      email: row?.email ?? '',
      organisation: row?.organisation ?? '',
      ort: row?.ort ?? '',
      reason: c.reason,
      candidate: c.candidate_person_id,
    });
  }
  return [...byRecord.values()].sort((a, b) => a.record - b.record);
}

/** The user's answer to one review case. */
export type Decision = 'same' | 'different';

/** The decisions with `record` answered (`null`: undecided again). */
export function decide(
  decisions: readonly ReviewDecision[],
  item: ReviewItem,
  decision: Decision | null,
): ReviewDecision[] {
  const rest = decisions.filter((d) => d.record !== item.record);
  if (decision === null) return rest;
  return [...rest, { record: item.record, same_person_id: decision === 'same' ? item.candidate : null }].sort(
    (a, b) => a.record - b.record,
  );
}

/** The answer given for a record, or null. */
export function decisionOf(decisions: readonly ReviewDecision[], record: number): Decision | null {
  const d = decisions.find((x) => x.record === record);
  if (!d) return null;
  return d.same_person_id === null ? 'different' : 'same';
}

/** How many review cases are still undecided. */
export function openReviews(items: readonly ReviewItem[], decisions: readonly ReviewDecision[]): number {
  return items.filter((i) => decisionOf(decisions, i.record) === null).length;
}

/** The manual matches with `displayName` matched to `personId` (`null`: "nicht zugeordnet"). */
export function matchManually(
  matches: readonly ManualMatch[],
  displayName: string,
  personId: number | null,
): ManualMatch[] {
  const rest = matches.filter((m) => m.display_name !== displayName);
  return personId === null ? rest : [...rest, { display_name: displayName, person_id: personId }];
}

/** The person a display name was matched to by hand, or null. */
export function manualMatchOf(matches: readonly ManualMatch[], displayName: string): number | null {
  return matches.find((m) => m.display_name === displayName)?.person_id ?? null;
}

/** The threshold typed by the user: empty = the default (null), else whole minutes 0–1440. */
export function parseMinutes(text: string): { value: number | null; error: string } {
  const t = text.trim();
  if (t === '') return { value: null, error: '' };
  if (!/^\d{1,4}$/.test(t) || Number(t) > 1440) {
    return { value: null, error: 'Bitte eine ganze Zahl von Minuten (0 bis 1440) eingeben.' };
  }
  return { value: Number(t), error: '' };
}

/** Progress in percent (0–100), 0 while the total is unknown. */
export function progressPercent(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}

/** One figure of the result summary. */
export interface Figure {
  /** German label. */
  label: string;
  /** The number. */
  value: number;
  /** Its data-testid. */
  testid: string;
}

/** The figures of a report that the result page (and the preview's summary) shows. */
export function reportFigures(report: ImportReport, target: ImportTarget): Figure[] {
  const figures: Figure[] = [{ label: 'Datensätze gelesen', value: report.records, testid: 'import-fig-records' }];
  if (target === 'attendance') {
    figures.push(
      { label: 'zugeordnet', value: report.participants.length, testid: 'import-fig-participants' },
      {
        label: 'anwesend',
        value: report.participants.filter((p) => p.present).length,
        testid: 'import-fig-present',
      },
      { label: 'nicht zugeordnet', value: report.unmatched.length, testid: 'import-fig-unmatched' },
    );
  } else {
    figures.push(
      {
        label: target === 'contacts' ? 'übernommen' : 'angemeldet',
        value: report.imported,
        testid: 'import-fig-imported',
      },
      { label: 'neue Personen', value: report.new_persons, testid: 'import-fig-new' },
      { label: 'bekannte Personen', value: report.matched_persons, testid: 'import-fig-known' },
      { label: 'mögliche Duplikate', value: report.review.length, testid: 'import-fig-review' },
    );
  }
  // Unmatched names of an attendance report are its skipped rows, counted above already.
  if (target !== 'attendance') {
    figures.push({ label: 'übersprungen', value: report.skipped + report.skipped_empty, testid: 'import-fig-skipped' });
  }
  figures.push({ label: 'Fehler', value: report.errors.length, testid: 'import-fig-errors' });
  return figures;
}

/** "Zeile 12" for a physical line, "" when unknown. */
export function lineLabel(line: number): string {
  return line > 0 ? `Zeile ${line}` : '';
}

/** How many preview rows are shown at first (and added by "Weitere anzeigen"). */
export const ROWS_PER_PAGE = 200;

/** A registered person the unmatched names of a report can be matched to. */
export interface MatchCandidate {
  /** The person. */
  person_id: number;
  /** "Nachname, Vorname (Organisation)". */
  label: string;
}

/**
 * The event's counted registrations not matched by the report yet, by name: the choices for a
 * manual match. `keep` stays in the list although it is matched (the current choice).
 */
export function matchCandidates(
  registrations: readonly RegistrationRow[],
  matched: readonly number[],
  keep: number | null = null,
): MatchCandidate[] {
  const taken = new Set(matched);
  return registrations
    .filter((r): r is RegistrationRow & { person_id: number } => r.person_id !== null)
    .filter((r) => r.status !== 'storniert' && r.status !== 'abgelehnt')
    .filter((r) => r.person_id === keep || !taken.has(r.person_id))
    .map((r) => ({
      person_id: r.person_id,
      label: `${r.last_name}, ${r.first_name}${r.organisation ? ` (${r.organisation})` : ''}`,
    }))
    .sort((a, b) => a.label.localeCompare(b.label, 'de'));
}

/**
 * The report's unmatched participants seen so far, in first-seen order: a name matched by hand
 * leaves the report's list but stays on screen so the match can be changed.
 */
export function collectUnmatched(seen: readonly Unmatched[], report: ImportReport): Unmatched[] {
  const names = new Set(seen.map((u) => u.display_name));
  return [...seen, ...report.unmatched.filter((u) => !names.has(u.display_name))];
}

/**
 * The reason of a possible duplicate without the core's note on what happens when nobody
 * decides ("– als eigene Person angelegt, bitte prüfen."): the wizard shows the decision itself.
 */
export function reviewReason(reason: string): string {
  const cut = reason.search(/\s[–-]\s*als eigene Person angelegt/);
  return cut > 0 ? `${reason.slice(0, cut).trimEnd()}.` : reason;
}
