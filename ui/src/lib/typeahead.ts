// Keyboard and request logic of the type-ahead SearchBox, free of the DOM for testing.

/** The highlighted result after ArrowDown/ArrowUp (wraps around; -1 = none). */
export function moveActive(active: number, count: number, key: 'ArrowDown' | 'ArrowUp'): number {
  if (count === 0) return -1;
  if (key === 'ArrowDown') return active >= count - 1 ? 0 : active + 1;
  return active <= 0 ? count - 1 : active - 1;
}

/**
 * Runs searches so that only the answer to the latest query is used: a slow answer for
 * "mül" must not overwrite the faster answer for "müller".
 */
export class LatestOnly {
  private seq = 0;

  /** Runs `task`; resolves with its result, or with `null` when a newer run started meanwhile. */
  async run<T>(task: () => Promise<T>): Promise<T | null> {
    const mine = ++this.seq;
    const result = await task();
    return mine === this.seq ? result : null;
  }

  /** Makes every pending run stale (e.g. when the field is cleared). */
  cancel(): void {
    this.seq++;
  }
}

/** Minimal query length before searching (1 keeps returning persons within 5 keystrokes). */
export const MIN_QUERY = 1;

/** Whether `query` is worth sending to the search. */
export function searchable(query: string): boolean {
  return query.trim().length >= MIN_QUERY;
}
