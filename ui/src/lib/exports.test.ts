import { describe, expect, it } from 'vitest';
import type { ExporterInfo } from './api/bindings/ExporterInfo';
import type { OptionSpec } from './api/bindings/OptionSpec';
import {
  asList,
  choiceAsRadio,
  columnRows,
  defaultForm,
  exportErrors,
  filterName,
  findProfile,
  moveColumn,
  optionForm,
  parseOptionNumber,
  requestOptions,
  sameOptions,
  toggleColumn,
  toggleMulti,
} from './exports';

const spec = (s: Partial<OptionSpec> & Pick<OptionSpec, 'key' | 'kind' | 'default'>): OptionSpec => ({
  label: s.key,
  help: '',
  choices: [],
  min: null,
  max: null,
  ...s,
});
const choices = (...values: string[]) => values.map((v) => ({ value: v, label: v.toUpperCase() }));

const columns = spec({
  key: 'columns',
  label: 'Spalten',
  kind: 'columns',
  choices: choices('nr', 'first_name', 'last_name', 'email'),
  default: ['last_name', 'first_name'],
});
const statuses = spec({ key: 'statuses', kind: 'multi', choices: choices('a', 'b', 'c'), default: ['a', 'c'] });
const stats = spec({ key: 'statistics', kind: 'bool', default: false });
const format = spec({ key: 'format', kind: 'choice', choices: choices('xlsx', 'csv'), default: 'xlsx' });
const rows = spec({ key: 'walk_in_rows', label: 'Leerzeilen', kind: 'number', default: 10, min: 0, max: 200 });
const note = spec({ key: 'note', kind: 'text', default: 'x' });
const specs = [columns, statuses, stats, format, rows, note];
const exporter: ExporterInfo = { id: 'participants', label: 'Teilnehmendenliste', description: '', options: specs };

describe('export options form', () => {
  it('starts from the defaults, numbers as text', () => {
    expect(defaultForm(exporter)).toEqual({
      columns: ['last_name', 'first_name'],
      statuses: ['a', 'c'],
      statistics: false,
      format: 'xlsx',
      walk_in_rows: '10',
      note: 'x',
    });
  });

  it('loads a profile over the defaults and ignores what does not fit', () => {
    const form = optionForm(specs, {
      columns: ['email', 'zzz', 'email', 'nr'],
      statuses: ['c', 'b'],
      statistics: 'ja',
      format: 'pdf',
      walk_in_rows: 0,
      unknown: true,
    });
    expect(form.columns).toEqual(['email', 'nr']);
    expect(form.statuses).toEqual(['b', 'c']);
    expect(form.statistics).toBe(false);
    expect(form.format).toBe('xlsx');
    expect(form.walk_in_rows).toBe('0');
    expect('unknown' in form).toBe(false);
    expect(optionForm(specs, { columns: [] }).columns).toEqual(['last_name', 'first_name']);
  });

  it('builds complete request options and checks numbers and columns', () => {
    const form = { ...defaultForm(exporter), walk_in_rows: ' 12 ', note: '  Hallo ', statistics: true };
    expect(requestOptions(specs, form)).toEqual({
      options: {
        columns: ['last_name', 'first_name'],
        statuses: ['a', 'c'],
        statistics: true,
        format: 'xlsx',
        walk_in_rows: 12,
        note: 'Hallo',
      },
      errors: {},
    });
    const bad = requestOptions(specs, { ...form, walk_in_rows: '201', columns: [] });
    expect(bad.errors).toEqual({
      walk_in_rows: '„Leerzeilen“ muss eine ganze Zahl von 0 bis 200 sein.',
      columns: 'Bitte wählen Sie für „Spalten“ mindestens eine Spalte.',
    });
    expect(parseOptionNumber(rows, '1,5')).toBeNull();
    expect(parseOptionNumber(rows, '-1')).toBeNull();
    expect(parseOptionNumber(rows, '')).toBeNull();
    expect(parseOptionNumber(rows, '200')).toBe(200);
  });

  it('round-trips a saved profile and compares options', () => {
    const { options } = requestOptions(specs, defaultForm(exporter));
    expect(requestOptions(specs, optionForm(specs, options)).options).toEqual(options);
    expect(sameOptions(options, { ...options })).toBe(true);
    expect(sameOptions(options, { ...options, columns: ['first_name', 'last_name'] })).toBe(false);
    expect(sameOptions(options, { ...options, extra: 1 })).toBe(false);
  });
});

describe('column checklist', () => {
  it('lists chosen columns in order, then the others', () => {
    expect(columnRows(columns, ['email', 'nr']).map((r) => [r.value, r.checked, r.position])).toEqual([
      ['email', true, 0],
      ['nr', true, 1],
      ['first_name', false, -1],
      ['last_name', false, -1],
    ]);
  });

  it('ticks, unticks and moves', () => {
    expect(toggleColumn(['a', 'b'], 'c')).toEqual(['a', 'b', 'c']);
    expect(toggleColumn(['a', 'b'], 'a')).toEqual(['b']);
    expect(moveColumn(['a', 'b', 'c'], 'c', -1)).toEqual(['a', 'c', 'b']);
    expect(moveColumn(['a', 'b', 'c'], 'a', 1)).toEqual(['b', 'a', 'c']);
    expect(moveColumn(['a', 'b', 'c'], 'a', -1)).toEqual(['a', 'b', 'c']);
    expect(moveColumn(['a', 'b', 'c'], 'c', 1)).toEqual(['a', 'b', 'c']);
    expect(moveColumn(['a'], 'x', 1)).toEqual(['a']);
    expect(toggleMulti(statuses, ['c'], 'a')).toEqual(['a', 'c']);
    expect(toggleMulti(statuses, ['a', 'c'], 'a')).toEqual(['c']);
    expect(asList('x')).toEqual([]);
  });

  it('shows short choices as radio buttons', () => {
    expect(choiceAsRadio(format)).toBe(true);
    expect(choiceAsRadio({ ...format, choices: choices('a', 'b', 'c', 'd') })).toBe(false);
  });
});

describe('export errors', () => {
  it('puts option errors next to the options and keeps the rest', () => {
    const err = {
      kind: 'validation',
      message: 'Bitte prüfen',
      fields: [
        { field: 'walk_in_rows', message: 'zu groß' },
        { field: 'colour', message: 'Unbekannte Option' },
        { field: 'name', message: 'Bitte Namen' },
      ],
    };
    expect(exportErrors(err, specs)).toEqual({
      fields: { walk_in_rows: 'zu groß' },
      general: ['Unbekannte Option', 'Bitte Namen'],
    });
    expect(exportErrors(err, specs, ['name']).fields).toEqual({ walk_in_rows: 'zu groß', name: 'Bitte Namen' });
    expect(exportErrors({ kind: 'not_found', message: 'Veranstaltung fehlt', fields: [] }, specs)).toEqual({
      fields: {},
      general: ['Veranstaltung fehlt'],
    });
    expect(exportErrors(new Error('kaputt'), specs).general).toEqual(['Unerwarteter Fehler: kaputt']);
  });

  it('names filters and finds profiles like the core', () => {
    expect(filterName('csv')).toBe('CSV');
    expect(filterName('xlsx')).toBe('Excel');
    const profiles = [{ name: 'Presse' }, { name: 'Intern' }];
    expect(findProfile(profiles, ' presse ')).toEqual({ name: 'Presse' });
    expect(findProfile(profiles, 'x')).toBeUndefined();
  });
});
