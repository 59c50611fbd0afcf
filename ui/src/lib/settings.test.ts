import { describe, expect, it } from 'vitest';
import type { OfficeSettings } from './api/bindings/OfficeSettings';
import { afterSave, sectionChanged, sectionToSettings, settingsToForm } from './settings';

const stored: OfficeSettings = {
  organisation_name: 'Netzwerkstelle Städtepartnerschaften NRW',
  organisation_address: 'Steinstraße 48\n44147 Dortmund',
  funding_note: '',
  retention_months: 24,
  backup_folder: null,
  backup_encrypted: false,
};

describe('settings form', () => {
  it('round-trips stored settings through the form', () => {
    const form = settingsToForm(stored);
    expect(form.retention_months).toBe('24');
    expect(form.backup_folder).toBe('');
    const parsed = sectionToSettings('backups', form, stored);
    expect(parsed).toEqual({ ok: true, settings: stored });
  });

  it('saves only the fields of the section, keeping other sections as stored', () => {
    const form = {
      ...settingsToForm(stored),
      organisation_name: 'Partnerschaftsverein Musterstadt',
      backup_folder: '  /media/usb/Sicherungen ',
      backup_encrypted: true,
    };
    const backups = sectionToSettings('backups', form, stored);
    expect(backups.ok && backups.settings.backup_folder).toBe('/media/usb/Sicherungen');
    expect(backups.ok && backups.settings.backup_encrypted).toBe(true);
    expect(backups.ok && backups.settings.organisation_name).toBe(stored.organisation_name);
    const organisation = sectionToSettings('organisation', form, stored);
    expect(organisation.ok && organisation.settings.organisation_name).toBe(
      'Partnerschaftsverein Musterstadt',
    );
    expect(organisation.ok && organisation.settings.backup_folder).toBeNull();
  });

  it('reads the retention period as whole months and says so in German otherwise', () => {
    const form = { ...settingsToForm(stored), retention_months: ' 36 ' };
    const ok = sectionToSettings('privacy', form, stored);
    expect(ok.ok && ok.settings.retention_months).toBe(36);
    for (const bad of ['', 'zwei Jahre', '2,5', '-3']) {
      const parsed = sectionToSettings('privacy', { ...form, retention_months: bad }, stored);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.errors.retention_months).toMatch(/ganze Zahl von Monaten/);
    }
    // Another section does not trip over an unfinished retention entry.
    const other = sectionToSettings('organisation', { ...form, retention_months: 'x' }, stored);
    expect(other.ok && other.settings.retention_months).toBe(24);
  });

  it('knows which section has unsaved changes and keeps them after another section saves', () => {
    const form = { ...settingsToForm(stored), funding_note: 'Gefördert vom Land NRW', retention_months: '12' };
    expect(sectionChanged('organisation', form, stored)).toBe(true);
    expect(sectionChanged('privacy', form, stored)).toBe(true);
    expect(sectionChanged('backups', form, stored)).toBe(false);
    expect(sectionChanged('organisation', { ...settingsToForm(stored), organisation_name: ` ${stored.organisation_name} ` }, stored)).toBe(false);
    const saved = { ...stored, funding_note: 'Gefördert vom Land NRW' };
    const next = afterSave('organisation', form, saved);
    expect(sectionChanged('organisation', next, saved)).toBe(false);
    expect(next.retention_months).toBe('12');
  });
});
