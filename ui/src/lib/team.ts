// "Team & Abgleich": the wording and decisions of the team page and the header's sync status.
// The data (laptops, conflicts with their German detail, the events' Anmeldestelle) comes from
// the core (team::overview); this file only decides what to show and how to say it.

import type { Peer } from './api/bindings/Peer';
import type { SyncImportReport } from './api/bindings/SyncImportReport';
import type { SyncStatus } from './api/bindings/SyncStatus';
import type { TeamConflict } from './api/bindings/TeamConflict';
import { formatTimestamp, plural, pluralWord } from './format';

/** Sent by the shell when another laptop's changes were applied (commands/sync.rs). */
export const SYNC_CHANGED_EVENT = 'sync-changed';

/** Sent by the shell after every exchange, pairing or failed attempt (src-tauri/src/team.rs). */
export const TEAM_EVENT = 'team-event';

/** The extension of a sync file (team::SYNC_FILE_EXTENSION). */
export const SYNC_FILE_FILTERS = [{ name: 'Abgleichsdatei', extensions: ['abgleich'] }];

/** How the header shows the sync state. */
export interface HeaderStatus {
  /** Short text: "synchron", "3 Änderungen warten", "offline", "Konflikte: 2". */
  text: string;
  /** Colour: fine, waiting, a problem for a person. */
  tone: 'ok' | 'waiting' | 'problem' | 'alone';
  /** Longer explanation for the tooltip and screen readers. */
  title: string;
}

/** Whether a peer can be reached right now; `null` when unknown (no LAN sync running). */
export type Reachability = Record<string, boolean> | null;

/**
 * The header's status. Conflicts first (they need a person), then "offline" when no paired
 * laptop can be reached, then waiting changes, else "synchron".
 */
export function headerStatus(status: SyncStatus | null, online: Reachability = null): HeaderStatus | null {
  if (!status) return null;
  if (status.conflicts > 0) {
    return {
      text: `Konflikte: ${status.conflicts}`,
      tone: 'problem',
      title: `${pluralWord(status.conflicts, 'Ein Konflikt wartet', `${status.conflicts} Konflikte warten`)} auf eine Entscheidung – Team & Abgleich öffnen.`,
    };
  }
  if (status.peers.length === 0) {
    return {
      text: 'Nicht gekoppelt',
      tone: 'alone',
      title: 'Dieser Laptop teilt seine Daten mit keinem anderen – Team & Abgleich öffnen.',
    };
  }
  const paired = online ? Object.values(online) : [];
  if (paired.length > 0 && !paired.some(Boolean)) {
    return {
      text: 'offline',
      tone: 'waiting',
      title:
        status.waiting > 0
          ? `Kein gekoppelter Laptop erreichbar; ${waitingText(status.waiting)}.`
          : 'Kein gekoppelter Laptop erreichbar.',
    };
  }
  if (status.waiting > 0) {
    return {
      text: waitingText(status.waiting),
      tone: 'waiting',
      title: 'Änderungen dieses Laptops, die noch nicht bei allen anderen angekommen sind.',
    };
  }
  return { text: 'synchron', tone: 'ok', title: 'Alle gekoppelten Laptops haben denselben Stand.' };
}

/** "1 Änderung wartet", "3 Änderungen warten". */
export function waitingText(n: number): string {
  return plural(n, 'Änderung wartet', 'Änderungen warten');
}

/** A laptop's name for lists ("Laptop ohne Namen" with the start of its id when unnamed). */
export function laptopLabel(name: string, laptopId: string): string {
  return name.trim() || `Laptop ohne Namen (${laptopId.slice(0, 8)})`;
}

/** The line under a paired laptop: last contact and what it still lacks. */
export function peerLine(peer: Peer): string {
  const contact = peer.last_contact ? `Letzter Abgleich ${formatTimestamp(peer.last_contact)}` : 'Noch kein Abgleich';
  const missing = peer.waiting === 0 ? 'hat alle Änderungen' : `${plural(peer.waiting, 'Änderung fehlt', 'Änderungen fehlen')} dort`;
  return `${contact} · ${missing}`;
}

/** Headline of a conflict by its kind (the core's detail says what exactly happened). */
export function conflictHeading(kind: string): string {
  switch (kind) {
    case 'feld':
      return 'Zwei verschiedene Änderungen';
    case 'fehlt':
      return 'Verweist auf einen gelöschten Eintrag';
    case 'doppelt':
      return 'Doppelt angelegt';
    case 'kapazitaet':
      return 'Mehr Anmeldungen als Plätze';
    case 'umgebucht':
      return 'Zurück auf die Warteliste – bitte benachrichtigen';
    default:
      return 'Konflikt';
  }
}

/** What a person can do about a conflict. */
export type ConflictAction =
  /** Keep one of the concurrent values (it replaces the other on every laptop). */
  | { kind: 'choose'; values: string[] }
  /** Discard the row that cannot be shown, on every laptop. */
  | { kind: 'discard'; label: string }
  /** Mark it done (the person was told; the capacity was settled on the event's page). */
  | { kind: 'done'; label: string };

/** The resolution a conflict offers. */
export function conflictAction(conflict: TeamConflict): ConflictAction {
  const c = conflict.conflict;
  switch (c.kind) {
    case 'feld':
      return { kind: 'choose', values: c.values };
    case 'fehlt':
      return { kind: 'discard', label: 'Verwerfen' };
    case 'doppelt':
      return { kind: 'discard', label: 'Doppelten Eintrag verwerfen' };
    case 'umgebucht':
      return { kind: 'done', label: 'Ist benachrichtigt' };
    default:
      return { kind: 'done', label: 'Erledigt' };
  }
}

/** The confirmation asked before a conflict is resolved, or `null` when none is needed. */
export function resolveQuestion(conflict: TeamConflict, choice: string | null): string | null {
  const c = conflict.conflict;
  if (c.kind === 'feld' && choice !== null) {
    return `„${choice}“ übernehmen? Der andere Wert wird auf allen Laptops ersetzt.`;
  }
  if (c.kind === 'fehlt' || c.kind === 'doppelt') {
    return 'Diesen Eintrag auf allen Laptops verwerfen? Das lässt sich nicht rückgängig machen.';
  }
  return null;
}

/** Where a conflict's record can be looked at, with the link's text. */
export function conflictLink(
  conflict: TeamConflict,
): { route: { name: 'event'; id: number } | { name: 'contacts' }; label: string } | null {
  if (conflict.event_id !== null) {
    return { route: { name: 'event', id: conflict.event_id }, label: `Zur Veranstaltung „${conflict.event_title ?? ''}“` };
  }
  if (conflict.person_id !== null) {
    return { route: { name: 'contacts' }, label: 'Zu den Kontakten' };
  }
  return null;
}

/** Whom to tell, for someone moved back to the waiting list ("Erika Muster, erika@…"). */
export function notifyLine(conflict: TeamConflict): string | null {
  if (conflict.conflict.kind !== 'umgebucht' || !conflict.person_name) return null;
  return conflict.person_email ? `${conflict.person_name}, ${conflict.person_email}` : conflict.person_name;
}

/** What reading a sync file did, for the toast. */
export function importMessage(report: SyncImportReport): string {
  const applied =
    report.applied === 0
      ? 'Keine neuen Änderungen – dieser Stand war schon da.'
      : `${plural(report.applied, 'Änderung', 'Änderungen')} übernommen.`;
  if (report.conflicts.length === 0) return applied;
  return `${applied} ${pluralWord(report.conflicts.length, 'Ein Konflikt braucht', `${report.conflicts.length} Konflikte brauchen`)} eine Entscheidung.`;
}

/** Screens whose unsaved input a reload would throw away: they are not reloaded by themselves
 * when another laptop's changes arrive; a notice offers it instead. */
const EDITING_SCREENS = new Set(['event-new', 'event-edit', 'event-next', 'import', 'presentation']);

/**
 * Whether the shown screen may reload by itself when another laptop's changes arrived: not
 * on a form or in the import wizard, not while a dialog is open or something is being typed.
 */
export function reloadsBySelf(routeName: string, dialogOpen: boolean, typing: boolean): boolean {
  return !EDITING_SCREENS.has(routeName) && !dialogOpen && !typing;
}

/** Input types whose value is typed text (a checkbox or a button holds no typing). */
const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'tel', 'url', 'number', 'date', 'time', 'datetime-local']);

/**
 * Whether something is being typed in the focused element: a text field or text area that
 * holds text. A screen that merely puts the focus in its empty search field (the event page,
 * the check-in) still reloads by itself.
 */
export function typingIn(focused: Element | null): boolean {
  if (focused instanceof HTMLTextAreaElement) return focused.value.trim() !== '';
  if (focused instanceof HTMLInputElement) {
    return TEXT_INPUT_TYPES.has(focused.type) && focused.value.trim() !== '';
  }
  return false;
}

/** A paired laptop as the LAN sync reports it (sync::net::PeerStatus, the fields used here). */
export interface Reach {
  laptop_id: string;
  online: boolean;
}

/** Which laptops can be reached now; `null` while the LAN sync does not run. */
export function reachability(running: boolean, peers: readonly Reach[]): Reachability {
  if (!running) return null;
  return Object.fromEntries(peers.map((p) => [p.laptop_id, p.online]));
}

/** How a laptop is connected: in the LAN (online/offline) or only by sync file. */
export function connectionLabel(laptopId: string, online: Reachability, paired: ReadonlySet<string>): {
  text: string;
  tone: 'ok' | 'off' | 'file';
} {
  if (!paired.has(laptopId)) return { text: 'nur per Abgleichsdatei', tone: 'file' };
  if (online === null) return { text: 'Netzwerk-Abgleich aus', tone: 'off' };
  return online[laptopId] ? { text: 'online', tone: 'ok' } : { text: 'offline', tone: 'off' };
}

/** "1234 5678": the pairing code in two groups, easier to read out. */
export function formatCode(code: string): string {
  return code.length === 8 ? `${code.slice(0, 4)} ${code.slice(4)}` : code;
}

/** The checks of the "Mit Laptop koppeln" form before anything is sent: German field errors. */
export function checkPairing(address: string, code: string): Record<string, string> {
  const errors: Record<string, string> = {};
  const a = address.trim();
  if (!a) errors.address = 'Bitte die Adresse angeben, die der andere Laptop zeigt (z. B. 192.168.1.20:47111).';
  else if (!/^(\[[0-9a-fA-F:.]+\]|[^\s:]+):\d{1,5}$/.test(a)) {
    errors.address = 'Bitte Rechner und Port angeben, z. B. 192.168.1.20:47111.';
  }
  const digits = code.replace(/\s+/g, '');
  if (!digits) errors.code = 'Bitte den Kopplungscode des anderen Laptops eingeben.';
  else if (!/^\d{8}$/.test(digits)) errors.code = 'Der Kopplungscode hat acht Ziffern.';
  return errors;
}

/** The code as the core expects it (digits only). */
export function codeDigits(code: string): string {
  return code.replace(/\s+/g, '');
}

/** One exchange's result as the core reports it (sync::net::ExchangeReport, fields used). */
export interface Exchange {
  name: string;
  laptop_id: string;
  applied: number;
  sent: number;
}

/**
 * The line about the replicated history under the laptop's name: its size, and when it was last
 * cleaned after a deletion (then deleted personal data has left the sync log too).
 */
export function historyLine(status: Pick<SyncStatus, 'chunks' | 'chunk_bytes' | 'compacted_at'>): string {
  const size = `${(status.chunk_bytes / 1_000_000).toLocaleString('de-DE', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} MB`;
  const stored = `${plural(status.chunks, 'Änderung', 'Änderungen')} gespeichert (${size})`;
  if (!status.compacted_at) return `Abgleich-Verlauf: ${stored}.`;
  return `Abgleich-Verlauf: ${stored}; zuletzt nach einer Löschung bereinigt am ${formatTimestamp(status.compacted_at)} – gelöschte Personendaten sind auch aus dem Verlauf entfernt.`;
}

/** What "Jetzt abgleichen" did, for the toast. */
export function syncNowMessage(reports: readonly Exchange[], paired: number): string {
  if (paired === 0) return 'Noch kein Laptop gekoppelt.';
  if (reports.length === 0) return 'Kein gekoppelter Laptop erreichbar – der Abgleich folgt, sobald einer im Netzwerk ist.';
  const parts = reports.map(
    (r) => `${laptopLabel(r.name, r.laptop_id)}: ${r.applied} empfangen, ${r.sent} gesendet`,
  );
  const missing = paired - reports.length;
  const rest = missing > 0 ? ` ${pluralWord(missing, 'Ein Laptop war', `${missing} Laptops waren`)} nicht erreichbar.` : '';
  return `Abgeglichen – ${parts.join('; ')}.${rest}`;
}

/** The question before a laptop is removed from the team. */
export function removeQuestion(name: string, laptopId: string): string {
  return `${laptopLabel(name, laptopId)} aus dem Team entfernen? Er kann danach nicht mehr abgleichen, bis er neu gekoppelt wird. Was er schon hat, bleibt auf ihm.`;
}

/** "Der Code gilt bis 14:32 Uhr und nur für eine Kopplung." (`expiresAt` in UTC). */
export function expiryText(expiresAt: string): string {
  const t = Date.parse(expiresAt);
  if (Number.isNaN(t)) return 'Der Code gilt nur für eine Kopplung.';
  const time = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' }).format(new Date(t));
  return `Der Code gilt bis ${time} Uhr und nur für eine Kopplung.`;
}
