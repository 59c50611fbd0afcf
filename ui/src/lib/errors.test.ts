import { describe, expect, it } from 'vitest';
import { errorMessage, fieldErrors, toErrorDto, unshownErrors } from './errors';

const validation = {
  kind: 'validation',
  message: 'Das Ende muss nach dem Beginn liegen. Bitte geben Sie einen Titel ein.',
  fields: [
    { field: 'ends_at', message: 'Das Ende muss nach dem Beginn liegen.' },
    { field: 'title', message: 'Bitte geben Sie einen Titel ein.' },
    { field: 'title', message: 'Zweite Meldung' },
  ],
};

describe('errors', () => {
  it('maps validation errors to their fields, first message wins', () => {
    expect(fieldErrors(validation)).toEqual({
      ends_at: 'Das Ende muss nach dem Beginn liegen.',
      title: 'Bitte geben Sie einen Titel ein.',
    });
  });

  it('has no field errors for other kinds', () => {
    expect(fieldErrors({ kind: 'conflict', message: 'Geht nicht.', fields: [] })).toEqual({});
  });

  it('wraps unexpected rejections in German', () => {
    expect(toErrorDto('boom')).toEqual({
      kind: 'internal',
      message: 'Unerwarteter Fehler: boom',
      fields: [],
    });
    expect(errorMessage(new Error('x'))).toBe('Unerwarteter Fehler: x');
    expect(errorMessage(validation)).toBe(validation.message);
  });

  it('lists messages of fields the form does not show', () => {
    expect(unshownErrors({ a: 'A', b: 'B' }, ['a'])).toEqual(['B']);
  });
});
