// The one way a form reports a failed command: validation errors next to their fields,
// anything else (a conflict, a broken database) as a toast — so no message is ever lost.

import { errorMessage, fieldErrors, type FieldErrors } from './errors';
import { toasts } from './toast.svelte';

/**
 * Shows `err` in the form through `show` when the core named fields (with `prefix` — e.g.
 * "new_person." — taken off the field names), else as an error toast. `show` may refuse the
 * fields (return false), e.g. when none of them is on screen; then the toast says it.
 */
export async function showFormError(
  err: unknown,
  show: (errors: FieldErrors) => void | boolean | Promise<void | boolean>,
  prefix = '',
): Promise<void> {
  const found = withoutPrefix(fieldErrors(err), prefix);
  if (Object.keys(found).length > 0 && (await show(found)) !== false) return;
  toasts.error(errorMessage(err));
}

/** Field names without a leading `prefix` ("new_person.email" → "email"). */
export function withoutPrefix(errors: FieldErrors, prefix: string): FieldErrors {
  if (!prefix) return errors;
  return Object.fromEntries(
    Object.entries(errors).map(([k, v]) => [k.startsWith(prefix) ? k.slice(prefix.length) : k, v]),
  );
}
