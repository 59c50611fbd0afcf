import { describe, expect, it } from 'vitest';
import {
  addDays,
  berlinToday,
  dateTimeLocalToGerman,
  formatCounts,
  formatDate,
  formatDateTime,
  formatRange,
  formatTimestamp,
  formatTimestampDate,
  isDateTimeLocal,
  isUpcoming,
  parseGermanDate,
  parseGermanDateTime,
  cutText,
  isLong,
  noticeText,
  plural,
  pluralWord,
  relativeDay,
  toDateInput,
  toDateTimeLocal,
  wallClock,
  weekday,
} from './format';

describe('wall-clock formatting', () => {
  it('reads the Berlin wall-clock time from RFC 3339 without converting', () => {
    expect(wallClock('2025-03-13T11:00:00+01:00')).toEqual({ date: '2025-03-13', time: '11:00' });
    expect(wallClock('2025-06-20T23:30:00+02:00')).toEqual({ date: '2025-06-20', time: '23:30' });
    expect(wallClock('kein Datum')).toBeNull();
  });

  it('formats a one-day event', () => {
    expect(formatRange('2025-03-13T11:00:00+01:00', '2025-03-13T13:00:00+01:00')).toBe(
      'Do, 13.03.2025, 11:00–13:00',
    );
  });

  it('formats a multi-day event', () => {
    expect(formatRange('2024-11-29T10:00:00+01:00', '2024-11-30T16:00:00+01:00')).toBe(
      'Fr, 29.11.2024, 10:00 – Sa, 30.11.2024, 16:00',
    );
  });

  it('keeps late-evening times on their Berlin date in every machine time zone', () => {
    // 23:30 Berlin is already the next day in UTC; the label must not move.
    expect(formatDateTime('2023-06-20T23:30:00+02:00')).toBe('Di, 20.06.2023, 23:30');
  });

  it('formats dates and weekdays', () => {
    expect(formatDate('2025-03-13')).toBe('13.03.2025');
    expect(formatDate('2025-03-13T11:00:00+01:00')).toBe('13.03.2025');
    expect(formatDate(null)).toBe('');
    expect(formatDate('Unsinn')).toBe('');
    expect(weekday('2025-03-13')).toBe('Do');
    expect(weekday('2024-02-29')).toBe('Do');
    expect(weekday('2025-03-16')).toBe('So');
  });
});

describe('input helpers', () => {
  it('converts to datetime-local and date input values', () => {
    expect(toDateTimeLocal('2025-03-13T11:00:00+01:00')).toBe('2025-03-13T11:00');
    expect(toDateTimeLocal('')).toBe('');
    expect(toDateInput('2025-03-06')).toBe('2025-03-06');
    expect(toDateInput(null)).toBe('');
  });

  it('recognises complete datetime-local values', () => {
    expect(isDateTimeLocal('2025-03-13T11:00')).toBe(true);
    expect(isDateTimeLocal('2025-03-13T11:00:30')).toBe(true);
    expect(isDateTimeLocal('2025-03-13')).toBe(false);
    expect(isDateTimeLocal('')).toBe(false);
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
});

describe('relative labels', () => {
  it('names today, tomorrow and yesterday', () => {
    expect(relativeDay('2025-03-13T11:00:00+01:00', '2025-03-13')).toBe('heute');
    expect(relativeDay('2025-03-14', '2025-03-13')).toBe('morgen');
    expect(relativeDay('2025-03-12', '2025-03-13')).toBe('gestern');
    expect(relativeDay('2025-03-20', '2025-03-13')).toBe('');
  });

  it('knows the Berlin date around midnight UTC', () => {
    // 23:30 UTC on 12 March is 00:30 on 13 March in Berlin.
    expect(berlinToday(new Date('2025-03-12T23:30:00Z'))).toBe('2025-03-13');
  });

  it('compares instants with their offsets', () => {
    const now = new Date('2025-03-13T11:30:00Z');
    expect(isUpcoming('2025-03-13T13:00:00+01:00', now)).toBe(true); // 12:00 UTC
    expect(isUpcoming('2025-03-13T12:00:00+01:00', now)).toBe(false); // 11:00 UTC
  });
});

describe('counts', () => {
  it('formats registration counts', () => {
    expect(formatCounts(45, 3)).toBe('45 angemeldet · 3 Warteliste');
    expect(formatCounts(45, 0)).toBe('45 angemeldet');
    expect(formatCounts(25, 2, 25)).toBe('25 von 25 angemeldet · 2 Warteliste');
    expect(formatCounts(1234, 0)).toBe('1.234 angemeldet');
  });

  it('words counters in singular only for exactly one', () => {
    expect(pluralWord(1, 'freier Platz', 'freie Plätze')).toBe('freier Platz');
    expect(pluralWord(0, 'freier Platz', 'freie Plätze')).toBe('freie Plätze');
    expect(pluralWord(2, 'freier Platz', 'freie Plätze')).toBe('freie Plätze');
    expect(pluralWord(null, 'freier Platz', 'freie Plätze')).toBe('freie Plätze');
    expect(plural(1, 'Anmeldung', 'Anmeldungen')).toBe('1 Anmeldung');
    expect(plural(1234, 'Wunsch', 'Wünsche')).toBe('1.234 Wünsche');
  });

  it('chooses singular or plural', () => {
    expect(plural(1, 'Person', 'Personen')).toBe('1 Person');
    expect(plural(0, 'Person', 'Personen')).toBe('0 Personen');
  });

  it('shows UTC timestamps in Berlin time', () => {
    expect(formatTimestamp('2025-03-13T10:02:00Z')).toBe('13.03.2025, 11:02');
    expect(formatTimestamp('')).toBe('');
    expect(formatTimestampDate('2025-03-12T23:30:00Z')).toBe('13.03.2025');
  });
});

describe('typed German dates', () => {
  it('reads dates in German and ISO notation', () => {
    expect(parseGermanDate('13.03.2025')).toBe('2025-03-13');
    expect(parseGermanDate(' 6.3.25 ')).toBe('2025-03-06');
    expect(parseGermanDate('2025-03-13')).toBe('2025-03-13');
    expect(parseGermanDate('31.02.2025')).toBeNull();
    expect(parseGermanDate('13/03/2025')).toBeNull();
    expect(parseGermanDate('')).toBeNull();
  });

  it('reads date and time as typed in the office', () => {
    expect(parseGermanDateTime('13.03.2025 11:00')).toBe('2025-03-13T11:00');
    expect(parseGermanDateTime('13.3.2025, 9.30')).toBe('2025-03-13T09:30');
    expect(parseGermanDateTime('13.03.25 11 Uhr')).toBe('2025-03-13T11:00');
    expect(parseGermanDateTime('2025-03-13T11:00')).toBe('2025-03-13T11:00');
    expect(parseGermanDateTime('2025-03-13 11:00')).toBe('2025-03-13T11:00');
    expect(parseGermanDateTime('13.03.2025')).toBeNull();
    expect(parseGermanDateTime('13.03.2025 25:00')).toBeNull();
    expect(parseGermanDateTime('13.03.2025 11:75')).toBeNull();
  });

  it('shows datetime-local values in German', () => {
    expect(dateTimeLocalToGerman('2025-03-13T11:00')).toBe('13.03.2025 11:00');
    expect(dateTimeLocalToGerman('2025-03-13T11:00:00+01:00')).toBe('13.03.2025 11:00');
    expect(dateTimeLocalToGerman('Quatsch')).toBe('Quatsch');
  });
});

describe('long text in lists', () => {
  it('cuts only text longer than 40 characters', () => {
    expect(isLong('Partnerschaftskomitee Lüdenscheid')).toBe(false);
    expect(isLong('x'.repeat(41))).toBe(true);
    expect(isLong(null)).toBe(false);
  });
});

describe('notices', () => {
  it('cut very long messages with an ellipsis', () => {
    expect(cutText('abcdef', 4)).toBe('abc…');
    expect(noticeText('Anna Muster ist angemeldet.')).toBe('Anna Muster ist angemeldet.');
    const long = `${'Partnerschaftsverein 🎉 '.repeat(20)}ist angemeldet.`;
    const shown = noticeText(long);
    expect([...shown]).toHaveLength(200);
    expect(shown.endsWith('…')).toBe(true);
    expect(long.startsWith(shown.slice(0, -1))).toBe(true);
  });
});
