import { describe, expect, it } from 'vitest';
import type { Peer } from './api/bindings/Peer';
import type { SyncStatus } from './api/bindings/SyncStatus';
import type { TeamConflict } from './api/bindings/TeamConflict';
import {
  historyLine,
  checkPairing,
  codeDigits,
  conflictAction,
  connectionLabel,
  expiryText,
  formatCode,
  conflictHeading,
  conflictLink,
  headerStatus,
  importMessage,
  laptopLabel,
  notifyLine,
  peerLine,
  reachability,
  reloadsBySelf,
  typingIn,
  removeQuestion,
  resolveQuestion,
  syncNowMessage,
  waitingText,
} from './team';

const peer = (over: Partial<Peer> = {}): Peer => ({
  laptop_id: 'b2c3d4e5-0000-4000-8000-000000000002',
  name: 'Einlass 1',
  last_contact: '2026-03-13T10:02:00.000Z',
  waiting: 0,
  ...over,
});

const status = (over: Partial<SyncStatus> = {}): SyncStatus => ({
  laptop_id: 'a1b2c3d4-0000-4000-8000-000000000001',
  name: 'Büro',
  peers: [peer()],
  waiting: 0,
  conflicts: 0,
  chunks: 10,
  chunk_bytes: 2048,
  compacted_at: null,
  ...over,
});

const conflict = (kind: string, over: Partial<TeamConflict> = {}): TeamConflict => ({
  conflict: {
    id: 7,
    kind,
    table: 'registrations',
    uid: 'r-1',
    column: kind === 'feld' ? 'ort' : '',
    detail: 'Etwas ist passiert.',
    values: kind === 'feld' ? ['Aachen', 'Bonn'] : [],
    found_at: '2026-03-13T10:00:00.000Z',
  },
  event_id: null,
  event_title: null,
  person_id: null,
  person_name: null,
  person_email: null,
  ...over,
});

describe('headerStatus', () => {
  it('puts conflicts first, then offline, waiting changes, synchron', () => {
    expect(headerStatus(status({ conflicts: 2, waiting: 3 }))).toMatchObject({ text: 'Konflikte: 2', tone: 'problem' });
    expect(headerStatus(status({ conflicts: 1 }))?.title).toContain('Ein Konflikt wartet');
    const away = { [peer().laptop_id]: false };
    expect(headerStatus(status({ waiting: 3 }), away)).toMatchObject({ text: 'offline', tone: 'waiting' });
    expect(headerStatus(status({ waiting: 3 }), away)?.title).toContain('3 Änderungen warten');
    expect(headerStatus(status({ waiting: 3 }))).toMatchObject({ text: '3 Änderungen warten', tone: 'waiting' });
    expect(headerStatus(status({ waiting: 0 }), away)).toMatchObject({ text: 'offline', title: 'Kein gekoppelter Laptop erreichbar.' });
    expect(headerStatus(status({ waiting: 0 }), { [peer().laptop_id]: true })).toMatchObject({ text: 'synchron', tone: 'ok' });
    expect(headerStatus(status({ waiting: 2 }), {})).toMatchObject({ text: '2 Änderungen warten' });
    expect(headerStatus(status())).toMatchObject({ text: 'synchron', tone: 'ok' });
  });

  it('says when no other laptop is paired, and nothing before the status is known', () => {
    expect(headerStatus(status({ peers: [], waiting: 120 }))).toMatchObject({ text: 'Nicht gekoppelt', tone: 'alone' });
    expect(headerStatus(null)).toBeNull();
  });
});

describe('wording', () => {
  it('counts changes in German', () => {
    expect(waitingText(1)).toBe('1 Änderung wartet');
    expect(waitingText(1234)).toBe('1.234 Änderungen warten');
  });

  it('names laptops without a name by their id', () => {
    expect(laptopLabel(' Büro ', 'x')).toBe('Büro');
    expect(laptopLabel('', 'a1b2c3d4-0000')).toBe('Laptop ohne Namen (a1b2c3d4)');
  });

  it('describes a paired laptop', () => {
    expect(peerLine(peer())).toBe('Letzter Abgleich 13.03.2026, 11:02 · hat alle Änderungen');
    expect(peerLine(peer({ last_contact: null, waiting: 1 }))).toBe('Noch kein Abgleich · 1 Änderung fehlt dort');
    expect(peerLine(peer({ waiting: 4 }))).toContain('4 Änderungen fehlen dort');
  });

  it('sums up a sync file import', () => {
    expect(importMessage({ applied: 0, conflicts: [] })).toBe('Keine neuen Änderungen – dieser Stand war schon da.');
    expect(importMessage({ applied: 1, conflicts: [] })).toBe('1 Änderung übernommen.');
    const two = [conflict('feld').conflict, conflict('umgebucht').conflict];
    expect(importMessage({ applied: 12, conflicts: two })).toBe('12 Änderungen übernommen. 2 Konflikte brauchen eine Entscheidung.');
    expect(importMessage({ applied: 3, conflicts: two.slice(1) })).toBe('3 Änderungen übernommen. Ein Konflikt braucht eine Entscheidung.');
  });
});

describe('conflicts', () => {
  it('offers the resolution each kind needs', () => {
    expect(conflictAction(conflict('feld'))).toEqual({ kind: 'choose', values: ['Aachen', 'Bonn'] });
    expect(conflictAction(conflict('fehlt'))).toEqual({ kind: 'discard', label: 'Verwerfen' });
    expect(conflictAction(conflict('doppelt'))).toEqual({ kind: 'discard', label: 'Doppelten Eintrag verwerfen' });
    expect(conflictAction(conflict('umgebucht'))).toEqual({ kind: 'done', label: 'Ist benachrichtigt' });
    expect(conflictAction(conflict('kapazitaet'))).toEqual({ kind: 'done', label: 'Erledigt' });
    for (const kind of ['feld', 'fehlt', 'doppelt', 'kapazitaet', 'umgebucht']) {
      expect(conflictHeading(kind)).not.toBe('Konflikt');
    }
    expect(conflictHeading('neu')).toBe('Konflikt');
  });

  it('asks before replacing a value or discarding a row, not before marking done', () => {
    expect(resolveQuestion(conflict('feld'), 'Bonn')).toBe('„Bonn“ übernehmen? Der andere Wert wird auf allen Laptops ersetzt.');
    expect(resolveQuestion(conflict('doppelt'), null)).toContain('auf allen Laptops verwerfen');
    expect(resolveQuestion(conflict('umgebucht'), null)).toBeNull();
  });

  it('links to the event, else to the contacts', () => {
    expect(conflictLink(conflict('umgebucht', { event_id: 4, event_title: '13. Forum', person_id: 9 }))).toEqual({
      route: { name: 'event', id: 4 },
      label: 'Zur Veranstaltung „13. Forum“',
    });
    expect(conflictLink(conflict('feld', { person_id: 9 }))?.route).toEqual({ name: 'contacts' });
    expect(conflictLink(conflict('fehlt'))).toBeNull();
  });

  it('names whom to tell about a lost place', () => {
    const moved = conflict('umgebucht', { person_name: 'Erika Muster', person_email: 'erika@example.org' });
    expect(notifyLine(moved)).toBe('Erika Muster, erika@example.org');
    expect(notifyLine({ ...moved, person_email: null })).toBe('Erika Muster');
    expect(notifyLine(conflict('feld', { person_name: 'Erika Muster' }))).toBeNull();
  });
});

describe('reloadsBySelf', () => {
  it('reloads lists and details, never a form, a dialog or typing', () => {
    expect(reloadsBySelf('event', false, false)).toBe(true);
    expect(reloadsBySelf('events', false, false)).toBe(true);
    expect(reloadsBySelf('event-edit', false, false)).toBe(false);
    expect(reloadsBySelf('import', false, false)).toBe(false);
    expect(reloadsBySelf('event', true, false)).toBe(false);
    expect(reloadsBySelf('contacts', false, true)).toBe(false);
  });
});

describe('typingIn', () => {
  function field(tag: 'input' | 'textarea', value: string, type = 'text'): HTMLElement {
    const element = document.createElement(tag);
    if (element instanceof HTMLInputElement) element.type = type;
    element.value = value;
    return element;
  }

  it('counts a text field only while it holds text', () => {
    expect(typingIn(field('input', ''))).toBe(false);
    expect(typingIn(field('input', '  '))).toBe(false);
    expect(typingIn(field('input', 'müll', 'search'))).toBe(true);
    expect(typingIn(field('textarea', 'Wunsch'))).toBe(true);
    expect(typingIn(field('textarea', ''))).toBe(false);
  });

  it('does not count a checkbox, a button or nothing focused', () => {
    expect(typingIn(field('input', 'on', 'checkbox'))).toBe(false);
    expect(typingIn(document.createElement('button'))).toBe(false);
    expect(typingIn(null)).toBe(false);
  });
});

describe('the LAN sync', () => {
  const a = 'a-laptop';
  const b = 'b-laptop';

  it('knows who is reachable, and nothing while it does not run', () => {
    expect(reachability(false, [{ laptop_id: a, online: true }])).toBeNull();
    expect(reachability(true, [{ laptop_id: a, online: true }, { laptop_id: b, online: false }])).toEqual({ [a]: true, [b]: false });
    const paired = new Set([a, b]);
    const online = reachability(true, [{ laptop_id: a, online: true }]);
    expect(connectionLabel(a, online, paired)).toEqual({ text: 'online', tone: 'ok' });
    expect(connectionLabel(b, online, paired)).toEqual({ text: 'offline', tone: 'off' });
    expect(connectionLabel('c', online, paired)).toEqual({ text: 'nur per Abgleichsdatei', tone: 'file' });
    expect(connectionLabel(a, null, paired).text).toBe('Netzwerk-Abgleich aus');
  });

  it('shows the code in two groups and checks the pairing form in German', () => {
    expect(formatCode('12345678')).toBe('1234 5678');
    expect(codeDigits(' 1234 5678 ')).toBe('12345678');
    expect(checkPairing('192.168.1.20:47111', '1234 5678')).toEqual({});
    expect(checkPairing('[fe80::1]:47111', '12345678')).toEqual({});
    expect(checkPairing('laptop-buero.local:47111', '12345678')).toEqual({});
    expect(checkPairing('', '')).toEqual({
      address: 'Bitte die Adresse angeben, die der andere Laptop zeigt (z. B. 192.168.1.20:47111).',
      code: 'Bitte den Kopplungscode des anderen Laptops eingeben.',
    });
    expect(checkPairing('192.168.1.20', '1234')).toEqual({
      address: 'Bitte Rechner und Port angeben, z. B. 192.168.1.20:47111.',
      code: 'Der Kopplungscode hat acht Ziffern.',
    });
  });

  it('sums up "Jetzt abgleichen"', () => {
    expect(syncNowMessage([], 0)).toBe('Noch kein Laptop gekoppelt.');
    expect(syncNowMessage([], 2)).toContain('Kein gekoppelter Laptop erreichbar');
    expect(syncNowMessage([{ name: 'Einlass', laptop_id: b, applied: 3, sent: 1 }], 2)).toBe(
      'Abgeglichen – Einlass: 3 empfangen, 1 gesendet. Ein Laptop war nicht erreichbar.',
    );
  });

  it('asks before removing a laptop and says what stays', () => {
    expect(removeQuestion('Einlass 1', b)).toContain('Einlass 1 aus dem Team entfernen?');
    expect(removeQuestion('', 'abcdef123456')).toContain('Laptop ohne Namen (abcdef12)');
  });
});

describe('expiryText', () => {
  it('gives the Berlin time of the code expiry', () => {
    expect(expiryText('2026-07-01T12:32:00Z')).toBe('Der Code gilt bis 14:32 Uhr und nur für eine Kopplung.');
    expect(expiryText('bald')).toBe('Der Code gilt nur für eine Kopplung.');
  });
});

describe('historyLine', () => {
  it('names the size of the sync log', () => {
    expect(historyLine({ chunks: 1204, chunk_bytes: 2_840_000, compacted_at: null })).toBe(
      'Abgleich-Verlauf: 1.204 Änderungen gespeichert (2,8 MB).',
    );
  });

  it('says when deleted personal data left the log', () => {
    const line = historyLine({ chunks: 1, chunk_bytes: 120_000, compacted_at: '2026-11-30T09:15:00Z' });
    expect(line).toContain('1 Änderung gespeichert (0,1 MB)');
    expect(line).toContain('bereinigt am 30.11.2026, 10:15');
    expect(line).toContain('gelöschte Personendaten sind auch aus dem Verlauf entfernt');
  });
});
