// Sorting and selection logic of DataTable, kept here so it is testable without the DOM.
//
// Own code instead of a table library: the needs are small (click-to-sort, German collation,
// checkbox selection), and the framework-agnostic options (e.g. @tanstack/table-core) bring a
// large API whose Svelte 5 adapter is not released as stable.

/** A value a column sorts by. Empty values (null, undefined, '') always sort last. */
export type SortValue = string | number | boolean | null | undefined;

export type SortDirection = 'asc' | 'desc';

export interface SortState {
  key: string;
  direction: SortDirection;
}

/** German collation: "Äpfel" next to "Apfel", "Öko" next to "Oko", numbers in text by value. */
const collator = new Intl.Collator('de', { sensitivity: 'base', numeric: true });

function isEmpty(v: SortValue): boolean {
  return v === null || v === undefined || v === '';
}

/** Compares two values ascending; empty values count as largest. */
export function compareValues(a: SortValue, b: SortValue): number {
  const ea = isEmpty(a);
  const eb = isEmpty(b);
  if (ea || eb) return ea === eb ? 0 : ea ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return collator.compare(String(a), String(b));
}

/**
 * Returns a sorted copy of `rows` (stable). Empty values stay at the end in both directions,
 * so a descending sort never starts with blank cells.
 */
export function sortRows<T>(
  rows: readonly T[],
  value: (row: T) => SortValue,
  direction: SortDirection,
): T[] {
  const sign = direction === 'asc' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, v: value(row) }))
    .sort((x, y) => {
      const ex = isEmpty(x.v);
      const ey = isEmpty(y.v);
      if (ex || ey) return ex === ey ? x.index - y.index : ex ? 1 : -1;
      return sign * compareValues(x.v, y.v) || x.index - y.index;
    })
    .map((e) => e.row);
}

/** The sort after clicking the header of `key`: a new column sorts ascending, the same one flips. */
export function nextSort(current: SortState | null, key: string): SortState {
  if (current?.key === key) {
    return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  }
  return { key, direction: 'asc' };
}

/** aria-sort value of a column header. */
export function ariaSort(current: SortState | null, key: string): 'ascending' | 'descending' | 'none' {
  if (current?.key !== key) return 'none';
  return current.direction === 'asc' ? 'ascending' : 'descending';
}

/** Adds or removes `id` from a selection (returns a new array). */
export function toggleSelected<K>(selected: readonly K[], id: K): K[] {
  return selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id];
}

/** State of a "select all" checkbox for the visible rows. */
export function selectAllState<K>(
  selected: readonly K[],
  visible: readonly K[],
): 'none' | 'some' | 'all' {
  const count = visible.filter((id) => selected.includes(id)).length;
  if (count === 0) return 'none';
  return count === visible.length ? 'all' : 'some';
}

/** Clicking "select all": selects every visible row, or deselects them when all were selected. */
export function toggleAll<K>(selected: readonly K[], visible: readonly K[]): K[] {
  if (selectAllState(selected, visible) === 'all') {
    return selected.filter((id) => !visible.includes(id));
  }
  return [...selected, ...visible.filter((id) => !selected.includes(id))];
}

/** Keeps only selected ids that still exist (after a reload or a filter change). */
export function pruneSelection<K>(selected: readonly K[], existing: readonly K[]): K[] {
  const keep = new Set(existing);
  return selected.filter((id) => keep.has(id));
}
