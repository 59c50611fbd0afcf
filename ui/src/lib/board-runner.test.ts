import { beforeEach, describe, expect, it } from 'vitest';
import type { ErrorDto } from './api/bindings/ErrorDto';
import type { WishBoard } from './api/bindings/WishBoard';
import { BoardRunner } from './board-runner.svelte';
import { toasts } from './toast.svelte';

const board = (total: number, undo: string | null = null) => ({ total, undo_action: undo }) as unknown as WishBoard;
const invalid: ErrorDto = { kind: 'validation', message: 'Bitte prüfen.', fields: [{ field: 'label', message: 'Name fehlt.' }] };

function setup(undoAction: string | null = 'Cluster angelegt') {
  const shown: number[] = [];
  let reloads = 0;
  const runner = new BoardRunner({
    show: (b) => shown.push(b.total),
    reload: async () => void (reloads += 1),
    undoAction: () => undoAction,
    undo: async () => board(0),
  });
  return { runner, shown, reloads: () => reloads };
}

describe('BoardRunner', () => {
  beforeEach(() => {
    toasts.items = [];
  });

  it('shows the new board and offers one undo, replacing an older offer', async () => {
    const { runner, shown } = setup();
    expect(await runner.act(async () => board(1), 'Eins')).toBe(true);
    expect(await runner.act(async () => board(2), 'Zwei')).toBe(true);
    expect(shown).toEqual([1, 2]);
    expect(toasts.items.map((t) => [t.message, t.action?.label])).toEqual([['Zwei', 'Rückgängig']]);
    expect(runner.busy).toBe(false);
  });

  it('gives field errors to the dialog and reloads the board; without a taker they become a toast', async () => {
    const { runner, reloads } = setup();
    let fields = {};
    expect(await runner.act(() => Promise.reject(invalid), 'x', (f) => ((fields = f), true))).toBe(false);
    expect(fields).toEqual({ label: 'Name fehlt.' });
    expect(toasts.items).toEqual([]);
    expect(await runner.act(() => Promise.reject(invalid), 'x')).toBe(false);
    expect(toasts.items.map((t) => t.message)).toEqual(['Bitte prüfen.']);
    expect(reloads()).toBe(2);
  });

  it('undo through the offer names what was undone; nothing happens when there is nothing to undo', async () => {
    const { runner, shown } = setup();
    await runner.act(async () => board(3), 'Cluster angelegt');
    await toasts.items[0].action!.run();
    expect(shown).toEqual([3, 0]);
    expect(toasts.items.map((t) => t.message)).toEqual(['Rückgängig gemacht: Cluster angelegt.']);

    const idle = setup(null);
    await idle.runner.undo();
    expect(idle.shown).toEqual([]);
  });
});
