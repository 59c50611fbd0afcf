// German labels for the enum values the core sends (same texts as the core's `label()`).
// The Record types make TypeScript insist on a label for every value in the bindings.

import type { AttendanceState } from './api/bindings/AttendanceState';
import { COUNTED_STATUSES } from './api/bindings/CountedStatuses';
import type { EventFormat } from './api/bindings/EventFormat';
import type { EventStatus } from './api/bindings/EventStatus';
import type { OrgKind } from './api/bindings/OrgKind';
import type { RegistrationStatus } from './api/bindings/RegistrationStatus';
import type { Role } from './api/bindings/Role';
import type { Series } from './api/bindings/Series';
import type { Source } from './api/bindings/Source';

export const SERIES_LABELS: Record<Series, string> = {
  forum: 'Forum Städtepartnerschaften NRW',
  tag: 'Tag der Städtepartnerschaften',
  training: 'Schulung',
  other: 'Sonstige',
};

/** Short series names for badges in lists. */
export const SERIES_SHORT: Record<Series, string> = {
  forum: 'Forum',
  tag: 'Tag der SP',
  training: 'Schulung',
  other: 'Sonstige',
};

export const FORMAT_LABELS: Record<EventFormat, string> = {
  online: 'Online',
  praesenz: 'Präsenz',
  hybrid: 'Hybrid',
};

export const EVENT_STATUS_LABELS: Record<EventStatus, string> = {
  geplant: 'Geplant',
  offen: 'Anmeldung offen',
  geschlossen: 'Anmeldung geschlossen',
  abgeschlossen: 'Abgeschlossen',
  abgesagt: 'Abgesagt',
};

export const REGISTRATION_STATUS_LABELS: Record<RegistrationStatus, string> = {
  angemeldet: 'Angemeldet',
  warteliste: 'Warteliste',
  nachgerueckt: 'Nachgerückt',
  storniert: 'Storniert',
  abgelehnt: 'Abgelehnt',
};

export const ROLE_LABELS: Record<Role, string> = {
  teilnehmer: 'Teilnehmer*in',
  referent: 'Referent*in',
  organisation: 'Organisation',
  presse: 'Presse',
  gast: 'Gast',
};

export const SOURCE_LABELS: Record<Source, string> = {
  formular: 'Formular',
  telefon_email: 'Telefon/E-Mail',
  import: 'Import',
  vor_ort: 'vor Ort',
};

export const ORG_KIND_LABELS: Record<OrgKind, string> = {
  kommune: 'Kommune',
  kreis: 'Kreis',
  verein: 'Verein/Partnerschaftskomitee',
  land: 'Land/Ministerium',
  stiftung: 'Stiftung/Verband',
  bildung: 'Bildungseinrichtung',
  sonstige: 'Sonstige',
};

export const ATTENDANCE_LABELS: Record<AttendanceState, string> = {
  anwesend: 'anwesend',
  abwesend: 'abwesend',
  entschuldigt: 'entschuldigt',
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
