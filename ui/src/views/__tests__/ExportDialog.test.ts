import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Event } from '$lib/api/bindings/Event';
import type { ExporterInfo } from '$lib/api/bindings/ExporterInfo';
import type { ExportProfile } from '$lib/api/bindings/ExportProfile';

const api = vi.hoisted(() => ({
  listExporters: vi.fn(),
  listExportProfiles: vi.fn(),
  planExport: vi.fn(),
  exportToFile: vi.fn(),
  saveExportProfile: vi.fn(),
  deleteExportProfile: vi.fn(),
  openExport: vi.fn(),
}));
const dialog = vi.hoisted(() => ({ save: vi.fn() }));
vi.mock('$lib/api/commands', () => api);
vi.mock('@tauri-apps/plugin-dialog', () => dialog);

import ExportDialog from '../event/ExportDialog.svelte';

const exporters: ExporterInfo[] = [
  {
    id: 'participants',
    label: 'Teilnehmendenliste',
    description: 'Eine Zeile je Anmeldung.',
    options: [
      {
        key: 'columns',
        label: 'Spalten',
        help: '',
        kind: 'columns',
        default: ['first_name', 'last_name'],
        choices: [
          { value: 'nr', label: 'Nr.' },
          { value: 'first_name', label: 'Vorname' },
          { value: 'last_name', label: 'Nachname' },
        ],
        min: null,
        max: null,
      },
      {
        key: 'format',
        label: 'Dateiformat',
        help: '',
        kind: 'choice',
        default: 'xlsx',
        choices: [
          { value: 'xlsx', label: 'Excel' },
          { value: 'csv', label: 'CSV' },
        ],
        min: null,
        max: null,
      },
    ],
  },
  {
    id: 'attendance',
    label: 'Anwesenheitsliste',
    description: 'Zum Unterschreiben.',
    options: [
      { key: 'photo_consent', label: 'Foto', help: '', kind: 'bool', default: false, choices: [], min: null, max: null },
      { key: 'walk_in_rows', label: 'Leerzeilen', help: 'Am Ende.', kind: 'number', default: 10, choices: [], min: 0, max: 200 },
    ],
  },
];

const profile: ExportProfile = {
  id: 5,
  uid: 'u',
  exporter_id: 'attendance',
  name: 'Mit Foto',
  options: { photo_consent: true, walk_in_rows: 3 },
  created_at: '',
  updated_at: '',
};

const event = { id: 7, title: '13. Forum Städtepartnerschaften NRW' } as Event;

beforeAll(() => {
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close = function (this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});

beforeEach(() => {
  vi.resetAllMocks();
  api.listExporters.mockResolvedValue(exporters);
  api.listExportProfiles.mockImplementation((id: string) => Promise.resolve(id === 'attendance' ? [profile] : []));
  api.planExport.mockResolvedValue({ file_name: 'a.xlsx', extension: 'xlsx', preset_path: '/tmp/out/a.xlsx' });
  api.exportToFile.mockResolvedValue({ path: '/tmp/out/a.xlsx', rows: 3, bytes: 100, message: 'Liste mit 3 Einträgen gespeichert.' });
  api.openExport.mockResolvedValue(null);
});

afterEach(cleanup);

async function setup() {
  render(ExportDialog, { props: { open: true, event, onclose: vi.fn() } });
  await waitFor(() => expect(screen.getByTestId('export-exporter-participants')).toBeTruthy());
}

const byId = <T extends HTMLElement>(id: string) => screen.getByTestId(id) as T;

describe('ExportDialog', () => {
  it('exports with the form options to the preset path and opens the result', async () => {
    await setup();
    await fireEvent.click(byId('export-option-columns-nr'));
    await fireEvent.click(byId('export-option-columns-nr-up'));
    await fireEvent.click(byId('export-option-format-csv'));
    await fireEvent.click(byId('export-submit'));
    await waitFor(() => expect(screen.getByTestId('export-result').textContent).toContain('/tmp/out/a.xlsx'));
    const request = {
      exporter_id: 'participants',
      event_id: 7,
      profile: null,
      options: { columns: ['first_name', 'nr', 'last_name'], format: 'csv' },
    };
    expect(api.planExport).toHaveBeenCalledWith(request);
    expect(api.exportToFile).toHaveBeenCalledWith(request, '/tmp/out/a.xlsx');
    expect(dialog.save).not.toHaveBeenCalled();
    expect(byId('export-result').textContent).toContain('Liste mit 3 Einträgen gespeichert.');
    await fireEvent.click(byId('export-open-folder'));
    expect(api.openExport).toHaveBeenCalledWith('/tmp/out/a.xlsx', true);
    await fireEvent.click(byId('export-open-file'));
    expect(api.openExport).toHaveBeenCalledWith('/tmp/out/a.xlsx', false);
  });

  it('asks for the target without a preset and does nothing when cancelled', async () => {
    api.planExport.mockResolvedValue({ file_name: 'b.csv', extension: 'csv', preset_path: null });
    dialog.save.mockResolvedValue(null);
    await setup();
    await fireEvent.click(byId('export-submit'));
    await waitFor(() => expect(dialog.save).toHaveBeenCalled());
    expect(dialog.save).toHaveBeenCalledWith({ defaultPath: 'b.csv', filters: [{ name: 'CSV', extensions: ['csv'] }] });
    expect(api.exportToFile).not.toHaveBeenCalled();
    expect(screen.queryByTestId('export-result')).toBeNull();
    await waitFor(() => expect(byId<HTMLButtonElement>('export-submit').disabled).toBe(false));
  });

  it('loads a profile, checks numbers itself and shows core errors next to the option', async () => {
    await setup();
    await fireEvent.click(byId('export-exporter-attendance'));
    await waitFor(() => expect(screen.getByText('Mit Foto')).toBeTruthy());
    const select = byId<HTMLSelectElement>('export-profile');
    select.value = 'Mit Foto';
    await fireEvent.change(select);
    expect(byId<HTMLInputElement>('export-option-photo_consent').checked).toBe(true);
    const rows = byId<HTMLInputElement>('export-option-walk_in_rows');
    expect(rows.value).toBe('3');

    rows.value = '500';
    await fireEvent.input(rows);
    expect(screen.getByTestId('export-profile-changed')).toBeTruthy();
    await fireEvent.click(byId('export-submit'));
    await waitFor(() => expect(screen.getByTestId('field-error-walk_in_rows').textContent).toContain('von 0 bis 200'));
    expect(api.planExport).not.toHaveBeenCalled();

    rows.value = '4';
    await fireEvent.input(rows);
    api.planExport.mockRejectedValue({
      kind: 'validation',
      message: 'Bitte prüfen',
      fields: [{ field: 'photo_consent', message: 'Nicht möglich.' }],
    });
    await fireEvent.click(byId('export-submit'));
    await waitFor(() => expect(screen.getByTestId('field-error-photo_consent').textContent).toBe('Nicht möglich.'));
  });

  it('saves a profile under a name and shows the name error of the core', async () => {
    await setup();
    api.saveExportProfile.mockRejectedValueOnce({
      kind: 'validation',
      message: 'Bitte prüfen',
      fields: [{ field: 'name', message: 'Bitte geben Sie dem Profil einen Namen.' }],
    });
    await fireEvent.click(byId('export-profile-save'));
    await waitFor(() => expect(screen.getByTestId('field-error-name')).toBeTruthy());

    api.saveExportProfile.mockResolvedValue({ ...profile, exporter_id: 'participants', name: 'Presse' });
    api.listExportProfiles.mockResolvedValue([{ ...profile, exporter_id: 'participants', name: 'Presse' }]);
    const name = byId<HTMLInputElement>('export-profile-name');
    name.value = 'Presse';
    await fireEvent.input(name);
    await fireEvent.click(byId('export-profile-save'));
    await waitFor(() => expect(byId<HTMLSelectElement>('export-profile').value).toBe('Presse'));
    expect(api.saveExportProfile).toHaveBeenLastCalledWith('participants', 'Presse', {
      columns: ['first_name', 'last_name'],
      format: 'xlsx',
    });
    expect(screen.queryByTestId('field-error-name')).toBeNull();
  });
});
