// The wrappers in commands.ts must match the commands the Tauri shell registers
// (src-tauri/src/commands/mod.rs, `generate_handler!`): a wrapper for a command the shell does not
// know fails only at run time, and a registered command without a wrapper is dead weight.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const read = (relative: string) => readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8');

/** Command names listed in `tauri::generate_handler![…]`, without their module path; commands
 * under `#[cfg(debug_assertions)]` are test seams the E2E tests invoke directly, not UI commands. */
function registeredCommands(rust: string): string[] {
  const list = /generate_handler!\[([\s\S]*?)\n\s*\]/.exec(rust);
  if (!list) throw new Error('generate_handler! not found');
  return list[1]
    .replace(/#\[cfg\(debug_assertions\)\]\s*[\w:]+,/g, '')
    .split(',')
    .map((entry) => entry.trim().split('::').pop() ?? '')
    .filter((name) => name.length > 0)
    .sort();
}

/** Command names passed to `invoke('…')`. */
function invokedCommands(ts: string): string[] {
  return [...ts.matchAll(/invoke(?:<[^(]*>)?\(\s*'([a-z_]+)'/g)].map((m) => m[1]).sort();
}

describe('commands.ts', () => {
  it('wraps exactly the commands the shell registers, each once', () => {
    const registered = registeredCommands(read('../../../../src-tauri/src/commands/mod.rs'));
    const invoked = invokedCommands(read('./commands.ts'));
    expect(registered.length).toBeGreaterThan(50);
    expect(new Set(invoked).size).toBe(invoked.length);
    expect(invoked).toEqual(registered);
  });

  it('reads the handler list and the invoke calls', () => {
    expect(
      registeredCommands(
        'tauri::generate_handler![\n  app_info,\n  #[cfg(debug_assertions)]\n  about::debug_panic,\n  events::list_events,\n]',
      ),
    ).toEqual(['app_info', 'list_events']);
    expect(invokedCommands("invoke<Foo[]>('list_foo', { id }); invoke('bar_baz')")).toEqual(['bar_baz', 'list_foo']);
  });
});
