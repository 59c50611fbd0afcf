import { describe, expect, it } from 'vitest';
import type { Statistics } from './api/bindings/Statistics';
import {
  bezirkBars,
  countryBars,
  defaultChoice,
  formatBars,
  hasTrend,
  kindBars,
  percent,
  periodText,
  reachText,
  seriesBars,
  toFilter,
  toggleSeries,
  topicBars,
  trendPoints,
  yearOptions,
} from './statistics';

function stats(): Statistics {
  const group = (key: string, label: string, events: number, registrations: number, present: number) => ({
    key,
    label,
    events,
    registrations,
    present,
  });
  return {
    filter: { from: '2025-01-01', to: '2025-12-31', series: [] },
    computed_at: '2026-11-29T18:00:00.000Z',
    reference_stand: '2021-11-30',
    events: 3,
    cancelled_events: 0,
    registrations: 100,
    present: 80,
    cancellations: 5,
    waitlist: 2,
    past_registrations: 100,
    no_shows: 20,
    no_show_rate: 0.2,
    distinct_persons: 70,
    first_timers: 20,
    returning: 50,
    distinct_organisations: 30,
    kommunen_reached: 12,
    kreise_reached: 3,
    kommunen_total: 396,
    kreise_total: 31,
    unlinked_organisations: 0,
    by_series: [group('forum', 'Forum', 2, 60, 50), group('tag', 'Tag', 1, 40, 30), group('training', 'Schulung', 0, 0, 0)],
    by_format: [group('online', 'Online', 2, 60, 50), group('praesenz', 'Präsenz', 1, 40, 30), group('hybrid', 'Hybrid', 0, 0, 0)],
    by_organisation_kind: [
      { key: 'kommune', label: 'Kommune', persons: 30, organisations: 12 },
      { key: 'kreis', label: 'Kreis', persons: 0, organisations: 0 },
      { key: 'ohne', label: 'ohne Organisation', persons: 5, organisations: 0 },
    ],
    by_regierungsbezirk: [{ name: 'Köln', kommunen_reached: 4, kommunen_total: 99, kreise_reached: 1, kreise_total: 8 }],
    kommunen_not_reached: [],
    kreise_not_reached: [],
    partner_countries: [
      { country: 'Frankreich', organisations: 9, towns: 11 },
      { country: 'Polen', organisations: 4, towns: 4 },
    ],
    topics: [{ label: 'Jugendaustausch', wishes: 12 }],
    topic_trend: {
      events: [
        { id: 1, label: '13. Forum', date: '2025-03-13', wishes: 10 },
        { id: 2, label: '14. Forum', date: '2025-10-16', wishes: 20 },
      ],
      topics: [{ label: 'Jugendaustausch', counts: [2, 10], shares: [0.2, 0.5] }],
    },
    event_rows: [],
  };
}

describe('period choice', () => {
  it('starts with the current year and offers the years back to 2020', () => {
    expect(defaultChoice('2026-11-29')).toMatchObject({ mode: 'year', year: 2026, series: [] });
    expect(yearOptions('2026-11-29')).toEqual([2026, 2025, 2024, 2023, 2022, 2021, 2020]);
    expect(yearOptions('2026-11-29', '2027-02-18')[0]).toBe(2027);
  });

  it('turns the choice into the filter the core understands', () => {
    const year = { ...defaultChoice('2026-01-05'), year: 2025, series: ['forum' as const] };
    expect(toFilter(year)).toEqual({ filter: { from: '2025-01-01', to: '2025-12-31', series: ['forum'] } });
    const range = { ...year, mode: 'range' as const, from: '2025-03-01', to: '2025-06-30' };
    expect(toFilter(range)).toEqual({ filter: { from: '2025-03-01', to: '2025-06-30', series: ['forum'] } });
    expect(toFilter({ ...range, to: '2025-02-01' })).toEqual({ error: 'Das Ende des Zeitraums liegt vor seinem Anfang.' });
    expect(toFilter({ ...range, from: '' })).toEqual({ error: 'Bitte Anfang und Ende des Zeitraums angeben.' });
  });

  it('toggles series', () => {
    expect(toggleSeries([], 'forum', true)).toEqual(['forum']);
    expect(toggleSeries(['forum', 'tag'], 'forum', false)).toEqual(['tag']);
    expect(toggleSeries(['forum'], 'forum', true)).toEqual(['forum']);
  });

  it('names the period as the report does', () => {
    expect(periodText({ from: '2025-01-01', to: '2025-12-31', series: [] })).toBe('Kalenderjahr 2025');
    expect(periodText({ from: '2025-03-01', to: '2025-06-30', series: [] })).toBe('01.03.2025 – 30.06.2025');
  });
});

describe('numbers in words', () => {
  it('writes German percentages and reach', () => {
    expect(percent(0.2)).toBe('20,0 %');
    expect(percent(0.1818)).toBe('18,2 %');
    expect(reachText(57, 396)).toBe('57 von 396 (14,4 %)');
    expect(reachText(0, 0)).toBe('0 von 0');
  });
});

describe('bars and what a click lists', () => {
  it('leaves out empty series, formats and kinds', () => {
    const s = stats();
    expect(seriesBars(s).map((b) => b.key)).toEqual(['forum', 'tag']);
    expect(seriesBars(s)[0]).toMatchObject({ value: 50, extra: 2, drill: { kind: 'series', value: 'forum' } });
    expect(formatBars(s)[1].drill).toEqual({ kind: 'format', value: 'praesenz' });
    expect(kindBars(s).map((b) => b.key)).toEqual(['kommune', 'ohne']);
    expect(kindBars(s)[1].drill).toEqual({ kind: 'organisation_kind', value: 'ohne' });
  });

  it('reach, countries and topics drill into their lists', () => {
    const s = stats();
    expect(bezirkBars(s)[0]).toMatchObject({ value: 4, extra: 99, drill: { kind: 'bezirk', value: 'Köln' } });
    expect(countryBars(s, 1).map((b) => b.label)).toEqual(['Frankreich']);
    expect(topicBars(s)[0].drill).toEqual({ kind: 'topic', value: 'Jugendaustausch' });
  });

  it('turns the trend into points per event and topic', () => {
    const trend = stats().topic_trend;
    expect(hasTrend(trend)).toBe(true);
    expect(trendPoints(trend)).toEqual([
      { event: '13. Forum', topic: 'Jugendaustausch', share: 0.2, count: 2 },
      { event: '14. Forum', topic: 'Jugendaustausch', share: 0.5, count: 10 },
    ]);
    expect(hasTrend({ events: trend.events.slice(0, 1), topics: trend.topics })).toBe(false);
  });
});
