// Logic of the Postausgang screen: which actions a message offers, counters per state, the
// German summary of a sending run, placeholders in templates and the settings form's defaults.

import type { MailState } from './api/bindings/MailState';
import type { OutboxMessage } from './api/bindings/OutboxMessage';
import type { Security } from './api/bindings/Security';
import type { SendReport } from './api/bindings/SendReport';
import { plural } from './format';

/** The placeholders of a template with what they stand for (as the core's PLACEHOLDERS). */
export const PLACEHOLDERS: [string, string][] = [
  ['Briefanrede', 'Sehr geehrte Frau Dr. Müller / Liebe Anna / Guten Tag Anna Müller'],
  ['Anrede', 'Frau, Herr oder leer'],
  ['Titel', 'z. B. Dr.'],
  ['Vorname', 'Vorname'],
  ['Nachname', 'Nachname'],
  ['Organisation', 'Organisation der Person'],
  ['Veranstaltung', 'Titel der Veranstaltung'],
  ['Datum', 'z. B. Donnerstag, 18. Februar 2027'],
  ['Uhrzeit', 'z. B. 11:00–15:30 Uhr'],
  ['Ort', 'Veranstaltungsort (online: „online“)'],
  ['Online-Link', 'Zugangslink der Online-Veranstaltung'],
  ['Wartelistenplatz', 'Platz auf der Warteliste'],
  ['Anmeldeschluss', 'z. B. 04.02.2027'],
  ['Kontakt', 'Kontakt der Netzwerkstelle (Einstellungen)'],
];

/** What the office can do with a message in its state. */
export interface MessageActions {
  approve: boolean;
  retry: boolean;
  discard: boolean;
  draft: boolean;
}

/** The actions a message offers: release, send again, discard, save as Outlook draft. */
export function actionsFor(state: MailState): MessageActions {
  return {
    approve: state === 'freigabe',
    retry: ['fehlgeschlagen', 'sendet', 'verworfen', 'ueberholt'].includes(state),
    discard: ['freigabe', 'wartet', 'fehlgeschlagen', 'sendet'].includes(state),
    draft: ['freigabe', 'wartet', 'fehlgeschlagen'].includes(state),
  };
}

/** CSS tone of a state's badge. */
export function stateTone(state: MailState): 'ok' | 'wait' | 'bad' | 'muted' {
  switch (state) {
    case 'gesendet':
      return 'ok';
    case 'fehlgeschlagen':
    case 'sendet':
      return 'bad';
    case 'wartet':
    case 'freigabe':
      return 'wait';
    default:
      return 'muted';
  }
}

/** How many messages are in each state. */
export function countByState(messages: OutboxMessage[]): Partial<Record<MailState, number>> {
  const counts: Partial<Record<MailState, number>> = {};
  for (const m of messages) counts[m.state] = (counts[m.state] ?? 0) + 1;
  return counts;
}

/** Messages a "Jetzt senden" would take (waiting and failed ones). */
export function sendable(messages: OutboxMessage[]): number {
  return messages.filter((m) => m.state === 'wartet' || m.state === 'fehlgeschlagen').length;
}

/** "3 Nachrichten gesendet, 1 fehlgeschlagen." */
export function reportText(report: SendReport): string {
  const parts = [`${plural(report.sent, 'Nachricht', 'Nachrichten')} gesendet`];
  if (report.failed > 0) parts.push(`${report.failed} fehlgeschlagen`);
  if (report.superseded > 0) parts.push(`${report.superseded} nicht mehr nötig`);
  let text = parts.join(', ') + '.';
  if (report.stopped) text += ` Abgebrochen: ${report.stopped}`;
  return text;
}

/** `text` with `{name}` inserted at `at` (the caret), and the caret after it. */
export function insertPlaceholder(text: string, at: number, name: string): { text: string; caret: number } {
  const pos = Math.max(0, Math.min(at, text.length));
  const token = `{${name}}`;
  return { text: text.slice(0, pos) + token + text.slice(pos), caret: pos + token.length };
}

/** The usual port of a connection security (587 STARTTLS, 465 TLS, 25 unencrypted). */
export function defaultPort(security: Security): number {
  return security === 'tls' ? 465 : security === 'plain' ? 25 : 587;
}

/** When the port is still the default of the previous security, follow the new one. */
export function portAfterSecurityChange(port: number, from: Security, to: Security): number {
  return port === defaultPort(from) ? defaultPort(to) : port;
}
