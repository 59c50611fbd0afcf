import { describe, expect, it } from 'vitest';
import type { ImportReport } from './api/bindings/ImportReport';
import type { RegistrationRow } from './api/bindings/RegistrationRow';
import type { RowOutcome } from './api/bindings/RowOutcome';
import {
  assignField,
  collectReviews,
  collectUnmatched,
  countByState,
  decide,
  decisionOf,
  delimiterLabel,
  droppedFile,
  fileName,
  filterRows,
  isImportable,
  manualMatchOf,
  mappingProblem,
  matchCandidates,
  matchManually,
  newRequest,
  openReviews,
  parseMinutes,
  progressPercent,
  reportFigures,
  reviewReason,
  sameMapping,
  sampleValues,
  type ReviewItem,
} from './import';

const row = (record: number, state: RowOutcome['state'], extra: Partial<RowOutcome> = {}): RowOutcome => ({
  record,
  line: record + 1,
  state,
  name: `Person ${record}`,
  email: `p${record}@example.org`,
  person_id: null,
  candidate_person_id: null,
  status: null,
  reasons: [],
  consents: { privacy: null, photo: null, list: null },
  organisation: '',
  ort: '',
  ...extra,
});

const report = (rows: RowOutcome[], extra: Partial<ImportReport> = {}): ImportReport => ({
  format: 'google_forms',
  format_label: 'Google Forms',
  encoding: 'UTF-8',
  delimiter: ',',
  records: rows.length,
  imported: 0,
  new_persons: 0,
  matched_persons: 0,
  skipped_empty: 0,
  skipped: 0,
  review: [],
  errors: [],
  warnings: [],
  rows,
  mapping: { headers: [], fields: [] },
  saved_mappings: [],
  header_line: 1,
  participants: [],
  unmatched: [],
  min_minutes: null,
  run_id: null,
  dry_run: true,
  ...extra,
});

describe('request and files', () => {
  it('contacts never carry an event', () => {
    expect(newRequest('contacts', 4).event_id).toBeNull();
    expect(newRequest('registrations', 4).event_id).toBe(4);
    expect(newRequest('attendance', 4)).toMatchObject({ target: 'attendance', decisions: [], manual_matches: [] });
  });

  it('takes the file name of Unix and Windows paths', () => {
    expect(fileName('/home/büro/Anmeldungen.csv')).toBe('Anmeldungen.csv');
    expect(fileName('C:\\Users\\Büro\\Zoom Bericht.CSV')).toBe('Zoom Bericht.CSV');
    expect(fileName('liste.xlsx')).toBe('liste.xlsx');
  });

  it('accepts tables and refuses other drops with a reason', () => {
    expect(isImportable('/a/b.XLSX')).toBe(true);
    expect(isImportable('/a/b.pdf')).toBe(false);
    expect(isImportable('/a/csv')).toBe(false);
    expect(droppedFile(['/x/bild.png', '/x/liste.csv'])).toEqual({ path: '/x/liste.csv', problem: '' });
    const refused = droppedFile(['/x/bild.png']);
    expect(refused.path).toBeNull();
    expect(refused.problem).toContain('„bild.png“ ist keine Tabelle');
    expect(droppedFile([])).toEqual({ path: null, problem: '' });
  });

  it('names delimiters in German', () => {
    expect(delimiterLabel(';')).toBe('Semikolon');
    expect(delimiterLabel('\t')).toBe('Tabulator');
    expect(delimiterLabel(',')).toBe('Komma');
    expect(delimiterLabel(null)).toContain('Tabellendatei');
  });
});

describe('mapping', () => {
  const mapping = { headers: ['Vorname', 'Nachname', 'Mail', 'Mail 2'], fields: ['first_name', 'last_name', 'email', null] } as const;

  it('moves a field to the chosen column and leaves the others alone', () => {
    const next = assignField({ headers: [...mapping.headers], fields: [...mapping.fields] }, 3, 'email');
    expect(next.fields).toEqual(['first_name', 'last_name', null, 'email']);
    const ignored = assignField(next, 0, null);
    expect(ignored.fields).toEqual([null, 'last_name', null, 'email']);
    expect(sameMapping(next, ignored)).toBe(false);
    expect(sameMapping(next, { headers: [], fields: ['first_name', 'last_name', null, 'email'] })).toBe(true);
  });

  it('needs a name for persons and a join time for attendance', () => {
    expect(mappingProblem({ headers: [], fields: ['first_name', 'last_name'] }, 'registrations')).toBeNull();
    expect(mappingProblem({ headers: [], fields: ['full_name'] }, 'contacts')).toBeNull();
    expect(mappingProblem({ headers: [], fields: ['first_name', 'email'] }, 'contacts')).toContain('Nachname');
    expect(mappingProblem({ headers: [], fields: ['display_name'] }, 'attendance')).toContain('Beitritt');
    expect(mappingProblem({ headers: [], fields: ['join_time'] }, 'attendance')).toContain('Namen');
    expect(mappingProblem({ headers: [], fields: ['email', 'join_time'] }, 'attendance')).toBeNull();
  });

  it('shows the first non-empty sample values, shortened', () => {
    const long = 'x'.repeat(80);
    const sample = [['a', ''], ['b', ' '], ['c', long], ['d', 'e']];
    expect(sampleValues(sample, 0)).toEqual(['a', 'b', 'c']);
    expect(sampleValues(sample, 1)).toEqual([`${'x'.repeat(59)}…`, 'e']);
    expect(sampleValues(sample, 5)).toEqual([]);
  });
});

describe('preview rows', () => {
  const rows = [row(1, 'new'), row(2, 'known'), row(3, 'new'), row(4, 'error'), row(5, 'review')];

  it('counts every state', () => {
    expect(countByState(rows)).toEqual({ new: 2, known: 1, review: 1, error: 1, skipped: 0 });
  });

  it('filters by state', () => {
    expect(filterRows(rows, 'all')).toHaveLength(5);
    expect(filterRows(rows, 'new').map((r) => r.record)).toEqual([1, 3]);
    expect(filterRows(rows, 'skipped')).toEqual([]);
  });
});

describe('review of possible duplicates', () => {
  const first = report([row(1, 'new'), row(2, 'review', { organisation: 'Stadt Hürth', ort: 'Hürth', candidate_person_id: 9 })], {
    review: [{ record: 2, line: 3, reason: 'Gleicher Name und Ort', candidate_person_id: 9 }],
  });

  it('keeps a decided case on screen after it left the report', () => {
    const seen = collectReviews([], first);
    expect(seen).toEqual<ReviewItem[]>([
      {
        record: 2,
        line: 3,
        name: 'Person 2',
        email: 'p2@example.org',
        organisation: 'Stadt Hürth',
        ort: 'Hürth',
        reason: 'Gleicher Name und Ort',
        candidate: 9,
      },
    ]);
    const decided = report([row(1, 'new'), row(2, 'known', { person_id: 9 })]);
    expect(collectReviews(seen, decided)).toEqual(seen);
  });

  it('leaves out what happens without a decision', () => {
    expect(
      reviewReason('Gleicher Name und Ort wie Person Nr. 6, aber eine andere E-Mail-Adresse – als eigene Person angelegt, bitte prüfen.'),
    ).toBe('Gleicher Name und Ort wie Person Nr. 6, aber eine andere E-Mail-Adresse.');
    expect(reviewReason('Gleicher Name und Ort.')).toBe('Gleicher Name und Ort.');
  });

  it('records same/different person and can take it back', () => {
    const [item] = collectReviews([], first);
    const same = decide([], item, 'same');
    expect(same).toEqual([{ record: 2, same_person_id: 9 }]);
    expect(decisionOf(same, 2)).toBe('same');
    const different = decide(same, item, 'different');
    expect(different).toEqual([{ record: 2, same_person_id: null }]);
    expect(decisionOf(different, 2)).toBe('different');
    expect(decide(different, item, null)).toEqual([]);
    expect(decisionOf([], 2)).toBeNull();
    expect(openReviews([item], [])).toBe(1);
    expect(openReviews([item], same)).toBe(0);
  });
});

describe('attendance', () => {
  it('remembers manual matches per display name', () => {
    const m = matchManually([], 'iPhone von Ute', 7);
    expect(manualMatchOf(m, 'iPhone von Ute')).toBe(7);
    const changed = matchManually(m, 'iPhone von Ute', 8);
    expect(changed).toEqual([{ display_name: 'iPhone von Ute', person_id: 8 }]);
    expect(matchManually(changed, 'iPhone von Ute', null)).toEqual([]);
    expect(manualMatchOf([], 'x')).toBeNull();
  });

  it('keeps names matched by hand on screen', () => {
    const u = (display_name: string) => ({ display_name, email: '', minutes: 30 });
    const seen = collectUnmatched([], report([], { unmatched: [u('Technik'), u('iPhone')] }));
    expect(collectUnmatched(seen, report([], { unmatched: [u('Technik'), u('Gast 3')] })).map((x) => x.display_name)).toEqual([
      'Technik',
      'iPhone',
      'Gast 3',
    ]);
  });

  it('reads the threshold in minutes', () => {
    expect(parseMinutes('')).toEqual({ value: null, error: '' });
    expect(parseMinutes(' 45 ')).toEqual({ value: 45, error: '' });
    expect(parseMinutes('0').value).toBe(0);
    expect(parseMinutes('4,5').error).toContain('ganze Zahl');
    expect(parseMinutes('-3').error).not.toBe('');
    expect(parseMinutes('2000').error).not.toBe('');
  });

  it('offers counted registrations not matched yet, by name', () => {
    const reg = (person_id: number, last_name: string, status: RegistrationRow['status']) =>
      ({ person_id, last_name, first_name: 'A', organisation: person_id === 1 ? 'Stadt Unna' : null, status }) as RegistrationRow;
    const regs = [reg(1, 'Özdemir', 'angemeldet'), reg(2, 'Albers', 'angemeldet'), reg(3, 'Zander', 'storniert'), reg(4, 'Brand', 'nachgerueckt')];
    expect(matchCandidates(regs, [4]).map((c) => c.label)).toEqual(['Albers, A', 'Özdemir, A (Stadt Unna)']);
    expect(matchCandidates(regs, [4], 4).map((c) => c.person_id)).toEqual([2, 4, 1]);
  });
});

describe('progress and figures', () => {
  it('computes percent without dividing by zero', () => {
    expect(progressPercent(0, 0)).toBe(0);
    expect(progressPercent(50, 200)).toBe(25);
    expect(progressPercent(300, 200)).toBe(100);
  });

  it('shows registration and attendance figures', () => {
    const r = report([row(1, 'new')], { imported: 3, new_persons: 2, matched_persons: 1, skipped: 1, skipped_empty: 2 });
    const figs = reportFigures(r, 'registrations');
    expect(figs.find((f) => f.testid === 'import-fig-imported')).toMatchObject({ label: 'angemeldet', value: 3 });
    expect(figs.find((f) => f.testid === 'import-fig-skipped')?.value).toBe(3);
    expect(reportFigures(r, 'contacts').find((f) => f.testid === 'import-fig-imported')?.label).toBe('übernommen');
    const online = report([], {
      participants: [
        { person_id: 1, email: '', name: 'A', minutes: 90, present: true, first_join: '', last_leave: '' },
        { person_id: 2, email: '', name: 'B', minutes: 5, present: false, first_join: '', last_leave: '' },
      ],
      unmatched: [{ display_name: 'Technik', email: '', minutes: 120 }],
    });
    expect(reportFigures(online, 'attendance').some((f) => f.testid === 'import-fig-skipped')).toBe(false);
    const of = (id: string) => reportFigures(online, 'attendance').find((f) => f.testid === id)?.value;
    expect([of('import-fig-participants'), of('import-fig-present'), of('import-fig-unmatched')]).toEqual([2, 1, 1]);
  });
});
