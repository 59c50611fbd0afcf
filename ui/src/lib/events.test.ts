import { describe, expect, it } from 'vitest';
import type { Event } from './api/bindings/Event';
import type { EventSummary } from './api/bindings/EventSummary';
import {
  cancelledInput,
  capacityWarning,
  duplicateNumberWarning,
  emptyEventForm,
  eventDefaults,
  eventToForm,
  formToInput,
  parseWholeNumber,
  splitEvents,
  titleConfirmed,
  typedNumber,
} from './events';

function event(id: number, starts_at: string, is_past: boolean): Event {
  return {
    id,
    uid: `uid-${id}`,
    title: `Veranstaltung ${id}`,
    series: 'forum',
    number: 13,
    starts_at,
    ends_at: starts_at,
    format: 'online',
    venue: '',
    online_link: '',
    capacity: 60,
    registration_deadline: '2025-03-06',
    description: '',
    status: 'offen',
    organiser: 'Netzwerkstelle',
    funding_note: '',
    days: [starts_at.slice(0, 10)],
    is_past,
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z',
  };
}

const counts = {
  angemeldet: 0,
  nachgerueckt: 0,
  warteliste: 0,
  storniert: 0,
  abgelehnt: 0,
  active: 0,
  anwesend: 0,
  free_places: null,
};

const summary = (e: Event): EventSummary => ({ event: e, counts });

describe('splitEvents', () => {
  it('lists upcoming soonest first and past latest first', () => {
    const list = [
      summary(event(1, '2023-06-20T10:00:00+02:00', true)),
      summary(event(2, '2025-09-11T11:00:00+02:00', false)),
      summary(event(3, '2025-03-13T11:00:00+01:00', false)),
      summary(event(4, '2024-11-29T10:00:00+01:00', true)),
    ];
    const { upcoming, past } = splitEvents(list);
    expect(upcoming.map((s) => s.event.id)).toEqual([3, 2]);
    expect(past.map((s) => s.event.id)).toEqual([4, 1]);
  });
});

describe('event form', () => {
  it('fills the form German-style from a stored event and converts it back', () => {
    const form = eventToForm(event(1, '2025-03-13T11:00:00+01:00', false));
    expect(form.starts_at).toBe('13.03.2025 11:00');
    expect(form.registration_deadline).toBe('06.03.2025');
    expect(form.number).toBe('13');
    const result = formToInput({ ...form, ends_at: '13.03.2025 13:00' });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.input.starts_at).toBe('2025-03-13T11:00');
      expect(result.input.ends_at).toBe('2025-03-13T13:00');
      expect(result.input.registration_deadline).toBe('2025-03-06');
      expect(result.input.number).toBe(13);
      expect(result.input.capacity).toBe(60);
    }
  });

  it('reports unreadable numbers and dates next to their fields and keeps empty ones for the core', () => {
    const form = {
      ...emptyEventForm(),
      number: '13a',
      starts_at: '13.03.2025',
      registration_deadline: '31.02.2025',
    };
    const result = formToInput(form);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.keys(result.errors).sort()).toEqual([
        'number',
        'registration_deadline',
        'starts_at',
      ]);
    }
    const empty = formToInput(emptyEventForm());
    expect(empty.ok).toBe(true);
    if (empty.ok) {
      expect(empty.input.starts_at).toBe('');
      expect(empty.input.capacity).toBeNull();
      expect(empty.input.registration_deadline).toBeNull();
    }
  });

  it('reads whole numbers', () => {
    expect(parseWholeNumber(' 25 ')).toEqual({ ok: true, value: 25 });
    expect(parseWholeNumber('')).toEqual({ ok: true, value: null });
    expect(parseWholeNumber('-1')).toEqual({ ok: true, value: -1 });
    expect(parseWholeNumber('2,5').ok).toBe(false);
  });
});

describe('duplicate numbers in a series', () => {
  it('reads only positive whole numbers', () => {
    expect(typedNumber(' 16 ')).toBe(16);
    expect(typedNumber('')).toBeNull();
    expect(typedNumber('0')).toBeNull();
    expect(typedNumber('1.5')).toBeNull();
    expect(typedNumber('sechzehn')).toBeNull();
  });

  it('warns with the other event and still allows saving', () => {
    const other = { title: '16. Forum Städtepartnerschaften NRW', starts_at: '2027-05-13T11:00:00+02:00' };
    expect(duplicateNumberWarning(16, other)).toBe(
      'Nr. 16 gibt es in dieser Reihe schon: „16. Forum Städtepartnerschaften NRW“ am 13.05.2027. Speichern ist trotzdem möglich.',
    );
    expect(duplicateNumberWarning(16, null)).toBe('');
    expect(duplicateNumberWarning(null, other)).toBe('');
  });
});

describe('capacity warning', () => {
  it('warns only for zero places', () => {
    expect(capacityWarning('0')).toBe('Keine Plätze – alle Anmeldungen kommen auf die Warteliste.');
    expect(capacityWarning(' 0 ')).not.toBe('');
    expect(capacityWarning('')).toBe('');
    expect(capacityWarning('25')).toBe('');
    expect(capacityWarning('-1')).toBe('');
  });
});

describe('cancelling and deleting an event', () => {
  it('deletes only with the exact title', () => {
    expect(titleConfirmed(' 16. Forum NRW ', '16. Forum NRW')).toBe(true);
    expect(titleConfirmed('16. forum nrw', '16. Forum NRW')).toBe(false);
    expect(titleConfirmed('', '16. Forum NRW')).toBe(false);
  });

  it('cancels by changing only the status', () => {
    const e = event(7, '2099-03-13T11:00:00+01:00', false);
    const input = cancelledInput(e);
    expect(input?.status).toBe('abgesagt');
    expect(input?.title).toBe(e.title);
    expect(input?.capacity).toBe(e.capacity);
  });

  it('starts a new event with the organiser and funding line from the settings', () => {
    const form = emptyEventForm(
      eventDefaults({ organisation_name: 'Partnerschaftsverein Musterstadt e.V.', funding_note: 'Gefördert vom Land NRW' }),
    );
    expect(form.organiser).toBe('Partnerschaftsverein Musterstadt e.V.');
    expect(form.funding_note).toBe('Gefördert vom Land NRW');
    expect(emptyEventForm().organiser).toMatch(/^Netzwerkstelle Städtepartnerschaften NRW/);
  });
});
