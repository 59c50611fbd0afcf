import { describe, expect, it } from 'vitest';
import type { Presentation } from './api/bindings/Presentation';
import {
  headingLines,
  labelLines,
  layoutFor,
  pageCommand,
  paginate,
  splitSection,
  turnPage,
  wishLines,
  type PageLayout,
} from './presentation';

const layout: PageLayout = { fontPx: 30, columns: 1, charsPerLine: 20, headingCharsPerLine: 40, linesPerColumn: 24 };

const presentation: Presentation = {
  event_title: '13. Forum Städtepartnerschaften NRW',
  sections: [
    { heading: 'Fördermittel & Finanzierung', clusters: [{ label: 'Fördermittel & Finanzierung', wishes: ['Fördermöglichkeiten'] }] },
    {
      heading: 'Länderspezifisch',
      clusters: [
        { label: 'USA', wishes: ['deutsch-amerikanisch'] },
        { label: 'Ukraine', wishes: Array.from({ length: 20 }, (_, i) => `Ukraine Wunsch ${i + 1}`) },
      ],
    },
  ],
};

describe('presentation paging', () => {
  it('estimates lines per wish, label and heading', () => {
    expect(labelLines('USA', 20)).toBeCloseTo(1.2 * 1.2 / 1.3 + 0.5);
    expect(labelLines('Sichtbarkeit / Öffentlichkeitsarbeit für Vereine', 20)).toBeCloseTo((4 * 1.2 * 1.2) / 1.3 + 0.5);
    expect(headingLines('Länderspezifisch', layout)).toBeLessThan(headingLines('Vereinsarbeit, Ehrenamt, Nachwuchsgewinnung', layout));
    expect(wishLines('kurz', 20)).toBe(1);
    expect(wishLines('a'.repeat(41), 20)).toBe(3);
    expect(wishLines('', 20)).toBe(1);
  });

  it('starts with the title page and keeps small sections on one page', () => {
    const pages = paginate(presentation, layout);
    expect(pages[0]).toEqual({
      kind: 'title',
      eventTitle: '13. Forum Städtepartnerschaften NRW',
      headings: ['Fördermittel & Finanzierung', 'Länderspezifisch'],
    });
    expect(pages[1]).toMatchObject({ kind: 'section', heading: 'Fördermittel & Finanzierung', part: 1, parts: 1 });
  });

  it('continues a long section on further pages without losing or repeating a wish', () => {
    const pages = paginate(presentation, layout);
    const parts = pages.filter((p) => p.kind === 'section' && p.heading === 'Länderspezifisch');
    expect(parts.length).toBeGreaterThan(1);
    const wishes = parts.flatMap((p) => (p.kind === 'section' ? p.clusters.flatMap((c) => c.wishes) : []));
    expect(wishes).toEqual(['deutsch-amerikanisch', ...presentation.sections[1].clusters[1].wishes]);
    const second = parts[1];
    expect(second.kind === 'section' && second.clusters[0]).toMatchObject({ label: 'Ukraine', continued: true });
    expect(second.kind === 'section' && [second.part, second.parts]).toEqual([2, parts.length]);
    expect(pages.findIndex((p) => p.kind === 'section' && p.heading === 'Länderspezifisch')).toBe(2);
  });

  it('moves a cluster to a fresh page when the page is more than half full', () => {
    const fill = { columns: 1, linesPerColumn: 10, charsPerLine: 20 };
    const pages = splitSection(
      [
        { label: 'A', wishes: ['1', '2', '3', '4', '5'] },
        { label: 'B', wishes: ['1', '2', '3', '4'] },
      ],
      fill,
    );
    const show = (ps: ReturnType<typeof splitSection>) =>
      ps.map((p) => p.map((c) => `${c.label}${c.wishes.length}${c.continued ? '+' : ''}`));
    expect(show(pages)).toEqual([['A5'], ['B4']]);
    // With room on the page, a long cluster starts there and continues on the next page.
    const long = splitSection(
      [
        { label: 'A', wishes: ['1'] },
        { label: 'B', wishes: Array.from({ length: 10 }, (_, i) => String(i)) },
      ],
      fill,
    );
    // A label takes 1.61 lines, a short wish 1.3: B's label and 4 wishes fit after A.
    expect(show(long)).toEqual([['A1', 'B4'], ['B6+']]);
  });

  it('fills columns like the browser: a label stays with its first wish', () => {
    const pages = splitSection(
      [
        { label: 'A', wishes: ['1', '2', '3'] },
        { label: 'B', wishes: ['1', '2'] },
      ],
      { columns: 2, linesPerColumn: 6, charsPerLine: 20 },
    );
    // A: 1.61 + 3 × 1.3 = 5.51 fills column 1; B (label with first wish) starts in column 2.
    expect(pages).toHaveLength(1);
    expect(pages[0].map((c) => c.wishes.length)).toEqual([3, 2]);
  });

  it('never loops on a wish longer than a page', () => {
    const pages = splitSection([{ label: 'A', wishes: ['x'.repeat(500), 'y'] }], {
      columns: 1,
      linesPerColumn: 5,
      charsPerLine: 10,
    });
    expect(pages.flat().flatMap((c) => c.wishes)).toEqual(['x'.repeat(500), 'y']);
  });

  it('shows an empty page when there is nothing to show', () => {
    const pages = paginate({ event_title: 'Forum', sections: [] }, layout);
    expect(pages.map((p) => p.kind)).toEqual(['title', 'empty']);
  });

  it('grows fonts with the screen and uses two columns on wide screens', () => {
    const small = layoutFor(800, 500);
    const big = layoutFor(1920, 900);
    expect(small.columns).toBe(1);
    expect(big.columns).toBe(2);
    expect(big.fontPx).toBeGreaterThan(small.fontPx);
    expect(big.fontPx).toBeLessThanOrEqual(44);
    expect(small.fontPx).toBeGreaterThanOrEqual(20);
    expect(small.charsPerLine).toBeGreaterThan(20);
  });
});

describe('presentation keys', () => {
  const cmd = (key: string, shiftKey = false) => pageCommand({ key, shiftKey });

  it('maps keys to commands', () => {
    expect(['ArrowRight', 'ArrowDown', 'PageDown', ' '].map((k) => cmd(k))).toEqual(['next', 'next', 'next', 'next']);
    expect(['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace'].map((k) => cmd(k))).toEqual(['prev', 'prev', 'prev', 'prev']);
    expect(cmd(' ', true)).toBe('prev');
    expect(cmd('Home')).toBe('first');
    expect(cmd('End')).toBe('last');
    expect(cmd('Escape')).toBe('exit');
    expect(cmd('a')).toBeNull();
  });

  it('turns pages within bounds', () => {
    expect(turnPage(0, 'next', 5)).toBe(1);
    expect(turnPage(4, 'next', 5)).toBe(4);
    expect(turnPage(0, 'prev', 5)).toBe(0);
    expect(turnPage(3, 'first', 5)).toBe(0);
    expect(turnPage(1, 'last', 5)).toBe(4);
    expect(turnPage(9, 'exit', 5)).toBe(4);
    expect(turnPage(0, 'next', 0)).toBe(0);
  });
});
