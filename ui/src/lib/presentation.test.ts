import { describe, expect, it } from 'vitest';
import type { Presentation } from './api/bindings/Presentation';
import {
  layoutFor,
  pageCommand,
  paginate,
  splitSection,
  turnPage,
  wishLines,
  type PageLayout,
} from './presentation';

const layout: PageLayout = { fontPx: 30, columns: 1, charsPerLine: 20, linesPerColumn: 20 };

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
  it('estimates lines per wish', () => {
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

  it('moves a cluster that fits on a fresh page instead of breaking it', () => {
    const pages = splitSection(
      [
        { label: 'A', wishes: ['1', '2', '3', '4', '5'] },
        { label: 'B', wishes: ['1', '2', '3', '4'] },
      ],
      10,
      20,
    );
    expect(pages.map((p) => p.map((c) => `${c.label}${c.wishes.length}${c.continued ? '+' : ''}`))).toEqual([
      ['A5'],
      ['B4'],
    ]);
  });

  it('never loops on a wish longer than a page', () => {
    const pages = splitSection([{ label: 'A', wishes: ['x'.repeat(500), 'y'] }], 5, 10);
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
