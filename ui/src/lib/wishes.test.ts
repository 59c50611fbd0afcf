import { describe, expect, it } from 'vitest';
import type { WishBoard } from './api/bindings/WishBoard';
import type { WishCard } from './api/bindings/WishCard';
import {
  assignmentHint,
  canAdopt,
  boardRows,
  buildZones,
  evidenceText,
  cardKeyAction,
  clusterOfWish,
  filterTargets,
  findWish,
  groupLabels,
  isUnsure,
  moveTargets,
  nonEmptyLines,
  shorten,
  stepIndex,
  suggestionSummary,
  zoneKey,
} from './wishes';

function wish(id: number, text: string, extra: Partial<WishCard> = {}): WishCard {
  return { id, text, registration_id: null, assignment: 'auto', score: 0.8, second_cluster: null, evidence: [], ...extra };
}

function cluster(id: number, label: string, group: string | null, wishes: WishCard[]) {
  return { id, label, group, locked: false, origin: 'catalogue' as const, in_catalogue: true, wishes };
}

const board: WishBoard = {
  event_id: 3,
  sections: [
    { heading: 'Fördermittel & Finanzierung', is_group: false, clusters: [cluster(1, 'Fördermittel & Finanzierung', null, [wish(10, 'Finanzierungsmöglichkeiten')])] },
    { heading: 'Allgemein', is_group: false, clusters: [cluster(2, 'Allgemein', null, [wish(11, 'keine Fragen')])] },
    {
      heading: 'Länderspezifisch',
      is_group: true,
      clusters: [
        cluster(3, 'Ukraine', 'Länderspezifisch', [wish(12, 'Hilfe für UA', { second_cluster: 'Humanitäre Hilfe' })]),
        cluster(4, 'Niederlande', 'Länderspezifisch', []),
      ],
    },
    { heading: 'Zukunft', is_group: false, clusters: [cluster(5, 'Zukunft', null, [])] },
  ],
  unassigned: [wish(13, 'Nachwuchs', { assignment: null, score: null })],
  total: 4,
  finished_at: null,
  undo_action: null,
  show_general: false,
};

describe('board helpers', () => {
  it('finds where a wish is', () => {
    expect(clusterOfWish(board, 12)).toBe(3);
    expect(clusterOfWish(board, 13)).toBeNull();
    expect(clusterOfWish(board, 999)).toBeNull();
    expect(findWish(board, 13)?.text).toBe('Nachwuchs');
    expect(findWish(board, 999)).toBeNull();
  });

  it('builds one zone per cluster plus "none", as copies', () => {
    const zones = buildZones(board);
    expect(Object.keys(zones).sort()).toEqual(['1', '2', '3', '4', '5', 'none']);
    expect(zones.none.map((w) => w.id)).toEqual([13]);
    expect(zoneKey(null)).toBe('none');
    expect(zoneKey(3)).toBe('3');
    zones['3'].pop();
    expect(board.sections[2].clusters[0].wishes).toHaveLength(1);
  });

  it('puts consecutive clusters without group into one row', () => {
    const rows = boardRows(board);
    expect(rows.map((r) => [r.heading, r.clusters.map((c) => c.id)])).toEqual([
      [null, [1, 2]],
      ['Länderspezifisch', [3, 4]],
      [null, [5]],
    ]);
    // The board itself is not changed.
    expect(board.sections[0].clusters).toHaveLength(1);
  });

  it('lists group labels', () => {
    expect(groupLabels(board, ['Themenspezifisch', null, 'Länderspezifisch'])).toEqual([
      'Länderspezifisch',
      'Themenspezifisch',
    ]);
  });
});

describe('keyboard move menu', () => {
  it('offers every other place, "Nicht zugeordnet" first', () => {
    const t = moveTargets(board, 12);
    expect(t.map((x) => x.clusterId)).toEqual([null, 1, 2, 4, 5]);
    expect(t[0].label).toBe('Nicht zugeordnet');
    // An unassigned wish is not offered "Nicht zugeordnet".
    expect(moveTargets(board, 13).map((x) => x.clusterId)).toEqual([1, 2, 3, 4, 5]);
  });

  it('filters by label and group, ignoring case and umlauts', () => {
    const t = moveTargets(board, 13);
    expect(filterTargets(t, 'foerder').map((x) => x.clusterId)).toEqual([1]);
    expect(filterTargets(t, 'länder').map((x) => x.clusterId)).toEqual([3, 4]);
    expect(filterTargets(t, 'LÄNDER nieder').map((x) => x.clusterId)).toEqual([4]);
    expect(filterTargets(t, '  ')).toHaveLength(5);
    expect(filterTargets(t, 'xyz')).toEqual([]);
  });

  it('steps through the list with wrap-around', () => {
    expect(stepIndex(0, 1, 3)).toBe(1);
    expect(stepIndex(2, 1, 3)).toBe(0);
    expect(stepIndex(0, -1, 3)).toBe(2);
    expect(stepIndex(-1, 1, 3)).toBe(0);
    expect(stepIndex(-1, -1, 3)).toBe(2);
    expect(stepIndex(1, 1, 0)).toBe(-1);
  });

  it('maps keys on a card', () => {
    const key = (k: string, ctrl = false) => cardKeyAction({ key: k, ctrlKey: ctrl, altKey: false, metaKey: false });
    expect(key('m')).toBe('move');
    expect(key('M')).toBe('move');
    expect(key('Enter')).toBe('move');
    expect(key('F2')).toBe('edit');
    expect(key('m', true)).toBeNull();
    expect(key('x')).toBeNull();
  });
});

describe('texts', () => {
  it('describes assignments', () => {
    expect(assignmentHint(wish(1, 'a', { score: 0.824 }))).toBe('Vorschlag · 82 %');
    expect(assignmentHint(wish(1, 'a', { assignment: 'manual', score: null }))).toBe('manuell');
    expect(assignmentHint(wish(1, 'a', { assignment: null, score: null }))).toBe('');
    expect(isUnsure(wish(1, 'a', { score: 0.2 }))).toBe(true);
    expect(isUnsure(wish(1, 'a', { score: 0.9 }))).toBe(false);
    expect(isUnsure(wish(1, 'a', { assignment: 'manual', score: 0.1 }))).toBe(false);
  });

  it('summarises a suggestion run', () => {
    expect(suggestionSummary({ placed: 42, left_unassigned: 0, without_topic: 0, untouched: 0, clusters_created: 3 })).toBe(
      '42 Wünsche zugeordnet, 3 neue Cluster.',
    );
    expect(suggestionSummary({ placed: 1, left_unassigned: 2, without_topic: 1, untouched: 5, clusters_created: 1 })).toBe(
      '1 Wunsch zugeordnet, 1 neuer Cluster, 5 Wünsche unverändert (von Hand oder gesperrt), 2 Wünsche bleiben offen (Cluster gesperrt), 1 Wunsch ohne erkennbares Thema bei „Nicht zugeordnet“.',
    );
    expect(suggestionSummary({ placed: 0, left_unassigned: 0, without_topic: 0, untouched: 7, clusters_created: 0 })).toBe(
      'Keine Änderungen: alle Wünsche sind schon zugeordnet, 7 Wünsche unverändert (von Hand oder gesperrt).',
    );
  });

  it('shortens and splits lines', () => {
    expect(shorten('kurz')).toBe('kurz');
    expect(shorten('a'.repeat(50), 10)).toBe('aaaaaaaaa…');
    expect(nonEmptyLines(' eins \r\n\n zwei\n  \n')).toEqual(['eins', 'zwei']);
    expect(nonEmptyLines('')).toEqual([]);
  });
});

describe('evidenceText', () => {
  it('names the deciding words of an automatic suggestion', () => {
    expect(evidenceText(wish(1, 'Zuschüsse für Kleinprojekte', { evidence: ['Zuschüsse', 'Antrag'] }))).toBe(
      'wegen „Zuschüsse“, „Antrag“',
    );
  });
  it('is empty for manual placements and suggestions without deciding words', () => {
    expect(evidenceText(wish(1, 'a', { assignment: 'manual', evidence: ['Zuschüsse'] }))).toBe('');
    expect(evidenceText(wish(1, 'keine Fragen'))).toBe('');
  });
});

describe('canAdopt', () => {
  it('offers only clusters with wishes whose label the catalogue does not know', () => {
    const known = cluster(1, 'Ukraine', 'Länderspezifisch', [wish(1, 'Hilfe für UA')]);
    const unknown = { ...cluster(2, 'Vereinsrecht', null, [wish(2, 'Gemeinnützigkeit')]), in_catalogue: false };
    const empty = { ...cluster(3, 'Neu', null, []), in_catalogue: false };
    expect(canAdopt(known)).toBe(false);
    expect(canAdopt(unknown)).toBe(true);
    expect(canAdopt(empty)).toBe(false);
  });
});
