// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';

import { focusFirstInvalid } from './focus';

describe('focusFirstInvalid', () => {
  it('focuses the first field marked invalid inside the root', async () => {
    document.body.innerHTML = `
      <form id="f">
        <input id="ok" />
        <input id="first" aria-invalid="true" />
        <input id="second" aria-invalid="true" />
      </form>
      <input id="outside" aria-invalid="true" />`;
    await focusFirstInvalid(document.getElementById('f'));
    expect(document.activeElement?.id).toBe('first');
  });

  it('does nothing without a root or an invalid field', async () => {
    document.body.innerHTML = '<form id="f"><input id="ok" /></form>';
    (document.getElementById('ok') as HTMLInputElement).focus();
    await focusFirstInvalid(undefined);
    await focusFirstInvalid(document.getElementById('f'));
    expect(document.activeElement?.id).toBe('ok');
  });
});
