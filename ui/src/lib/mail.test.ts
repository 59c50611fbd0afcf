import { describe, expect, it } from 'vitest';
import type { OutboxMessage } from './api/bindings/OutboxMessage';
import {
  actionsFor,
  countByState,
  insertPlaceholder,
  portAfterSecurityChange,
  reportText,
  sendable,
  stateTone,
} from './mail';

function message(id: number, state: OutboxMessage['state']): OutboxMessage {
  return {
    id,
    kind: 'anmeldebestaetigung',
    state,
    to: `p${id}@example.org`,
    subject: 'Anmeldebestätigung: 15. Forum',
    event_id: 1,
    event_title: '15. Forum',
    person_id: id,
    person_name: `Person ${id}`,
    queued_at: '2026-11-29T10:00:00.000Z',
    sent_at: null,
    attempts: 0,
    last_error: '',
    next_attempt_at: null,
  };
}

describe('outbox actions', () => {
  it('offers release only while waiting for it, and never resends a sent message', () => {
    expect(actionsFor('freigabe')).toEqual({ approve: true, retry: false, discard: true, draft: true });
    expect(actionsFor('gesendet')).toEqual({ approve: false, retry: false, discard: false, draft: false });
    expect(actionsFor('fehlgeschlagen').retry).toBe(true);
    expect(actionsFor('sendet')).toMatchObject({ retry: true, discard: true, draft: false });
  });

  it('counts states and what a sending run takes', () => {
    const list = [message(1, 'wartet'), message(2, 'fehlgeschlagen'), message(3, 'gesendet'), message(4, 'wartet')];
    expect(countByState(list)).toEqual({ wartet: 2, fehlgeschlagen: 1, gesendet: 1 });
    expect(sendable(list)).toBe(3);
    expect(stateTone('fehlgeschlagen')).toBe('bad');
    expect(stateTone('ueberholt')).toBe('muted');
  });
});

describe('reportText', () => {
  it('says what a run did in German', () => {
    const base = { sent: 1, failed: 0, superseded: 0, reminders_queued: 0, stopped: null, waited_seconds: 0 };
    expect(reportText(base)).toBe('1 Nachricht gesendet.');
    expect(reportText({ ...base, sent: 3, failed: 1, superseded: 2 })).toBe(
      '3 Nachrichten gesendet, 1 fehlgeschlagen, 2 nicht mehr nötig.',
    );
    expect(reportText({ ...base, sent: 0, failed: 1, stopped: 'Der Mailserver ist nicht erreichbar.' })).toBe(
      '0 Nachrichten gesendet, 1 fehlgeschlagen. Abgebrochen: Der Mailserver ist nicht erreichbar.',
    );
  });
});

describe('template editing', () => {
  it('inserts a placeholder at the caret', () => {
    expect(insertPlaceholder('Hallo ,', 6, 'Vorname')).toEqual({ text: 'Hallo {Vorname},', caret: 15 });
    expect(insertPlaceholder('', 99, 'Datum')).toEqual({ text: '{Datum}', caret: 7 });
  });

  it('moves the port along with the security unless the user typed one', () => {
    expect(portAfterSecurityChange(587, 'starttls', 'tls')).toBe(465);
    expect(portAfterSecurityChange(2525, 'starttls', 'tls')).toBe(2525);
    expect(portAfterSecurityChange(465, 'tls', 'plain')).toBe(25);
  });
});
