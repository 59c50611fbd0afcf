// Paging of the wishes' presentation (views/PresentationView.svelte): a title page, then one
// group per page, continued on further pages when its clusters do not fit. The paging works on
// heights the view *measured* in the real layout (same fonts, same column width), so it holds for
// any window size; the view also checks the rendered page and shrinks the space when anything
// would still overflow.

import type { Presentation } from './api/bindings/Presentation';

/** The slide's title as the office uses it. */
export const PRESENTATION_TITLE = 'Ihre Wünsche für den heutigen Austausch';

/** A cluster (or the part of it) in one column of a page. */
export interface PageCluster {
  label: string;
  wishes: string[];
  /** True when the cluster started on an earlier page ("Fortsetzung"). */
  continued: boolean;
  /** False when the cluster continues from the previous column of the same page (no label). */
  showLabel: boolean;
}

/** One page of the presentation. */
export type Page =
  | { kind: 'title'; eventTitle: string; headings: string[] }
  | {
      kind: 'section';
      heading: string;
      /** 1-based part of the section, and how many parts it has (for "Fortsetzung"). */
      part: number;
      parts: number;
      /** The page's columns, each a list of cluster parts from top to bottom. */
      columns: PageCluster[][];
    }
  | { kind: 'empty'; eventTitle: string };

/** Font size and columns for a page area of `width` px. */
export interface PageLayout {
  /** Font size of a wish in px (the view sizes labels and headings relative to it). */
  fontPx: number;
  /** Text columns per page. */
  columns: number;
}

/**
 * The wish font grows with the width (readable from the back of a room); two columns from
 * 1000 px. Lower windows get a smaller font so a page still holds a few wishes.
 */
export function layoutFor(width: number, height: number): PageLayout {
  const fontPx = Math.round(Math.min(44, Math.max(16, Math.min(width / 42, height / 16))));
  const columns = width >= 1000 ? 2 : 1;
  return { fontPx, columns };
}

/** Measured heights (px) of the parts of a page, as the view renders them. */
export interface PageMeasure {
  /** Text columns per page. */
  columns: number;
  /** Height of the page area (heading and columns). */
  height: number;
  /** The heading block of a section, including " (2/3)" and its rule and margin. */
  heading(heading: string): number;
  /** A cluster label with its margins. */
  label(label: string): number;
  /** A wish with its gap to the next one. */
  wish(wish: string): number;
}

/**
 * Splits a section's clusters into pages of `columns` columns of `height` px each: a label stays
 * with its first wish, a wish is never split. A cluster that does not fit into the rest of a
 * column but fits into an empty one starts in the next column; a longer one continues there (on
 * the next page with its label and "Fortsetzung"). A block higher than a column gets a column of
 * its own (the view shrinks such wishes' font so this does not happen).
 */
export function splitSection(
  clusters: { label: string; wishes: string[] }[],
  columns: number,
  height: number,
  size: Pick<PageMeasure, 'label' | 'wish'>,
): PageCluster[][][] {
  const pages: PageCluster[][][] = [];
  let page: PageCluster[][] = [[]];
  let used = 0;
  const column = () => page[page.length - 1];
  /** Moves to the next column (or page); returns true when that started a new page. */
  const advance = (): boolean => {
    used = 0;
    if (page.length < columns) {
      page.push([]);
      return false;
    }
    pages.push(page);
    page = [[]];
    return true;
  };

  for (const cluster of clusters) {
    const label = size.label(cluster.label);
    const wishes = cluster.wishes.map((w) => size.wish(w));
    const total = wishes.reduce((sum, h) => sum + h, label);
    const first = label + (wishes[0] ?? 0);
    if (used > 0 && used + total > height && (total <= height || used + first > height)) advance();
    let current: PageCluster = { label: cluster.label, wishes: [], continued: false, showLabel: true };
    column().push(current);
    used += label;
    cluster.wishes.forEach((wish, i) => {
      const h = wishes[i];
      if (i > 0 && used + h > height) {
        const newPage = advance();
        current = { label: cluster.label, wishes: [], continued: newPage, showLabel: newPage };
        column().push(current);
        if (newPage) used += label;
      }
      current.wishes.push(wish);
      used += h;
    });
  }
  if (column().length > 0 || page.length > 1) pages.push(page);
  return pages.map((p) => p.filter((c) => c.length > 0));
}

/** All pages: the title page, then each section on one or more pages. */
export function paginate(presentation: Presentation, measure: PageMeasure): Page[] {
  const title: Page = {
    kind: 'title',
    eventTitle: presentation.event_title,
    headings: presentation.sections.map((s) => s.heading),
  };
  if (presentation.sections.length === 0) {
    return [title, { kind: 'empty', eventTitle: presentation.event_title }];
  }
  const pages: Page[] = [title];
  for (const section of presentation.sections) {
    const height = Math.max(1, measure.height - measure.heading(section.heading));
    // A section of one cluster with the section's name shows no label.
    const unlabelled = section.clusters.length === 1 && section.clusters[0].label === section.heading;
    const size = unlabelled ? { label: () => 0, wish: (w: string) => measure.wish(w) } : measure;
    const parts = splitSection(section.clusters, measure.columns, height, size);
    if (unlabelled) parts.flat(2).forEach((c) => (c.showLabel = false));
    parts.forEach((columns, i) => {
      pages.push({ kind: 'section', heading: section.heading, part: i + 1, parts: parts.length, columns });
    });
  }
  return pages;
}

/**
 * The font scale for a wish that is `measured` px high at `scale` in a column of `height` px:
 * 1 when it fits, else smaller (text area shrinks with the square of the font), never below 0.3.
 */
export function fitScale(measured: number, height: number, scale = 1): number {
  if (measured <= height) return scale;
  return Math.max(0.3, Math.floor(scale * Math.sqrt(height / measured) * 0.95 * 100) / 100);
}

/** What a key does in the presentation. */
export type PageCommand = 'next' | 'prev' | 'first' | 'last' | 'exit';

/** Arrow keys, Page Up/Down, Space (Shift+Space back), Home/End and Escape. */
export function pageCommand(e: Pick<KeyboardEvent, 'key' | 'shiftKey'>): PageCommand | null {
  switch (e.key) {
    case 'ArrowRight':
    case 'ArrowDown':
    case 'PageDown':
      return 'next';
    case ' ':
    case 'Spacebar':
      return e.shiftKey ? 'prev' : 'next';
    case 'ArrowLeft':
    case 'ArrowUp':
    case 'PageUp':
    case 'Backspace':
      return 'prev';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    case 'Escape':
      return 'exit';
    default:
      return null;
  }
}

/** The page index after `command` (unchanged for "exit"), kept within 0 … count-1. */
export function turnPage(index: number, command: PageCommand, count: number): number {
  const last = Math.max(0, count - 1);
  switch (command) {
    case 'next':
      return Math.min(last, index + 1);
    case 'prev':
      return Math.max(0, index - 1);
    case 'first':
      return 0;
    case 'last':
      return last;
    default:
      return Math.min(Math.max(0, index), last);
  }
}
