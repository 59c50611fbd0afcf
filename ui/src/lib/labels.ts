// German labels for the enum values the core sends. The labels of every stored enum are
// generated from the core's `text_enum!` declarations (bindings/labels.ts); only UI-only
// wording (short series names for badges) lives here.

import { COUNTED_STATUSES } from './api/bindings/CountedStatuses';
import { REGISTRATION_STATUS_LABELS } from './api/bindings/labels';
import type { RegistrationStatus } from './api/bindings/RegistrationStatus';
import type { Series } from './api/bindings/Series';

export * from './api/bindings/labels';

/** Short series names for badges in lists. */
export const SERIES_SHORT: Record<Series, string> = {
  forum: 'Forum',
  tag: 'Tag der SP',
  training: 'Schulung',
  other: 'Sonstige',
};

/** The keys of a label table in declaration order, for <select> options. */
export function options<K extends string>(labels: Record<K, string>): { value: K; label: string }[] {
  return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
}

/** "Angemeldet", or "Warteliste (Platz 3)" for the waiting list. */
export function registrationStatusText(
  status: RegistrationStatus,
  waitlistPosition?: number | null,
): string {
  const label = REGISTRATION_STATUS_LABELS[status];
  return status === 'warteliste' && waitlistPosition ? `${label} (Platz ${waitlistPosition})` : label;
}

/** Whether a registration takes a place (counts against the capacity; the list is generated
 * from the core's `RegistrationStatus::COUNTED`). */
export function isActive(status: RegistrationStatus): boolean {
  return COUNTED_STATUSES.includes(status);
}
