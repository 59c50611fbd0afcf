// Pure logic of the "Auswertung" screen (views/StatisticsView.svelte): the period and series
// the user picks, the bars of every chart with the drill-down key behind each bar, the trend's
// points, and German number wording. The figures themselves come from the core
// (reporting::statistics); nothing here counts.

import type { DrillKey } from './api/bindings/DrillKey';
import type { EventFormat } from './api/bindings/EventFormat';
import type { Series } from './api/bindings/Series';
import type { Statistics } from './api/bindings/Statistics';
import type { StatsFilter } from './api/bindings/StatsFilter';
import type { TopicTrend } from './api/bindings/TopicTrend';
import { formatNumber } from './format';

/** What the user picked: a calendar year or a custom range, and the series (empty = all). */
export interface StatsChoice {
  mode: 'year' | 'range';
  year: number;
  /** YYYY-MM-DD (the date inputs' value). */
  from: string;
  to: string;
  series: Series[];
}

/** The first year offered (the office's records start there). */
export const FIRST_YEAR = 2020;

/** The current year with all series; the range preset to that year. */
export function defaultChoice(today: string): StatsChoice {
  const year = Number(today.slice(0, 4));
  return { mode: 'year', year, from: `${year}-01-01`, to: `${year}-12-31`, series: [] };
}

/** The years to choose from, newest first: from the current year (or a later event's) back to 2020. */
export function yearOptions(today: string, latestEvent: string | null = null): number[] {
  const current = Number(today.slice(0, 4));
  const latest = latestEvent ? Math.max(current, Number(latestEvent.slice(0, 4))) : current;
  const years: number[] = [];
  for (let y = latest; y >= FIRST_YEAR; y--) years.push(y);
  return years;
}

/** The filter to send, or a German message for a range that cannot be asked for. */
export function toFilter(choice: StatsChoice): { filter: StatsFilter } | { error: string } {
  if (choice.mode === 'year') {
    return {
      filter: { from: `${choice.year}-01-01`, to: `${choice.year}-12-31`, series: [...choice.series] },
    };
  }
  const valid = /^\d{4}-\d{2}-\d{2}$/;
  if (!valid.test(choice.from) || !valid.test(choice.to)) {
    return { error: 'Bitte Anfang und Ende des Zeitraums angeben.' };
  }
  if (choice.to < choice.from) return { error: 'Das Ende des Zeitraums liegt vor seinem Anfang.' };
  return { filter: { from: choice.from, to: choice.to, series: [...choice.series] } };
}

/** Adds or removes a series from the filter. */
export function toggleSeries(series: readonly Series[], s: Series, on: boolean): Series[] {
  const rest = series.filter((x) => x !== s);
  return on ? [...rest, s] : rest;
}

/** "18,2 %" for 0.182; one decimal. */
export function percent(share: number): string {
  return `${(share * 100).toLocaleString('de-DE', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`;
}

/** "57 von 396" with the share: "57 von 396 (14,4 %)". */
export function reachText(reached: number, total: number): string {
  const share = total > 0 ? ` (${percent(reached / total)})` : '';
  return `${formatNumber(reached)} von ${formatNumber(total)}${share}`;
}

/** One bar of a chart: its label, value and what a click lists. */
export interface Bar {
  key: string;
  label: string;
  value: number;
  /** A second value shown in the table (e.g. the total a reach is out of). */
  extra?: number;
  drill: DrillKey | null;
}

/** Registrations and attendance per series; a click lists the series' events. */
export function seriesBars(s: Statistics): Bar[] {
  return s.by_series
    .filter((g) => g.events > 0)
    .map((g) => ({
      key: g.key,
      label: g.label,
      value: g.present,
      extra: g.events,
      drill: { kind: 'series', value: g.key as Series },
    }));
}

/** Events per format; a click lists them. */
export function formatBars(s: Statistics): Bar[] {
  return s.by_format
    .filter((g) => g.events > 0)
    .map((g) => ({
      key: g.key,
      label: g.label,
      value: g.events,
      extra: g.present,
      drill: { kind: 'format', value: g.key as EventFormat },
    }));
}

/** Persons present per organisation kind (kinds without anyone left out); a click lists them. */
export function kindBars(s: Statistics): Bar[] {
  return s.by_organisation_kind
    .filter((k) => k.persons > 0)
    .map((k) => ({
      key: k.key,
      label: k.label,
      value: k.persons,
      extra: k.organisations,
      drill: { kind: 'organisation_kind', value: k.key },
    }));
}

/** Kommunen reached per Regierungsbezirk (with the Bezirk's total); a click lists them. */
export function bezirkBars(s: Statistics): Bar[] {
  return s.by_regierungsbezirk.map((b) => ({
    key: b.name,
    label: b.name,
    value: b.kommunen_reached,
    extra: b.kommunen_total,
    drill: { kind: 'bezirk', value: b.name },
  }));
}

/** Partner countries by organisations present; a click lists the organisations. */
export function countryBars(s: Statistics, limit = 12): Bar[] {
  return s.partner_countries.slice(0, limit).map((c) => ({
    key: c.country,
    label: c.country,
    value: c.organisations,
    extra: c.towns,
    drill: { kind: 'country', value: c.country },
  }));
}

/** The top topics of the wishes; a click lists the events. */
export function topicBars(s: Statistics): Bar[] {
  return s.topics.map((t) => ({
    key: t.label,
    label: t.label,
    value: t.wishes,
    drill: { kind: 'topic', value: t.label },
  }));
}

/** Registered, present, cancelled, waiting, no-show: the participation overview (no drill-down). */
export function participationBars(s: Statistics): Bar[] {
  return [
    { key: 'registrations', label: 'Anmeldungen', value: s.registrations, drill: null },
    { key: 'present', label: 'Anwesend', value: s.present, drill: null },
    { key: 'no_shows', label: 'Nicht erschienen', value: s.no_shows, drill: null },
    { key: 'cancellations', label: 'Storniert', value: s.cancellations, drill: null },
    { key: 'waitlist', label: 'Warteliste', value: s.waitlist, drill: null },
  ];
}

/** One point of the topic trend. */
export interface TrendPoint {
  event: string;
  topic: string;
  share: number;
  count: number;
}

/** The trend as points (event × topic) in event order. */
export function trendPoints(trend: TopicTrend): TrendPoint[] {
  return trend.topics.flatMap((t) =>
    trend.events.map((e, i) => ({ event: e.label, topic: t.label, share: t.shares[i] ?? 0, count: t.counts[i] ?? 0 })),
  );
}

/** Whether the trend has something to compare: at least two events with wishes. */
export function hasTrend(trend: TopicTrend): boolean {
  return trend.events.length >= 2 && trend.topics.length > 0;
}

/** "Kalenderjahr 2025" or "01.03.2025 – 30.06.2025" (as on the report's cover). */
export function periodText(filter: StatsFilter): string {
  const year = filter.from.slice(0, 4);
  if (filter.from === `${year}-01-01` && filter.to === `${year}-12-31`) return `Kalenderjahr ${year}`;
  const german = (d: string) => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;
  return `${german(filter.from)} – ${german(filter.to)}`;
}
