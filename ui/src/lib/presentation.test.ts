import { describe, expect, it } from 'vitest';
import type { Presentation } from './api/bindings/Presentation';
import {
  fitScale,
  layoutFor,
  pageCommand,
  paginate,
  splitSection,
  turnPage,
  type Page,
  type PageMeasure,
} from './presentation';

/** A stand-in for the view's measurement: 30 px per started line of 20 characters. */
function measureFor(columns: number, height: number): PageMeasure {
  const lines = (text: string, perLine: number) => Math.max(1, Math.ceil(text.length / perLine));
  return {
    columns,
    height,
    heading: (h) => lines(h, 30) * 40 + 10,
    label: (l) => lines(l, 15) * 36 + 10,
    wish: (w) => lines(w, 20) * 30 + 8,
  };
}

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

const sectionPages = (pages: Page[]) => pages.filter((p) => p.kind === 'section');
const wishesOf = (p: Page) => (p.kind === 'section' ? p.columns.flat().flatMap((c) => c.wishes) : []);

/** Every wish of `presentation` appears exactly once, and no column is higher than `height`. */
function checkFits(pres: Presentation, m: PageMeasure): void {
  const pages = paginate(pres, m);
  const shown = pages.flatMap(wishesOf);
  expect(shown).toEqual(pres.sections.flatMap((s) => s.clusters.flatMap((c) => c.wishes)));
  for (const page of sectionPages(pages)) {
    if (page.kind !== 'section') continue;
    expect(page.columns.length).toBeLessThanOrEqual(m.columns);
    const room = m.height - m.heading(page.heading);
    for (const column of page.columns) {
      const used = column.reduce(
        (sum, c) => sum + (c.showLabel ? m.label(c.label) : 0) + c.wishes.reduce((n, w) => n + m.wish(w), 0),
        0,
      );
      expect(used).toBeLessThanOrEqual(room);
    }
  }
}

describe('presentation paging', () => {
  it('starts with the title page and keeps small sections on one page', () => {
    const pages = paginate(presentation, measureFor(1, 600));
    expect(pages[0]).toEqual({
      kind: 'title',
      eventTitle: '13. Forum Städtepartnerschaften NRW',
      headings: ['Fördermittel & Finanzierung', 'Länderspezifisch'],
    });
    expect(pages[1]).toMatchObject({ kind: 'section', heading: 'Fördermittel & Finanzierung', part: 1, parts: 1 });
    // A section of one cluster with its own name shows no label.
    expect(pages[1].kind === 'section' && pages[1].columns[0][0].showLabel).toBe(false);
  });

  it('continues a long section on further pages without losing or repeating a wish', () => {
    const pages = paginate(presentation, measureFor(1, 400));
    const parts = pages.filter((p) => p.kind === 'section' && p.heading === 'Länderspezifisch');
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.flatMap(wishesOf)).toEqual(['deutsch-amerikanisch', ...presentation.sections[1].clusters[1].wishes]);
    const second = parts[1];
    expect(second.kind === 'section' && second.columns[0][0]).toMatchObject({
      label: 'Ukraine',
      continued: true,
      showLabel: true,
    });
    expect(second.kind === 'section' && [second.part, second.parts]).toEqual([2, parts.length]);
    expect(pages.findIndex((p) => p.kind === 'section' && p.heading === 'Länderspezifisch')).toBe(2);
  });

  it('puts every wish on exactly one page inside the page for many sizes', () => {
    const long: Presentation = {
      event_title: 'Forum',
      sections: [
        ...presentation.sections,
        {
          heading: 'Themenspezifisch',
          clusters: [
            { label: 'Klima', wishes: ['Neue Themen für alte Partnerschaften: Klima, Nachhaltigkeit', 'Energie'] },
            { label: 'Nachhaltigkeit', wishes: Array.from({ length: 9 }, (_, i) => `Nachhaltig ${i} `.repeat(i + 1)) },
            { label: 'Jugend', wishes: ['Jugendaustausch'] },
          ],
        },
      ],
    };
    for (const [columns, height] of [
      [1, 300],
      [1, 520],
      [2, 520],
      [2, 640],
      [2, 900],
    ]) {
      checkFits(long, measureFor(columns, height));
    }
  });

  it('starts a cluster in the next column when it fits there as a whole', () => {
    const size = { label: () => 10, wish: () => 20 };
    const pages = splitSection(
      [
        { label: 'A', wishes: ['1', '2', '3', '4'] },
        { label: 'B', wishes: ['1', '2', '3'] },
      ],
      2,
      100,
      size,
    );
    const show = (ps: ReturnType<typeof splitSection>) =>
      ps.map((p) => p.map((col) => col.map((c) => `${c.label}${c.wishes.length}${c.continued ? '+' : ''}${c.showLabel ? '' : '-'}`)));
    expect(show(pages)).toEqual([[['A4'], ['B3']]]);
    // A cluster longer than a column starts right away and continues in the next column, then
    // on the next page with its label again.
    const long = splitSection([{ label: 'A', wishes: ['1'] }, { label: 'B', wishes: Array.from({ length: 12 }, String) }], 2, 100, size);
    expect(show(long)).toEqual([[['A1', 'B3'], ['B5-']], [['B4+']]]);
  });

  it('never loops on a wish higher than a page', () => {
    const pages = splitSection([{ label: 'A', wishes: ['x', 'y'] }], 1, 50, { label: () => 10, wish: (w) => (w === 'x' ? 500 : 10) });
    expect(pages.flat(2).flatMap((c) => c.wishes)).toEqual(['x', 'y']);
  });

  it('shrinks the font of a wish higher than a column', () => {
    expect(fitScale(200, 400)).toBe(1);
    const scale = fitScale(1600, 400);
    expect(scale).toBeLessThan(0.5);
    expect(scale).toBeGreaterThanOrEqual(0.3);
    expect(fitScale(100000, 100)).toBe(0.3);
    expect(fitScale(500, 400, 0.3)).toBe(0.3);
  });

  it('shows an empty page when there is nothing to show', () => {
    const pages = paginate({ event_title: 'Forum', sections: [] }, measureFor(1, 500));
    expect(pages.map((p) => p.kind)).toEqual(['title', 'empty']);
  });

  it('grows fonts with the screen and uses two columns on wide screens', () => {
    const small = layoutFor(800, 500);
    const big = layoutFor(1920, 900);
    expect(small.columns).toBe(1);
    expect(big.columns).toBe(2);
    expect(big.fontPx).toBeGreaterThan(small.fontPx);
    expect(big.fontPx).toBeLessThanOrEqual(44);
    expect(small.fontPx).toBeGreaterThanOrEqual(16);
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
