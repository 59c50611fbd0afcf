// Moving the keyboard focus after a failed save.
import { tick } from 'svelte';

/**
 * After the next render, focuses the first field marked `aria-invalid="true"` inside `root`,
 * so a keyboard user lands on the field whose German error is shown next to it.
 */
export async function focusFirstInvalid(root: HTMLElement | null | undefined): Promise<void> {
  await tick();
  root?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
