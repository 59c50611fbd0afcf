// Turning rejected command promises into German messages and per-field errors.

import type { ErrorDto } from './api/bindings/ErrorDto';

/** Field name (as in the Rust input) → German message. */
export type FieldErrors = Record<string, string>;

function isErrorDto(value: unknown): value is ErrorDto {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string' &&
    typeof (value as { kind?: unknown }).kind === 'string'
  );
}

/** The error as the core describes it; anything unexpected becomes an `internal` error. */
export function toErrorDto(error: unknown): ErrorDto {
  if (isErrorDto(error)) {
    return { ...error, fields: Array.isArray(error.fields) ? error.fields : [] };
  }
  const text =
    typeof error === 'string' ? error : error instanceof Error ? error.message : String(error);
  return { kind: 'internal', message: `Unerwarteter Fehler: ${text}`, fields: [] };
}

/** German message for a toast. */
export function errorMessage(error: unknown): string {
  return toErrorDto(error).message;
}

/**
 * Field errors of a validation error, first message per field. Empty for other errors, whose
 * message belongs in a toast instead.
 */
export function fieldErrors(error: unknown): FieldErrors {
  const dto = toErrorDto(error);
  const out: FieldErrors = {};
  if (dto.kind !== 'validation') return out;
  for (const f of dto.fields) {
    out[f.field] ??= f.message;
  }
  return out;
}

/**
 * Messages of fields the form does not show (so they are not lost): e.g. a rule the core
 * checks on a field the form has no input for.
 */
export function unshownErrors(errors: FieldErrors, shown: readonly string[]): string[] {
  return Object.entries(errors)
    .filter(([field]) => !shown.includes(field))
    .map(([, message]) => message);
}

/** Event the app sends when a background thread panicked; its payload is the German message. */
export const PANIC_EVENT = 'app-panic';
