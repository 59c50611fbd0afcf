import { describe, expect, it } from 'vitest';
import type { ExportProfile } from './api/bindings/ExportProfile';
import type { ExporterInfo } from './api/bindings/ExporterInfo';
import type { OptionSpec } from './api/bindings/OptionSpec';
import { ExportChoice } from './export-choice.svelte';

const spec = (s: Partial<OptionSpec> & Pick<OptionSpec, 'key' | 'kind' | 'default'>): OptionSpec => ({
  label: s.key,
  help: '',
  choices: [],
  min: null,
  max: null,
  ...s,
});
const stats = spec({ key: 'statistics', kind: 'bool', default: false });
const rows = spec({ key: 'walk_in_rows', kind: 'number', default: 10, min: 0, max: 200 });
const participants: ExporterInfo = { id: 'participants', label: 'Teilnehmende', description: '', options: [stats] };
const attendance: ExporterInfo = { id: 'attendance', label: 'Anwesenheit', description: '', options: [rows] };
const profile = (id: number, name: string, options: Record<string, unknown>): ExportProfile =>
  ({ id, exporter_id: 'participants', name, options }) as unknown as ExportProfile;

function choice(profiles: Record<string, ExportProfile[]> = {}): ExportChoice {
  const c = new ExportChoice(async (id) => profiles[id] ?? []);
  c.exporters = [participants, attendance];
  return c;
}

describe('ExportChoice', () => {
  it('starts an exporter from its defaults and loads its profiles', async () => {
    const c = choice({ participants: [profile(1, 'Presse', { statistics: true })] });
    await c.chooseExporter('participants');
    expect(c.exporter?.id).toBe('participants');
    expect(c.form).toEqual({ statistics: false });
    expect(c.profiles.map((p) => p.name)).toEqual(['Presse']);
  });

  it('loads a profile, notices a change against it and goes back to the defaults', async () => {
    const c = choice({ participants: [profile(1, 'Presse', { statistics: true })] });
    await c.chooseExporter('participants');
    c.chooseProfile('Presse');
    expect(c.form.statistics).toBe(true);
    expect(c.newProfileName).toBe('Presse');
    expect(c.profileChanged).toBe(false);
    c.setValue('statistics', false);
    expect(c.profileChanged).toBe(true);
    c.chooseProfile('');
    expect(c.loadedProfile).toBeUndefined();
    expect(c.form).toEqual({ statistics: false });
  });

  it('keeps only the answer for the exporter shown now when the user switches quickly', async () => {
    let release: (p: ExportProfile[]) => void = () => {};
    const c = new ExportChoice((id) =>
      id === 'participants' ? new Promise((resolve) => (release = resolve)) : Promise.resolve([]),
    );
    c.exporters = [participants, attendance];
    const slow = c.chooseExporter('participants');
    await c.chooseExporter('attendance');
    release([profile(1, 'Alt', {})]);
    await slow;
    expect(c.exporterId).toBe('attendance');
    expect(c.profiles).toEqual([]);
  });

  it('refuses invalid values with the error at the option, and a new value clears it', async () => {
    const c = choice();
    await c.chooseExporter('attendance');
    c.setValue('walk_in_rows', '500');
    expect(c.checkedOptions()).toBeNull();
    expect(Object.keys(c.errors)).toEqual(['walk_in_rows']);
    c.setValue('walk_in_rows', '12');
    expect(c.errors).toEqual({});
    expect(c.checkedOptions()).toEqual({ walk_in_rows: 12 });
  });
});
