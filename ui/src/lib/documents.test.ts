import { describe, expect, it } from 'vitest';
import type { BadgeLayout } from './api/bindings/BadgeLayout';
import type { RegistrationCounts } from './api/bindings/RegistrationCounts';
import {
  badgeCount,
  badgePreview,
  badgeRequest,
  certificateMailMessage,
  certificatePreview,
  defaultBadgeForm,
  folderOf,
  parseBlank,
} from './documents';

const layout = (id: string, columns: number, rows: number): BadgeLayout => ({
  id,
  label: id,
  columns,
  rows,
  width: 90,
  height: 55,
  left: 15,
  top: 38.5,
  step_x: 90,
  step_y: 55,
  cut_marks: true,
  radius: 0,
});
const layouts = [layout('a4-8-90x55', 2, 4), layout('avery-l4785', 2, 5)];

const counts = (active: number, anwesend: number): RegistrationCounts => ({
  angemeldet: active,
  nachgerueckt: 0,
  warteliste: 0,
  storniert: 0,
  abgelehnt: 0,
  active,
  anwesend,
  free_places: null,
});

describe('badge options', () => {
  it('start with the first layout, everyone registered, roles and no blanks', () => {
    expect(defaultBadgeForm(layouts)).toEqual({ layout: 'a4-8-90x55', onlyPresent: false, roles: true, blank: '0' });
  });

  it('read the number of blank badges or explain what is wrong', () => {
    expect(parseBlank('')).toEqual({ value: 0 });
    expect(parseBlank(' 12 ')).toEqual({ value: 12 });
    expect(parseBlank('200')).toEqual({ value: 200 });
    expect(parseBlank('201')).toEqual({ error: 'Höchstens 200 leere Namensschilder auf einmal.' });
    for (const bad of ['abc', '-1', '2,5', '1e3']) {
      expect(parseBlank(bad)).toEqual({ error: 'Bitte eine ganze Zahl angeben (0 für keine).' });
    }
  });

  it('build the request for the whole event or the field error', () => {
    const form = { layout: 'avery-l4785', onlyPresent: true, roles: false, blank: '4' };
    expect(badgeRequest(7, form)).toEqual({
      request: { event_id: 7, layout: 'avery-l4785', only_present: true, registration_ids: null, blank: 4, roles: false },
    });
    expect(badgeRequest(7, form, [4, 2])).toEqual({
      request: { event_id: 7, layout: 'avery-l4785', only_present: false, registration_ids: [4, 2], blank: 4, roles: false },
    });
    expect(badgeRequest(7, { ...form, blank: 'x' })).toEqual({
      errors: { blank: 'Bitte eine ganze Zahl angeben (0 für keine).' },
    });
  });

  it('count badges and sheets of the chosen layout', () => {
    const form = defaultBadgeForm(layouts);
    expect(badgeCount(counts(23, 20), form)).toBe(23);
    expect(badgeCount(counts(23, 20), { ...form, onlyPresent: true, blank: '5' })).toBe(25);
    expect(badgePreview(counts(23, 20), form, layouts)).toBe('23 Namensschilder auf 3 Bögen');
    expect(badgePreview(counts(1, 0), form, layouts)).toBe('1 Namensschild auf 1 Bogen');
    expect(badgePreview(counts(23, 20), { ...form, layout: 'avery-l4785' }, layouts)).toBe(
      '23 Namensschilder auf 3 Bögen',
    );
    expect(badgePreview(counts(20, 20), { ...form, layout: 'avery-l4785' }, layouts)).toBe(
      '20 Namensschilder auf 2 Bögen',
    );
    expect(badgePreview(counts(5, 0), { ...form, onlyPresent: true }, layouts)).toBe('');
    expect(badgePreview(counts(1200, 0), form, layouts)).toBe('1.200 Namensschilder auf 150 Bögen');
    // A selection from the table counts itself, whoever is checked in.
    expect(badgePreview(counts(23, 0), { ...form, onlyPresent: true }, layouts, [1, 2, 3])).toBe(
      '3 Namensschilder auf 1 Bogen',
    );
  });
});

describe('certificates', () => {
  it('say how many pages and when nobody is present', () => {
    expect(certificatePreview(counts(30, 25))).toBe(
      '25 Teilnahmebescheinigungen (eine Seite je anwesender Person)',
    );
    expect(certificatePreview(counts(30, 1))).toBe('1 Teilnahmebescheinigung (eine Seite je anwesender Person)');
    expect(certificatePreview(counts(30, 0))).toBe('Noch niemand ist als anwesend erfasst.');
    expect(certificatePreview(counts(30, 20), [5, 6])).toBe(
      '2 Teilnahmebescheinigungen (eine Seite je anwesender Person)',
    );
  });

  it('write one PDF per person into the folder of the chosen path', () => {
    expect(folderOf('/home/anna/Dokumente/x.pdf')).toBe('/home/anna/Dokumente');
    expect(folderOf('C:\\Users\\Anna\\Documents\\x.pdf')).toBe('C:\\Users\\Anna\\Documents');
    expect(folderOf('/x.pdf')).toBe('/');
    expect(folderOf('x.pdf')).toBe('.');
  });
});

describe('certificateMailMessage', () => {
  it('counts the queued mails and explains when none was queued', () => {
    expect(certificateMailMessage(1)).toBe('1 Teilnahmebescheinigung mit PDF im Anhang in den Postausgang gelegt.');
    expect(certificateMailMessage(12)).toBe('12 Teilnahmebescheinigungen mit PDF im Anhang in den Postausgang gelegt.');
    expect(certificateMailMessage(0)).toContain('Keine neue Teilnahmebescheinigung');
  });
});
