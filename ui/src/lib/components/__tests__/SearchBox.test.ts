import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Harness from './SearchBoxHarness.svelte';

afterEach(cleanup);

const names = ['Jürgen Müller', 'Anna Müllner', 'Bernd Zander'];

function setup() {
  const onpick = vi.fn();
  const onnohit = vi.fn();
  render(Harness, { props: { names, onpick, onnohit } });
  const input = screen.getByTestId('s') as HTMLInputElement;
  return { input, onpick, onnohit };
}

async function typeText(input: HTMLInputElement, text: string) {
  input.focus();
  await fireEvent.focus(input);
  input.value = text;
  await fireEvent.input(input);
}

describe('SearchBox', () => {
  it('picks the top hit with Enter, even when typed before the debounce fired', async () => {
    const { input, onpick } = setup();
    await typeText(input, 'müll');
    await fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(onpick).toHaveBeenCalledWith('Jürgen Müller'));
    expect(input.value).toBe('');
  });

  it('moves the highlight with the arrow keys and shows a listbox', async () => {
    const { input, onpick } = setup();
    await typeText(input, 'müll');
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(2));
    expect(input.getAttribute('aria-expanded')).toBe('true');
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(input.getAttribute('aria-activedescendant')).toBe('s-option-1');
    await fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(onpick).toHaveBeenCalledWith('Anna Müllner'));
  });

  it('reports Enter without hits and clears with Escape', async () => {
    const { input, onpick, onnohit } = setup();
    await typeText(input, 'xyz');
    await waitFor(() => expect(screen.getByTestId('s-empty')).toBeTruthy());
    await fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(onnohit).toHaveBeenCalledWith('xyz'));
    expect(onpick).not.toHaveBeenCalled();
    await fireEvent.keyDown(input, { key: 'Escape' });
    expect(input.value).toBe('');
  });
});
