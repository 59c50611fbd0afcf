import { beforeEach, describe, expect, it } from 'vitest';
import type { ErrorDto } from './api/bindings/ErrorDto';
import type { FieldErrors } from './errors';
import { showFormError, withoutPrefix } from './form-errors';
import { toasts } from './toast.svelte';

const validation: ErrorDto = {
  kind: 'validation',
  message: 'Bitte Eingaben prüfen.',
  fields: [{ field: 'new_person.email', message: 'Keine gültige E-Mail-Adresse.' }],
};
const conflict: ErrorDto = { kind: 'conflict', message: 'Die Veranstaltung ist ausgebucht.', fields: [] };

describe('showFormError', () => {
  beforeEach(() => {
    toasts.items = [];
  });

  it('puts validation errors into the form, without the prefix, and no toast', async () => {
    let shown: FieldErrors = {};
    await showFormError(validation, (errors) => void (shown = errors), 'new_person.');
    expect(shown).toEqual({ email: 'Keine gültige E-Mail-Adresse.' });
    expect(toasts.items).toEqual([]);
  });

  it('shows other errors as a toast and leaves the form alone', async () => {
    let called = false;
    await showFormError(conflict, () => void (called = true));
    expect(called).toBe(false);
    expect(toasts.items.map((t) => [t.kind, t.message])).toEqual([['error', 'Die Veranstaltung ist ausgebucht.']]);
  });

  it('falls back to the toast when the form refuses the fields', async () => {
    await showFormError(validation, () => false);
    expect(toasts.items.map((t) => t.message)).toEqual(['Bitte Eingaben prüfen.']);
  });
});

describe('withoutPrefix', () => {
  it('strips only a leading prefix', () => {
    expect(withoutPrefix({ 'topic.label': 'a', keywords: 'b', 'x.topic.y': 'c' }, 'topic.')).toEqual({
      label: 'a',
      keywords: 'b',
      'x.topic.y': 'c',
    });
    expect(withoutPrefix({ a: '1' }, '')).toEqual({ a: '1' });
  });
});
