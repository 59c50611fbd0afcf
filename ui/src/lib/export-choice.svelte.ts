// The export dialog's choice of exporter, profile and option values, with the form's errors:
// the state and its rules, apart from the dialog's layout (tested in export-choice.test.ts).

import type { ExportProfile } from './api/bindings/ExportProfile';
import type { ExportRequest } from './api/bindings/ExportRequest';
import type { ExporterInfo } from './api/bindings/ExporterInfo';
import type { OptionSpec } from './api/bindings/OptionSpec';
import type { FieldErrors } from './errors';
import {
  defaultForm,
  exportErrors,
  findProfile,
  optionForm,
  requestOptions,
  sameOptions,
  type FormValue,
  type OptionForm,
} from './exports';

/** Loads the saved profiles of an exporter (the `listExportProfiles` command). */
export type ProfileLoader = (exporterId: string) => Promise<ExportProfile[]>;

/** What the user chose in the export dialog. */
export class ExportChoice {
  exporters = $state<ExporterInfo[]>([]);
  exporterId = $state('');
  form = $state<OptionForm>({});
  profiles = $state<ExportProfile[]>([]);
  /** Name of the loaded profile ('' = the exporter's defaults). */
  profileName = $state('');
  /** Name typed for "Als Profil speichern". */
  newProfileName = $state('');
  errors = $state<FieldErrors>({});
  /** Errors that concern no single option. */
  general = $state<string[]>([]);

  readonly exporter = $derived(this.exporters.find((x) => x.id === this.exporterId) ?? null);
  readonly specs = $derived<OptionSpec[]>(this.exporter?.options ?? []);
  readonly loadedProfile = $derived(this.profileName ? findProfile(this.profiles, this.profileName) : undefined);
  /** The loaded profile was changed in the form (shown next to the profile select). */
  readonly profileChanged = $derived.by(() => {
    if (!this.loadedProfile) return false;
    const { options, errors } = requestOptions(this.specs, this.form);
    return Object.keys(errors).length > 0 || !sameOptions(options, this.loadedProfile.options);
  });

  constructor(private readonly loadProfileList: ProfileLoader) {}

  /** A new exporter starts from its defaults, without a profile. */
  async chooseExporter(id: string): Promise<void> {
    this.exporterId = id;
    const chosen = this.exporters.find((x) => x.id === id);
    this.form = chosen ? defaultForm(chosen) : {};
    this.profiles = [];
    this.profileName = '';
    this.newProfileName = '';
    this.clearErrors();
    await this.loadProfiles();
  }

  /** Reloads the profiles of the chosen exporter; a profile that disappeared is unloaded. */
  async loadProfiles(): Promise<void> {
    const id = this.exporterId;
    if (!id) return;
    const found = await this.loadProfileList(id);
    // A quick change of exporter: only the answer for the exporter shown now counts.
    if (id !== this.exporterId) return;
    this.profiles = found;
    if (this.profileName && !findProfile(this.profiles, this.profileName)) this.profileName = '';
  }

  /** Selecting a profile loads its options; '' ("Voreinstellungen") the exporter's defaults. */
  chooseProfile(name: string): void {
    this.profileName = name;
    const profile = name ? findProfile(this.profiles, name) : undefined;
    this.form = optionForm(this.specs, profile?.options ?? null);
    this.newProfileName = profile?.name ?? '';
    this.clearErrors();
  }

  /** A changed value clears that option's error. */
  setValue(key: string, value: FormValue): void {
    this.form[key] = value;
    if (this.errors[key]) {
      const rest = { ...this.errors };
      delete rest[key];
      this.errors = rest;
    }
  }

  /** The options of the form, or null after setting the form's own errors. */
  checkedOptions(): ExportRequest['options'] | null {
    const { options, errors } = requestOptions(this.specs, this.form);
    if (Object.keys(errors).length > 0) {
      this.errors = errors;
      this.general = [];
      return null;
    }
    return options;
  }

  /** Shows a core error next to its option (`own`: keys of fields outside the options). */
  showError(err: unknown, own: readonly string[] = []): void {
    const mapped = exportErrors(err, this.specs, own);
    this.errors = mapped.fields;
    this.general = mapped.general;
  }

  clearErrors(): void {
    this.errors = {};
    this.general = [];
  }
}
