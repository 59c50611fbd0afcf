// Paging of the wishes' presentation (views/PresentationView.svelte): a title page, then one
// group per page, continued on further pages when its clusters do not fit. Sizes are estimated
// in text lines from the screen size, so the same fonts must be used by the view (see `layoutFor`).

import type { Presentation } from './api/bindings/Presentation';

/** The slide's title as the office uses it. */
export const PRESENTATION_TITLE = 'Ihre Wünsche für den heutigen Austausch';

/** A cluster (or the part of it) shown on one page. */
export interface PageCluster {
  label: string;
  wishes: string[];
  /** True when the cluster started on an earlier page. */
  continued: boolean;
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
      clusters: PageCluster[];
    }
  | { kind: 'empty'; eventTitle: string };

/** How much text fits on a page. */
export interface PageLayout {
  /** Font size of a wish in px (cluster labels are 1.25 ×, the heading 1.6 ×). */
  fontPx: number;
  /** Text columns per page. */
  columns: number;
  /** Characters of a wish per line in one column. */
  charsPerLine: number;
  /** Lines of wish text per column. */
  linesPerColumn: number;
}

/** Space a cluster label takes, in wish lines (larger font plus a gap above). */
const LABEL_LINES = 2;
/** Gap between two wishes, in lines. */
const WISH_GAP = 0.35;
/** Fill pages only this far: the estimate is rough and text must never be cut. */
const SAFETY = 0.88;

/**
 * The layout for a stage of `width` × `height` px (the area below the page's heading). The
 * wish font grows with the width (readable from the back of a room), two columns from 1000 px.
 */
export function layoutFor(width: number, height: number): PageLayout {
  const fontPx = Math.round(Math.min(44, Math.max(20, width / 42)));
  const columns = width >= 1000 ? 2 : 1;
  const gapPx = fontPx * 2;
  const columnWidth = (width - gapPx * (columns - 1)) / columns;
  // Bulleted wishes: an average character of a sans-serif font is about 0.52 em wide.
  const charsPerLine = Math.max(12, Math.floor((columnWidth - fontPx * 1.2) / (fontPx * 0.52)));
  const linesPerColumn = Math.max(4, Math.floor(height / (fontPx * 1.3)));
  return { fontPx, columns, charsPerLine, linesPerColumn };
}

/** How many lines a wish takes. */
export function wishLines(text: string, charsPerLine: number): number {
  return Math.max(1, Math.ceil(text.length / Math.max(1, charsPerLine)));
}

/**
 * Splits a section's clusters into pages of at most `budget` lines. A cluster that fits on a
 * fresh page is not broken up; a longer one continues on the next page.
 */
export function splitSection(
  clusters: { label: string; wishes: string[] }[],
  budget: number,
  charsPerLine: number,
): PageCluster[][] {
  const pages: PageCluster[][] = [];
  let page: PageCluster[] = [];
  let used = 0;
  const flush = () => {
    if (page.length > 0) pages.push(page);
    page = [];
    used = 0;
  };
  for (const cluster of clusters) {
    const cost = clusterLines(cluster.wishes, charsPerLine);
    if (used > 0 && used + cost > budget && cost <= budget) flush();
    let current: PageCluster = { label: cluster.label, wishes: [], continued: false };
    used += LABEL_LINES;
    for (const wish of cluster.wishes) {
      const lines = wishLines(wish, charsPerLine) + WISH_GAP;
      if (used + lines > budget && (current.wishes.length > 0 || used > LABEL_LINES)) {
        const shown = current.wishes.length > 0;
        if (shown) page.push(current);
        flush();
        current = { label: cluster.label, wishes: [], continued: shown || current.continued };
        used = LABEL_LINES;
      }
      current.wishes.push(wish);
      used += lines;
    }
    page.push(current);
  }
  flush();
  return pages;
}

function clusterLines(wishes: string[], charsPerLine: number): number {
  return wishes.reduce((sum, w) => sum + wishLines(w, charsPerLine) + WISH_GAP, LABEL_LINES);
}

/** All pages: the title page, then each section on one or more pages. */
export function paginate(presentation: Presentation, layout: PageLayout): Page[] {
  const title: Page = {
    kind: 'title',
    eventTitle: presentation.event_title,
    headings: presentation.sections.map((s) => s.heading),
  };
  if (presentation.sections.length === 0) {
    return [title, { kind: 'empty', eventTitle: presentation.event_title }];
  }
  const budget = Math.max(LABEL_LINES + 2, layout.columns * layout.linesPerColumn * SAFETY);
  const pages: Page[] = [title];
  for (const section of presentation.sections) {
    const parts = splitSection(section.clusters, budget, layout.charsPerLine);
    parts.forEach((clusters, i) => {
      pages.push({ kind: 'section', heading: section.heading, part: i + 1, parts: parts.length, clusters });
    });
  }
  return pages;
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
