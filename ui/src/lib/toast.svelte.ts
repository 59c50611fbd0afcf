// Global notices ("Gespeichert.", error messages) shown in the toast area of the app shell.

/** success: green, error: red, info: neutral. */
export type ToastKind = 'success' | 'error' | 'info';

/** An optional button on a notice, e.g. "Rückgängig". */
export interface ToastAction {
  label: string;
  run: () => void | Promise<void>;
}

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  action?: ToastAction;
}

/** How long a notice stays, in milliseconds (errors and undo offers stay longer). */
function lifetime(kind: ToastKind, action?: ToastAction): number {
  if (action) return 10_000;
  return kind === 'error' ? 9_000 : 4_000;
}

class Toasts {
  items = $state<Toast[]>([]);
  private next = 1;

  /** Shows a notice; returns its id. */
  show(kind: ToastKind, message: string, action?: ToastAction): number {
    const id = this.next++;
    this.items = [...this.items.slice(-3), { id, kind, message, action }];
    setTimeout(() => this.dismiss(id), lifetime(kind, action));
    return id;
  }

  success(message: string, action?: ToastAction): number {
    return this.show('success', message, action);
  }

  error(message: string): number {
    return this.show('error', message);
  }

  info(message: string): number {
    return this.show('info', message);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

/** The app's notices. */
export const toasts = new Toasts();
