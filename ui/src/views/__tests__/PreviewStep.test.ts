import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImportReport } from '$lib/api/bindings/ImportReport';
import type { Person } from '$lib/api/bindings/Person';
import type { RowOutcome } from '$lib/api/bindings/RowOutcome';
import { collectReviews } from '$lib/import';
import PreviewStep from '../import/PreviewStep.svelte';

afterEach(cleanup);

const row = (record: number, state: RowOutcome['state'], name: string, reasons: string[] = []): RowOutcome => ({
  record,
  line: record + 1,
  state,
  name,
  email: `${name.toLowerCase().replace(' ', '.')}@example.org`,
  person_id: null,
  candidate_person_id: state === 'review' ? 6 : null,
  status: null,
  reasons,
  consents: { privacy: null, photo: null, list: null },
  organisation: '',
  ort: 'Hürth',
});

const report: ImportReport = {
  format: 'google_forms',
  format_label: 'Google Forms',
  encoding: 'UTF-8',
  delimiter: ',',
  records: 3,
  imported: 2,
  new_persons: 2,
  matched_persons: 0,
  skipped_empty: 0,
  skipped: 0,
  review: [{ record: 2, line: 3, reason: 'Gleicher Name und Ort wie Person Nr. 6.', candidate_person_id: 6 }],
  errors: [{ record: 3, line: 4, field: 'consent_privacy', message: 'Keine Einwilligung' }],
  warnings: [],
  rows: [row(1, 'new', 'Lina Neumann'), row(2, 'review', 'Iryna Melnyk'), row(3, 'error', 'Karl Koch', ['Keine Einwilligung'])],
  mapping: { headers: [], fields: [] },
  saved_mappings: [],
  header_line: 1,
  participants: [],
  unmatched: [],
  min_minutes: null,
  run_id: null,
  dry_run: true,
};

const stored = { id: 6, first_name: 'Iryna', last_name: 'Melnyk', salutation: 'Frau', title: '', email: 'iryna.melnyk@example.org', organisation: null, ort: 'Hürth' } as Person;

function show(ondecide = vi.fn(), onimport = vi.fn()) {
  // `props:` because `target` is also one of Svelte's mount options.
  render(PreviewStep, {
    props: {
      report,
      target: 'registrations',
      reviews: collectReviews([], report),
      candidates: { 6: stored },
      unmatched: [],
      decisions: [],
      manualMatches: [],
      registrations: [],
      busy: false,
      ondecide,
      onmatch: vi.fn(),
      onthreshold: vi.fn(),
      onback: vi.fn(),
      onimport,
    },
  });
  return { ondecide, onimport };
}

describe('PreviewStep', () => {
  it('filters the rows by state and shows the reasons as text', async () => {
    show();
    expect(screen.getByTestId('import-count-new').textContent).toBe('1');
    expect(screen.getByTestId('import-count-skipped').textContent).toBe('0');
    expect((screen.getByTestId('import-filter-skipped') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(screen.getByTestId('import-filter-error'));
    expect(screen.getByTestId('import-filter-error').getAttribute('aria-pressed')).toBe('true');
    expect(screen.queryByTestId('import-row-1')).toBeNull();
    expect(screen.getByTestId('import-row-3').textContent).toContain('Keine Einwilligung');
    await fireEvent.click(screen.getByTestId('import-filter-all'));
    expect(screen.getByTestId('import-row-1')).toBeTruthy();
  });

  it('shows the duplicate beside the stored person and passes the decision on', async () => {
    const { ondecide, onimport } = show();
    expect(screen.getByTestId('import-review-2').textContent).toContain('Zeile 3');
    expect(screen.getByTestId('import-review-candidate-2').textContent).toContain('iryna.melnyk@example.org');
    expect(screen.getByTestId('import-review-decision-2').textContent).toContain('Noch offen');
    expect(screen.getByTestId('import-open-reviews').textContent).toContain('1 mögliches Duplikat');
    await fireEvent.click(screen.getByTestId('import-review-same-2'));
    expect(ondecide).toHaveBeenCalledWith(expect.objectContaining({ record: 2, candidate: 6 }), 'same');
    expect(screen.getByTestId('import-run').textContent).toContain('Importieren (2)');
    await fireEvent.click(screen.getByTestId('import-run'));
    expect(onimport).toHaveBeenCalledOnce();
  });
});
