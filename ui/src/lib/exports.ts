// Pure logic of the export dialog (views/event/ExportDialog.svelte): a form generated from an
// exporter's option specs, saved profiles loaded into it, the request options built from it and
// the core's errors mapped back to the options.

import type { ExporterInfo } from './api/bindings/ExporterInfo';
import type { ExportRequest } from './api/bindings/ExportRequest';
import type { OptionChoice } from './api/bindings/OptionChoice';
import type { OptionSpec } from './api/bindings/OptionSpec';
import { fieldErrors, toErrorDto, type FieldErrors } from './errors';

/** Raw option values as the core takes them (option key → JSON value). */
export type RawOptions = ExportRequest['options'];

/**
 * The value of one option while it is edited: `bool` → boolean; `choice`, `text` and `number`
 * → the text in the field; `multi` → the chosen values in choice order; `columns` → the chosen
 * columns in their order.
 */
export type FormValue = boolean | string | string[];

/** The dialog's form: option key → value being edited. */
export type OptionForm = Record<string, FormValue>;

/** The value as a flag (false for anything else). */
export function asBool(value: FormValue | undefined): boolean {
  return value === true;
}

/** The value as text ('' for anything else). */
export function asText(value: FormValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

/** The value as a list ([] for anything else). */
export function asList(value: FormValue | undefined): string[] {
  return Array.isArray(value) ? value : [];
}

function allows(spec: OptionSpec, value: unknown): value is string {
  return typeof value === 'string' && spec.choices.some((c) => c.value === value);
}

/** Known values of `raw` without repeats, in the given order; null when `raw` is not a list. */
function knownList(spec: OptionSpec, raw: unknown): string[] | null {
  if (!Array.isArray(raw)) return null;
  const out: string[] = [];
  for (const v of raw) if (allows(spec, v) && !out.includes(v)) out.push(v);
  return out;
}

/** Multi-choice values in the choices' display order. */
function inChoiceOrder(spec: OptionSpec, values: readonly string[]): string[] {
  return spec.choices.map((c) => c.value).filter((v) => values.includes(v));
}

/**
 * The form value of one option from a raw value (a profile's or the default). A value that does
 * not fit the option (wrong type, unknown choice, an empty column list) yields null.
 */
function toFormValue(spec: OptionSpec, raw: unknown): FormValue | null {
  switch (spec.kind) {
    case 'bool':
      return typeof raw === 'boolean' ? raw : null;
    case 'number':
      return typeof raw === 'number' && Number.isInteger(raw) ? String(raw) : null;
    case 'text':
      return typeof raw === 'string' ? raw : null;
    case 'choice':
      return allows(spec, raw) ? raw : null;
    case 'multi': {
      const list = knownList(spec, raw);
      return list === null ? null : inChoiceOrder(spec, list);
    }
    case 'columns': {
      const list = knownList(spec, raw);
      return list === null || list.length === 0 ? null : list;
    }
  }
}

/** An empty value of the option's kind (when even its default does not fit). */
function blankValue(spec: OptionSpec): FormValue {
  switch (spec.kind) {
    case 'bool':
      return false;
    case 'multi':
    case 'columns':
      return [];
    default:
      return '';
  }
}

/**
 * The form for `specs`: the defaults, overlaid by `options` (a saved profile's) where they fit.
 * Unknown keys and unfitting values are ignored, so an older profile still loads.
 */
export function optionForm(specs: readonly OptionSpec[], options: RawOptions | null = null): OptionForm {
  const form: OptionForm = {};
  for (const spec of specs) {
    const given = options && spec.key in options ? toFormValue(spec, options[spec.key]) : null;
    form[spec.key] = given ?? toFormValue(spec, spec.default) ?? blankValue(spec);
  }
  return form;
}

/** The form of an exporter with its defaults. */
export function defaultForm(exporter: ExporterInfo): OptionForm {
  return optionForm(exporter.options);
}

/** German message for a number outside its range (the core's wording). */
export function numberMessage(spec: OptionSpec): string {
  const min = spec.min ?? 0;
  return spec.max === null
    ? `„${spec.label}“ muss eine ganze Zahl ab ${min} sein.`
    : `„${spec.label}“ muss eine ganze Zahl von ${min} bis ${spec.max} sein.`;
}

/** A typed whole number in the option's range, or null. */
export function parseOptionNumber(spec: OptionSpec, text: string): number | null {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  if (n < (spec.min ?? 0) || (spec.max !== null && n > spec.max)) return null;
  return n;
}

/**
 * The complete options of the form for an export request or a profile, checked as far as the
 * UI can (numbers, at least one column); the core checks everything again.
 */
export function requestOptions(
  specs: readonly OptionSpec[],
  form: OptionForm,
): { options: RawOptions; errors: FieldErrors } {
  const options: RawOptions = {};
  const errors: FieldErrors = {};
  for (const spec of specs) {
    const value = form[spec.key];
    switch (spec.kind) {
      case 'bool':
        options[spec.key] = asBool(value);
        break;
      case 'number': {
        const n = parseOptionNumber(spec, asText(value));
        if (n === null) errors[spec.key] = numberMessage(spec);
        else options[spec.key] = n;
        break;
      }
      case 'text':
        options[spec.key] = asText(value).trim();
        break;
      case 'choice':
        options[spec.key] = asText(value);
        break;
      case 'multi':
        options[spec.key] = [...asList(value)];
        break;
      case 'columns': {
        const list = asList(value);
        if (list.length === 0) {
          errors[spec.key] = `Bitte wählen Sie für „${spec.label}“ mindestens eine Spalte.`;
        }
        options[spec.key] = [...list];
        break;
      }
    }
  }
  return { options, errors };
}

/** Whether two option maps hold the same values (e.g. the form still equals the loaded profile). */
export function sameOptions(a: RawOptions, b: RawOptions): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => JSON.stringify(a[k] ?? null) === JSON.stringify(b[k] ?? null));
}

/** One row of the ordered column checklist. */
export interface ColumnRow extends OptionChoice {
  checked: boolean;
  /** Position among the chosen columns (-1 when not chosen). */
  position: number;
}

/** The checklist of a columns option: chosen columns in their order, then the others in choice order. */
export function columnRows(spec: OptionSpec, chosen: readonly string[]): ColumnRow[] {
  const byValue = new Map(spec.choices.map((c) => [c.value, c]));
  const picked = chosen
    .filter((v) => byValue.has(v))
    .map((v, position) => ({ ...(byValue.get(v) as OptionChoice), checked: true, position }));
  const rest = spec.choices
    .filter((c) => !chosen.includes(c.value))
    .map((c) => ({ ...c, checked: false, position: -1 }));
  return [...picked, ...rest];
}

/** Ticking a column appends it to the chosen ones; unticking removes it. */
export function toggleColumn(chosen: readonly string[], value: string): string[] {
  return chosen.includes(value) ? chosen.filter((v) => v !== value) : [...chosen, value];
}

/** Moves a chosen column up (`delta` -1) or down (+1); at the ends nothing changes. */
export function moveColumn(chosen: readonly string[], value: string, delta: -1 | 1): string[] {
  const from = chosen.indexOf(value);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= chosen.length) return [...chosen];
  const out = [...chosen];
  [out[from], out[to]] = [out[to], out[from]];
  return out;
}

/** Ticking or unticking a value of a multi-choice option (kept in choice order). */
export function toggleMulti(spec: OptionSpec, chosen: readonly string[], value: string): string[] {
  const next = chosen.includes(value) ? chosen.filter((v) => v !== value) : [...chosen, value];
  return inChoiceOrder(spec, next);
}

/** A choice option with few values is shown as radio buttons, otherwise as a select. */
export function choiceAsRadio(spec: OptionSpec): boolean {
  return spec.choices.length <= 3;
}

/** An error of an export or profile command: messages per option key, and the rest. */
export interface ExportErrors {
  fields: FieldErrors;
  general: string[];
}

/**
 * Splits an error into messages next to the options (fields named by option keys, or by `own`
 * fields such as the profile's "name") and general messages. A validation error without fields
 * the form shows keeps its message, so it is never lost.
 */
export function exportErrors(
  error: unknown,
  specs: readonly OptionSpec[],
  own: readonly string[] = [],
): ExportErrors {
  const dto = toErrorDto(error);
  const all = fieldErrors(error);
  const shown = new Set([...specs.map((s) => s.key), ...own]);
  const fields: FieldErrors = {};
  const general: string[] = [];
  for (const [field, message] of Object.entries(all)) {
    if (shown.has(field)) fields[field] = message;
    else general.push(message);
  }
  if (Object.keys(fields).length === 0 && general.length === 0) general.push(dto.message);
  return { fields, general };
}

/** Name of the save dialog's file filter for an extension. */
export function filterName(extension: string): string {
  return extension.toLowerCase() === 'csv' ? 'CSV' : 'Excel';
}

/** The profile of `name` (case-insensitive, as the core compares), if any. */
export function findProfile<P extends { name: string }>(profiles: readonly P[], name: string): P | undefined {
  const wanted = name.trim().toLocaleLowerCase('de');
  return profiles.find((p) => p.name.toLocaleLowerCase('de') === wanted);
}
