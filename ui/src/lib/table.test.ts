import { describe, expect, it } from 'vitest';
import {
  ariaSort,
  compareValues,
  nextSort,
  pruneSelection,
  selectAllState,
  sortRows,
  toggleAll,
  toggleSelected,
} from './table';

interface Row {
  id: number;
  name: string;
  count: number | null;
}

const rows: Row[] = [
  { id: 1, name: 'Özdemir', count: 3 },
  { id: 2, name: 'Müller', count: null },
  { id: 3, name: 'Mueller', count: 10 },
  { id: 4, name: 'Zander', count: 2 },
  { id: 5, name: 'Ohm', count: 3 },
  { id: 6, name: 'abel', count: 1 },
  { id: 7, name: '', count: 5 },
];

const names = (r: Row[]) => r.map((x) => x.name);

describe('sortRows', () => {
  it('sorts German names with umlauts next to their base letters, case-insensitive', () => {
    const sorted = sortRows(rows, (r) => r.name, 'asc');
    expect(names(sorted)).toEqual(['abel', 'Mueller', 'Müller', 'Ohm', 'Özdemir', 'Zander', '']);
  });

  it('puts empty values last in both directions', () => {
    expect(sortRows(rows, (r) => r.count, 'asc').map((r) => r.id)).toEqual([6, 4, 1, 5, 7, 3, 2]);
    expect(sortRows(rows, (r) => r.count, 'desc').map((r) => r.id)).toEqual([3, 7, 1, 5, 4, 6, 2]);
  });

  it('is stable for equal values and does not mutate the input', () => {
    const copy = [...rows];
    const sorted = sortRows(rows, (r) => r.count, 'asc');
    expect(sorted.indexOf(rows[0])).toBeLessThan(sorted.indexOf(rows[4]));
    expect(rows).toEqual(copy);
  });

  it('compares numbers inside text by value', () => {
    expect(compareValues('13. Forum', '9. Forum')).toBeGreaterThan(0);
    expect(compareValues(true, false)).toBeGreaterThan(0);
    expect(compareValues('', 'a')).toBeGreaterThan(0);
  });
});

describe('sort state', () => {
  it('starts ascending and flips on the same column', () => {
    const s1 = nextSort(null, 'name');
    expect(s1).toEqual({ key: 'name', direction: 'asc' });
    const s2 = nextSort(s1, 'name');
    expect(s2.direction).toBe('desc');
    expect(nextSort(s2, 'count')).toEqual({ key: 'count', direction: 'asc' });
    expect(ariaSort(s2, 'name')).toBe('descending');
    expect(ariaSort(s2, 'count')).toBe('none');
  });
});

describe('selection', () => {
  it('toggles single ids', () => {
    expect(toggleSelected([1, 2], 2)).toEqual([1]);
    expect(toggleSelected([1], 3)).toEqual([1, 3]);
  });

  it('selects and deselects all visible rows, keeping hidden selections', () => {
    expect(selectAllState([], [1, 2])).toBe('none');
    expect(selectAllState([1], [1, 2])).toBe('some');
    expect(selectAllState([1, 2, 9], [1, 2])).toBe('all');
    expect(toggleAll([9, 1], [1, 2])).toEqual([9, 1, 2]);
    expect(toggleAll([9, 1, 2], [1, 2])).toEqual([9]);
  });

  it('drops ids that no longer exist', () => {
    expect(pruneSelection([1, 2, 3], [3, 1])).toEqual([1, 3]);
  });
});
