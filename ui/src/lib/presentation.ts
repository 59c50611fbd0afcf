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
  /** Font size of a wish in px (the view sizes labels and headings relative to it). */
  fontPx: number;
  /** Text columns per page. */
  columns: number;
  /** Characters of a wish per line in one column. */
  charsPerLine: number;
  /** Characters of the page heading per line (it spans all columns). */
  headingCharsPerLine: number;
  /** Lines of wish text per column on the whole page area (heading included). */
  linesPerColumn: number;
}

/** Font sizes relative to a wish, as in PresentationView's CSS (heading 1.5em, labels 1.2em). */
export const HEADING_SCALE = 1.5;
export const LABEL_SCALE = 1.2;
/** Line height of the presentation (CSS line-height) and the average character width in em. */
const LINE_HEIGHT = 1.3;
const CHAR_EM = 0.52;
/** Gap between two wishes, in lines (0.35em at line height 1.3). */
const WISH_GAP = 0.3;
/** Fill columns only this far: the estimate is rough and text must never be cut. */
const SAFETY = 0.95;

/**
 * The layout for a page area of `width` × `height` px (everything between the top band and the
 * controls). The wish font grows with the width (readable from the back of a room); two columns
 * from 1000 px.
 */
export function layoutFor(width: number, height: number): PageLayout {
  const fontPx = Math.round(Math.min(44, Math.max(20, width / 42)));
  const columns = width >= 1000 ? 2 : 1;
  const gapPx = fontPx * 2;
  const columnWidth = (width - gapPx * (columns - 1)) / columns;
  const charWidth = fontPx * CHAR_EM;
  // Wishes are bulleted: the bullet takes about 1.2 em.
  const charsPerLine = Math.max(12, Math.floor((columnWidth - fontPx * 1.2) / charWidth));
  const headingCharsPerLine = Math.max(8, Math.floor(width / (charWidth * HEADING_SCALE * 1.08)));
  const linesPerColumn = Math.max(6, height / (fontPx * LINE_HEIGHT));
  return { fontPx, columns, charsPerLine, headingCharsPerLine, linesPerColumn };
}

/** How many lines a wish takes. */
export function wishLines(text: string, charsPerLine: number): number {
  return Math.max(1, Math.ceil(text.length / Math.max(1, charsPerLine)));
}

/** Space a cluster label takes, in wish lines (larger, bold font, margins 0.35em/0.2em). */
export function labelLines(label: string, charsPerLine: number): number {
  const perLine = Math.max(1, Math.floor(charsPerLine / (LABEL_SCALE * 1.1)));
  return Math.ceil(label.length / perLine) * ((LABEL_SCALE * 1.2) / LINE_HEIGHT) + 0.5;
}

/** Space the page heading takes in each column, in wish lines (with its rule and margin). */
export function headingLines(heading: string, layout: PageLayout): number {
  // " (2/3)" may follow the heading.
  const lines = Math.ceil((heading.length + 6) / layout.headingCharsPerLine);
  return lines * HEADING_SCALE * (1.2 / LINE_HEIGHT) + 1;
}

/** The space of a page for one section's clusters. */
export interface PageFill {
  columns: number;
  /** Lines per column below the page heading. */
  linesPerColumn: number;
  charsPerLine: number;
}

/**
 * Splits a section's clusters into pages, imitating how the browser fills the columns (a wish
 * is never split across columns, a label stays with its first wish). A cluster that does not
 * fit into the rest of a page that is already more than half full starts on the next page when it
 * fits there as a whole; otherwise it continues on the next page ("Fortsetzung").
 */
export function splitSection(clusters: { label: string; wishes: string[] }[], fill: PageFill): PageCluster[][] {
  const pages: PageCluster[][] = [];
  let page: PageCluster[] = [];
  let column = 0;
  let used = 0;
  const capacity = fill.columns * fill.linesPerColumn;
  const remaining = () => (fill.columns - column) * fill.linesPerColumn - used;
  const nextPage = () => {
    if (page.length > 0) pages.push(page);
    page = [];
    column = 0;
    used = 0;
  };
  /** Places a block that cannot be split; false when the page is full. */
  const place = (lines: number): boolean => {
    if (used > 0 && used + lines > fill.linesPerColumn) {
      column += 1;
      used = 0;
    }
    if (column >= fill.columns) return false;
    used += lines;
    return true;
  };

  for (const cluster of clusters) {
    const label = labelLines(cluster.label, fill.charsPerLine);
    const sizes = cluster.wishes.map((w) => wishLines(w, fill.charsPerLine) + WISH_GAP);
    const total = sizes.reduce((sum, n) => sum + n, label);
    if (page.length > 0 && total > remaining() && total <= capacity && remaining() < capacity / 2) nextPage();
    let current: PageCluster = { label: cluster.label, wishes: [], continued: false };
    if (!place(label + (sizes[0] ?? 0))) {
      nextPage();
      place(label + (sizes[0] ?? 0));
    }
    cluster.wishes.forEach((wish, i) => {
      if (i > 0 && !place(sizes[i])) {
        page.push(current);
        nextPage();
        current = { label: cluster.label, wishes: [], continued: true };
        place(label + sizes[i]);
      }
      current.wishes.push(wish);
    });
    page.push(current);
  }
  nextPage();
  return pages;
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
  const pages: Page[] = [title];
  for (const section of presentation.sections) {
    const linesPerColumn = Math.max(4, (layout.linesPerColumn - headingLines(section.heading, layout)) * SAFETY);
    const parts = splitSection(section.clusters, { ...layout, linesPerColumn });
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
