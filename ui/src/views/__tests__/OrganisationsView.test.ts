import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Organisation } from '$lib/api/bindings/Organisation';

const api = vi.hoisted(() => ({
  listOrganisations: vi.fn(),
  createOrganisation: vi.fn(),
  updateOrganisation: vi.fn(),
  organisationAreaCandidates: vi.fn(),
  municipalityReference: vi.fn(),
  organisationDuplicatePairs: vi.fn(),
}));
vi.mock('$lib/api/commands', () => api);

import OrganisationsView from '../OrganisationsView.svelte';

const huerth: Organisation = {
  id: 1,
  uid: 'a',
  name: 'Stadt Hürth',
  kind: 'kommune',
  ort: 'Hürth',
  kreis: 'Rhein-Erft-Kreis',
  partner_towns: [{ town: 'Peremyshlyany', country: 'Ukraine' }],
  person_count: 2,
  ags: '05362028',
  area_label: 'Hürth (Rhein-Erft-Kreis)',
};
const verein: Organisation = {
  id: 2,
  uid: 'b',
  name: 'Partnerschaftsverein Köln',
  kind: 'verein',
  ort: 'Köln',
  kreis: '',
  partner_towns: [],
  person_count: 0,
  ags: null,
  area_label: null,
};

beforeAll(() => {
  // jsdom has no layout; the form scrolls itself into view when opened.
  Element.prototype.scrollIntoView = () => {};
});

beforeEach(() => {
  vi.resetAllMocks();
  api.listOrganisations.mockResolvedValue([huerth, verein]);
  api.organisationDuplicatePairs.mockResolvedValue([]);
  api.organisationAreaCandidates.mockResolvedValue([]);
  api.municipalityReference.mockResolvedValue({ kommunen: [], kreise: [], stand: '2021-11-30', source: 'Destatis' });
});
afterEach(cleanup);

const byId = <T extends HTMLElement>(id: string) => screen.getByTestId(id) as T;

async function type(id: string, text: string) {
  const input = byId<HTMLInputElement>(id);
  input.value = text;
  await fireEvent.input(input);
}

describe('OrganisationsView', () => {
  it('sorts by the kind shown under the name (extra header button)', async () => {
    render(OrganisationsView);
    await waitFor(() => expect(screen.getByTestId('organisation-row-1')).toBeTruthy());
    const order = () => screen.getAllByTestId(/^organisation-row-\d+$/).map((r) => r.dataset.testid);
    expect(order()).toEqual(['organisation-row-2', 'organisation-row-1']);
    await fireEvent.click(byId('organisations-table-sort-kind'));
    expect(order()).toEqual(['organisation-row-1', 'organisation-row-2']);
    expect(byId('organisations-table-sort-kind').closest('th')?.getAttribute('aria-sort')).toBe('ascending');
  });

  it('lists organisations with kind, partner towns and members, and filters', async () => {
    render(OrganisationsView);
    await waitFor(() => expect(screen.getByTestId('organisation-row-1')).toBeTruthy());
    expect(byId('organisation-kind-1').textContent).toBe('Kommune');
    expect(byId('organisation-kind-2').textContent).toBe('Verein/Partnerschaftskomitee');
    expect(byId('organisation-partners-1').textContent).toBe('Hürth – Peremyshlyany (Ukraine)');
    expect(byId('organisation-persons-1').textContent).toBe('2');
    expect(byId('organisations-count').textContent?.trim()).toBe('2 Organisationen');
    await type('organisations-search', 'koln');
    await waitFor(() => expect(screen.queryByTestId('organisation-row-1')).toBeNull());
    expect(byId('organisations-count').textContent?.trim()).toBe('1 von 2 Organisationen');
    const kind = byId<HTMLSelectElement>('organisations-filter-kind');
    kind.value = 'kommune';
    await fireEvent.change(kind);
    await waitFor(() => expect(screen.getByTestId('organisations-table-empty')).toBeTruthy());
  });

  it('offers the official entry: the only match is taken, several are a choice', async () => {
    api.municipalityReference.mockResolvedValue({
      kommunen: [
        { ags: '05362028', name: 'Hürth', bezeichnung: 'Stadt', kreisfrei: false, kreis: '05362', regierungsbezirk: 'Köln' },
      ],
      kreise: [{ key: '05362', name: 'Rhein-Erft-Kreis', sitz: 'Bergheim', regierungsbezirk: 'Köln' }],
      stand: '2021-11-30',
      source: 'Destatis',
    });
    render(OrganisationsView);
    await waitFor(() => expect(screen.getByTestId('organisation-row-1')).toBeTruthy());
    expect(byId('organisation-area-1').textContent).toContain('Hürth (Rhein-Erft-Kreis)');
    await fireEvent.click(byId('organisation-new'));
    api.organisationAreaCandidates.mockResolvedValue([{ ags: '05362028', label: 'Hürth (Rhein-Erft-Kreis)' }]);
    await type('organisation-form-name', 'Stadt Hürth');
    await waitFor(() => expect(byId<HTMLSelectElement>('organisation-form-ags').value).toBe('05362028'));
    api.organisationAreaCandidates.mockResolvedValue([
      { ags: '05362028', label: 'Hürth (Rhein-Erft-Kreis)' },
      { ags: '05315000', label: 'Köln (kreisfreie Stadt)' },
    ]);
    await type('organisation-form-name', 'Stadt H');
    await waitFor(() => expect(byId<HTMLSelectElement>('organisation-form-ags').value).toBe(''));
    expect(screen.getByText('2 Einträge passen – bitte auswählen')).toBeTruthy();
    // A Verein has no entry.
    const kind = byId<HTMLSelectElement>('organisation-form-kind');
    kind.value = 'verein';
    await fireEvent.change(kind);
    await waitFor(() => expect(screen.queryByTestId('organisation-form-ags')).toBeNull());
  });

  it('creates an organisation with partner towns and shows field errors', async () => {
    render(OrganisationsView);
    await waitFor(() => expect(screen.getByTestId('organisation-row-1')).toBeTruthy());
    await fireEvent.click(byId('organisation-new'));
    await type('organisation-form-name', 'Stadt Duisburg');
    await type('organisation-form-ort', 'Duisburg');
    await fireEvent.click(byId('partner-town-add'));
    await type('partner-town-0-country', 'Ukraine');
    await fireEvent.click(byId('partner-town-add'));
    await fireEvent.click(byId('partner-town-add'));
    await fireEvent.click(byId('partner-town-2-remove'));
    expect(screen.queryByTestId('partner-town-2')).toBeNull();

    api.createOrganisation.mockRejectedValueOnce({
      kind: 'validation',
      message: 'Bitte prüfen',
      fields: [{ field: 'partner_towns', message: 'Jede Partnerstadt braucht einen Namen.' }],
    });
    await fireEvent.submit(byId('organisation-form'));
    await waitFor(() => expect(screen.getByTestId('field-error-partner_towns')).toBeTruthy());
    expect(byId('partner-town-0-town').getAttribute('aria-invalid')).toBe('true');
    expect(api.createOrganisation).toHaveBeenCalledWith({
      name: 'Stadt Duisburg',
      kind: 'kommune',
      ort: 'Duisburg',
      kreis: '',
      partner_towns: [{ town: '', country: 'Ukraine' }],
      ags: '',
    });

    await type('partner-town-0-town', 'Kryvyi Rih');
    api.createOrganisation.mockResolvedValue({ ...huerth, id: 3, name: 'Stadt Duisburg' });
    await fireEvent.submit(byId('organisation-form'));
    await waitFor(() => expect(screen.queryByTestId('organisation-form')).toBeNull());
    expect(api.createOrganisation).toHaveBeenLastCalledWith(
      expect.objectContaining({ partner_towns: [{ town: 'Kryvyi Rih', country: 'Ukraine' }] }),
    );
    expect(api.listOrganisations).toHaveBeenCalledTimes(2);
  });

  it('edits an organisation', async () => {
    render(OrganisationsView);
    await waitFor(() => expect(screen.getByTestId('organisation-edit-1')).toBeTruthy());
    await fireEvent.click(byId('organisation-edit-1'));
    expect(byId<HTMLInputElement>('partner-town-0-town').value).toBe('Peremyshlyany');
    const kind = byId<HTMLSelectElement>('organisation-form-kind');
    kind.value = 'kreis';
    await fireEvent.change(kind);
    api.updateOrganisation.mockResolvedValue(huerth);
    await fireEvent.click(byId('organisation-form-save'));
    await waitFor(() => expect(api.updateOrganisation).toHaveBeenCalled());
    expect(api.updateOrganisation).toHaveBeenCalledWith(1, expect.objectContaining({ kind: 'kreis', name: 'Stadt Hürth' }));
  });
});
