import { describe, expect, it } from 'vitest';
import type { Organisation } from './api/bindings/Organisation';
import type { OrganisationMergePlan } from './api/bindings/OrganisationMergePlan';
import {
  NO_ORG_FILTER,
  addTown,
  areaOptions,
  autoArea,
  cleanOrganisation,
  emptyOrganisation,
  filterOrganisations,
  hasArea,
  orgMergeRows,
  orgMergeSummary,
  organisationToInput,
  partnershipText,
  removeTown,
  townText,
  townsWithoutName,
  withOrgChoice,
} from './organisations';

const org = (id: number, name: string, extra: Partial<Organisation> = {}): Organisation => ({
  id,
  uid: `u${id}`,
  name,
  kind: 'kommune',
  ort: '',
  kreis: '',
  partner_towns: [],
  person_count: 0,
  ags: null,
  area_label: null,
  ...extra,
});

const huerth = org(1, 'Stadt Hürth', {
  ort: 'Hürth',
  kreis: 'Rhein-Erft-Kreis',
  partner_towns: [{ town: 'Peremyshlyany', country: 'Ukraine' }],
  person_count: 3,
});
const duisburg = org(2, 'Stadt Duisburg', { ort: 'Duisburg', partner_towns: [{ town: 'Kryvyi Rih', country: 'Ukraine' }] });
const verein = org(3, 'Partnerschaftskomitee Köln–Kattowitz', { kind: 'verein', ort: 'Köln' });

describe('partner towns', () => {
  it('shows partnerships as the office writes them', () => {
    const t = { town: 'Peremyshlyany', country: 'Ukraine' };
    expect(partnershipText('Hürth', t)).toBe('Hürth – Peremyshlyany (Ukraine)');
    expect(partnershipText(' ', t)).toBe('Peremyshlyany (Ukraine)');
    expect(townText({ town: 'Nową Sól', country: ' ' })).toBe('Nową Sól');
  });

  it('adds, removes and cleans rows', () => {
    const towns = addTown([{ town: 'A', country: 'X' }]);
    expect(towns).toEqual([
      { town: 'A', country: 'X' },
      { town: '', country: '' },
    ]);
    expect(removeTown(towns, 0)).toEqual([{ town: '', country: '' }]);
    const input = {
      ...emptyOrganisation(),
      name: ' Stadt Hürth ',
      partner_towns: [
        { town: ' Peremyshlyany ', country: ' Ukraine ' },
        { town: ' ', country: '' },
        { town: '', country: 'Polen' },
      ],
    };
    expect(townsWithoutName(input.partner_towns)).toEqual([2]);
    expect(cleanOrganisation(input)).toEqual({
      name: 'Stadt Hürth',
      kind: 'kommune',
      ort: '',
      kreis: '',
      partner_towns: [
        { town: 'Peremyshlyany', country: 'Ukraine' },
        { town: '', country: 'Polen' },
      ],
      ags: '',
    });
    // Only Kommunen and Kreise keep an entry.
    expect(cleanOrganisation({ ...input, kind: 'verein', ags: '05362028' }).ags).toBe('');
    expect(cleanOrganisation({ ...input, ags: '05362028' }).ags).toBe('05362028');
  });

  it('copies a stored organisation into a form', () => {
    const input = organisationToInput(huerth);
    expect(input).toEqual({
      name: 'Stadt Hürth',
      kind: 'kommune',
      ort: 'Hürth',
      kreis: 'Rhein-Erft-Kreis',
      partner_towns: [{ town: 'Peremyshlyany', country: 'Ukraine' }],
      ags: '',
    });
    input.partner_towns[0].town = 'x';
    expect(huerth.partner_towns[0].town).toBe('Peremyshlyany');
  });
});

describe('official entry (Kommune/Kreis)', () => {
  const reference = {
    kommunen: [
      { ags: '05362028', name: 'Hürth', bezeichnung: 'Stadt', kreisfrei: false, kreis: '05362', regierungsbezirk: 'Köln' },
      { ags: '05315000', name: 'Köln', bezeichnung: 'Stadt', kreisfrei: true, kreis: '', regierungsbezirk: 'Köln' },
    ],
    kreise: [{ key: '05362', name: 'Rhein-Erft-Kreis', sitz: 'Bergheim', regierungsbezirk: 'Köln' }],
    stand: '2021-11-30',
    source: 'Destatis',
  };

  it('applies to Kommunen and Kreise only', () => {
    expect(hasArea('kommune')).toBe(true);
    expect(hasArea('kreis')).toBe(true);
    expect(hasArea('verein')).toBe(false);
  });

  it('takes the only candidate, leaves a choice open and keeps a choice made by hand', () => {
    const one = [{ ags: '05362028', label: 'Hürth (Rhein-Erft-Kreis)' }];
    const two = [...one, { ags: '05315000', label: 'Köln (kreisfreie Stadt)' }];
    expect(autoArea('', false, one)).toBe('05362028');
    expect(autoArea('05362028', false, two)).toBe('');
    expect(autoArea('05315000', true, one)).toBe('05315000');
    expect(autoArea('', true, one)).toBe('');
  });

  it('lists every entry of the kind with its Kreis', () => {
    expect(areaOptions('kommune', reference)).toEqual([
      { value: '05362028', label: 'Hürth (Rhein-Erft-Kreis)' },
      { value: '05315000', label: 'Köln (kreisfreie Stadt)' },
    ]);
    expect(areaOptions('kreis', reference)).toEqual([{ value: '05362', label: 'Rhein-Erft-Kreis' }]);
    expect(areaOptions('verein', reference)).toEqual([]);
    expect(areaOptions('kommune', null)).toEqual([]);
  });
});

describe('organisation filter', () => {
  const all = [huerth, duisburg, verein];
  const ids = (f: typeof NO_ORG_FILTER) => filterOrganisations(all, f).map((o) => o.id);

  it('searches name, Ort, Kreis and partner towns without diacritics', () => {
    expect(ids(NO_ORG_FILTER)).toEqual([1, 2, 3]);
    expect(ids({ text: 'hurth', kind: 'alle' })).toEqual([1]);
    expect(ids({ text: 'koln', kind: 'alle' })).toEqual([3]);
    expect(ids({ text: 'ukraine', kind: 'alle' })).toEqual([1, 2]);
    expect(ids({ text: 'rhein-erft', kind: 'alle' })).toEqual([1]);
    expect(ids({ text: 'stadt kryvyi', kind: 'alle' })).toEqual([2]);
    expect(ids({ text: 'Partnerschaftskomitee', kind: 'alle' })).toEqual([3]);
  });

  it('filters by kind', () => {
    expect(ids({ text: '', kind: 'verein' })).toEqual([3]);
    expect(ids({ text: 'stadt', kind: 'verein' })).toEqual([]);
  });
});

describe('organisation merge', () => {
  const plan = (patch: Partial<OrganisationMergePlan> = {}): OrganisationMergePlan => ({
    keep: org(1, 'Partnerschaftskomitee Hürth', { kind: 'sonstige' }),
    remove: org(2, 'Partnerschaftskomitee Hürth e.V.', { kind: 'verein', ort: 'Hürth' }),
    choices: { name: 'keep', kind: 'remove', ort: 'remove', kreis: 'keep' },
    result: { name: 'Partnerschaftskomitee Hürth', kind: 'verein', ort: 'Hürth', kreis: '', partner_towns: [] },
    persons_moved: 2,
    registrations_moved: 0,
    ...patch,
  });

  it('lists the four fields with both values, the choice, and nothing to choose where they agree', () => {
    const rows = orgMergeRows(plan());
    expect(rows.map((r) => [r.field, r.keep, r.remove, r.chosen, r.same])).toEqual([
      ['name', 'Partnerschaftskomitee Hürth', 'Partnerschaftskomitee Hürth e.V.', 'keep', false],
      ['kind', 'Sonstige', 'Verein/Partnerschaftskomitee', 'remove', false],
      ['ort', '', 'Hürth', 'remove', false],
      ['kreis', '', '', 'keep', true],
    ]);
    expect(withOrgChoice(plan().choices, 'name', 'remove').name).toBe('remove');
  });

  it('says what moves, in German singular and plural', () => {
    expect(orgMergeSummary(plan())).toBe(
      '2 Personen wechseln zu „Partnerschaftskomitee Hürth“; „Partnerschaftskomitee Hürth e.V.“ entfällt.',
    );
    expect(orgMergeSummary(plan({ persons_moved: 1 }))).toContain('1 Person wechselt zu');
    expect(orgMergeSummary(plan({ persons_moved: 0, registrations_moved: 3 }))).toContain(
      '0 Personen und 3 anonymisierte Anmeldungen wechseln',
    );
  });
});
