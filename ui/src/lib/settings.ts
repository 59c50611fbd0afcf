// The "Einstellungen" screen's logic: the form of the office's settings, split into sections
// that save independently (a section sends its own fields plus the stored values of the others).
import type { OfficeSettings } from './api/bindings/OfficeSettings';
import type { FieldErrors } from './errors';

/** The settings as the form edits them (numbers and the optional folder as text). */
export interface SettingsForm {
  organisation_name: string;
  organisation_address: string;
  funding_note: string;
  retention_months: string;
  /** Empty: the default folder `Sicherungen` in the app data dir. */
  backup_folder: string;
  backup_encrypted: boolean;
}

/** The sections of the screen that save the office's settings, with their fields. */
export const SECTION_FIELDS = {
  organisation: ['organisation_name', 'organisation_address', 'funding_note'],
  privacy: ['retention_months'],
  backups: ['backup_folder', 'backup_encrypted'],
} as const satisfies Record<string, readonly (keyof SettingsForm)[]>;

/** One of the sections in [`SECTION_FIELDS`]. */
export type SettingsSection = keyof typeof SECTION_FIELDS;

/** The form filled from stored settings. */
export function settingsToForm(settings: OfficeSettings): SettingsForm {
  return {
    organisation_name: settings.organisation_name,
    organisation_address: settings.organisation_address,
    funding_note: settings.funding_note,
    retention_months: String(settings.retention_months),
    backup_folder: settings.backup_folder ?? '',
    backup_encrypted: settings.backup_encrypted,
  };
}

/** The result of reading a form: the settings to save or field errors (German). */
export type ParsedSettings =
  | { ok: true; settings: OfficeSettings }
  | { ok: false; errors: FieldErrors };

/**
 * The settings to save when `section` is saved: that section's fields from the form, every
 * other field as stored, so an unsaved edit in another section is neither saved nor lost.
 */
export function sectionToSettings(
  section: SettingsSection,
  form: SettingsForm,
  saved: OfficeSettings,
): ParsedSettings {
  const fields: readonly (keyof SettingsForm)[] = SECTION_FIELDS[section];
  const take = <K extends keyof SettingsForm>(key: K): boolean => fields.includes(key);
  let retention = saved.retention_months;
  if (take('retention_months')) {
    const text = form.retention_months.trim();
    if (!/^\d{1,4}$/.test(text)) {
      return {
        ok: false,
        errors: { retention_months: 'Bitte geben Sie die Frist als ganze Zahl von Monaten ein, z. B. 24.' },
      };
    }
    retention = Number(text);
  }
  const folder = form.backup_folder.trim();
  return {
    ok: true,
    settings: {
      organisation_name: take('organisation_name') ? form.organisation_name : saved.organisation_name,
      organisation_address: take('organisation_address')
        ? form.organisation_address
        : saved.organisation_address,
      funding_note: take('funding_note') ? form.funding_note : saved.funding_note,
      retention_months: retention,
      backup_folder: take('backup_folder') ? (folder === '' ? null : folder) : saved.backup_folder,
      backup_encrypted: take('backup_encrypted') ? form.backup_encrypted : saved.backup_encrypted,
    },
  };
}

/** Whether the form's fields of `section` differ from the stored settings. */
export function sectionChanged(
  section: SettingsSection,
  form: SettingsForm,
  saved: OfficeSettings,
): boolean {
  const stored = settingsToForm(saved);
  return SECTION_FIELDS[section].some((field) => {
    const a = form[field];
    const b = stored[field];
    return typeof a === 'string' && typeof b === 'string' ? a.trim() !== b.trim() : a !== b;
  });
}

/** The form after saving `section`: its fields as stored, the other sections' edits kept. */
export function afterSave(
  section: SettingsSection,
  form: SettingsForm,
  stored: OfficeSettings,
): SettingsForm {
  const fresh = settingsToForm(stored);
  const next = { ...form };
  for (const field of SECTION_FIELDS[section]) {
    (next as Record<string, unknown>)[field] = fresh[field];
  }
  return next;
}
