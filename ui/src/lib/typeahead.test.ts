import { describe, expect, it } from 'vitest';
import { LatestOnly, moveActive, searchable } from './typeahead';

describe('moveActive', () => {
  it('moves and wraps around', () => {
    expect(moveActive(-1, 3, 'ArrowDown')).toBe(0);
    expect(moveActive(2, 3, 'ArrowDown')).toBe(0);
    expect(moveActive(0, 3, 'ArrowUp')).toBe(2);
    expect(moveActive(-1, 3, 'ArrowUp')).toBe(2);
    expect(moveActive(1, 3, 'ArrowUp')).toBe(0);
    expect(moveActive(0, 0, 'ArrowDown')).toBe(-1);
  });
});

describe('LatestOnly', () => {
  it('drops answers that arrive after a newer query started', async () => {
    const latest = new LatestOnly();
    let releaseSlow!: (v: string) => void;
    const slow = latest.run(() => new Promise<string>((r) => (releaseSlow = r)));
    const fast = latest.run(async () => 'müller');
    releaseSlow('mül');
    expect(await fast).toBe('müller');
    expect(await slow).toBeNull();
  });

  it('cancels pending runs', async () => {
    const latest = new LatestOnly();
    const p = latest.run(async () => 1);
    latest.cancel();
    expect(await p).toBeNull();
  });
});

describe('searchable', () => {
  it('ignores blank queries', () => {
    expect(searchable('  ')).toBe(false);
    expect(searchable('m')).toBe(true);
  });
});
