// How the wishes board runs an action: one at a time (`busy`), the new board shown, a success
// notice that offers "Rückgängig" (only the newest offer stays), and on failure the error next
// to the dialog's field or as a toast, with the board reloaded (a dragged card goes back).

import type { WishBoard } from './api/bindings/WishBoard';
import { errorMessage, type FieldErrors } from './errors';
import { showFormError } from './form-errors';
import { toasts } from './toast.svelte';

/** What the runner needs from the board view. */
export interface BoardHooks {
  /** Shows a board the core returned. */
  show: (board: WishBoard) => void;
  /** Reads the board again after a failure. */
  reload: () => Promise<void>;
  /** What "Rückgängig" would undo now (the board's `undo_action`; null = nothing). */
  undoAction: () => string | null;
  /** Undoes the last action (the `undoWishes` command). */
  undo: () => Promise<WishBoard>;
}

/** Runs the board's actions; one per view. */
export class BoardRunner {
  busy = $state(false);
  /** The notice that offers to undo the last action. */
  private offerId: number | null = null;

  constructor(private readonly hooks: BoardHooks) {}

  /**
   * Runs `run` and shows its board with `message` (and an undo offer; '' = no notice). On
   * failure `onfields` may show field errors (return false when it did not); returns whether
   * the action succeeded.
   */
  async act(run: () => Promise<WishBoard>, message: string, onfields?: (errors: FieldErrors) => boolean): Promise<boolean> {
    this.busy = true;
    try {
      this.hooks.show(await run());
      if (message) this.offerUndo(message);
      return true;
    } catch (e) {
      await showFormError(e, (fields) => onfields?.(fields) ?? false);
      await this.hooks.reload();
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** A success notice with a "Rückgängig" button; an older offer disappears. */
  offerUndo(message: string): void {
    this.withdrawOffer();
    this.offerId = toasts.success(message, { label: 'Rückgängig', run: () => this.undo() });
  }

  /** Undoes the board's last action, if there is one and no other action runs. */
  async undo(): Promise<void> {
    const what = this.hooks.undoAction();
    if (!what || this.busy) return;
    this.withdrawOffer();
    this.busy = true;
    try {
      this.hooks.show(await this.hooks.undo());
      toasts.info(`Rückgängig gemacht: ${what}.`);
    } catch (e) {
      toasts.error(errorMessage(e));
    } finally {
      this.busy = false;
    }
  }

  private withdrawOffer(): void {
    if (this.offerId !== null) toasts.dismiss(this.offerId);
    this.offerId = null;
  }
}
