// Pure helpers for the curation board of an event's wishes (views/WishesView.svelte):
// where a wish sits, the rows of the board, the targets of the keyboard move menu and the
// German texts of hints and notices.

import type { BoardCluster } from './api/bindings/BoardCluster';
import type { SuggestionRun } from './api/bindings/SuggestionRun';
import type { WishBoard } from './api/bindings/WishBoard';
import type { WishCard } from './api/bindings/WishCard';
import { plural } from './format';
import { fold } from './registrations';

/** Label of the column of wishes in no cluster. */
export const UNASSIGNED_LABEL = 'Nicht zugeordnet';

/** What the user can do with a cluster on the board. */
export type ClusterAction = 'rename' | 'lock' | 'merge' | 'split' | 'delete' | 'adopt';

/**
 * Whether a cluster may be adopted as a new topic of the catalogue: the catalogue does not know its
 * label yet and it has wishes to take keywords from.
 */
export function canAdopt(cluster: BoardCluster): boolean {
  return !cluster.in_catalogue && cluster.wishes.length > 0;
}

/** Key of a drop zone: a cluster id as text, or "none" for "Nicht zugeordnet". */
export function zoneKey(clusterId: number | null): string {
  return clusterId === null ? 'none' : String(clusterId);
}

/** All clusters of the board in display order. */
export function allClusters(board: WishBoard): BoardCluster[] {
  return board.sections.flatMap((s) => s.clusters);
}

/** The cluster a wish is in (null = unassigned or unknown). */
export function clusterOfWish(board: WishBoard, wishId: number): number | null {
  for (const cluster of allClusters(board)) {
    if (cluster.wishes.some((w) => w.id === wishId)) return cluster.id;
  }
  return null;
}

/** A wish by id, wherever it sits. */
export function findWish(board: WishBoard, wishId: number): WishCard | null {
  const all = [...board.unassigned, ...allClusters(board).flatMap((c) => c.wishes)];
  return all.find((w) => w.id === wishId) ?? null;
}

/** The items of every drop zone by zone key, fresh copies (the drag library reorders them). */
export function buildZones(board: WishBoard): Record<string, WishCard[]> {
  const zones: Record<string, WishCard[]> = { none: [...board.unassigned] };
  for (const cluster of allClusters(board)) zones[zoneKey(cluster.id)] = [...cluster.wishes];
  return zones;
}

/**
 * One row of the board: a group heading with its clusters, or (heading null) a run of
 * consecutive clusters that are headings themselves ("Fördermittel & Finanzierung", "Allgemein").
 */
export interface BoardRow {
  heading: string | null;
  clusters: BoardCluster[];
}

/** The board's sections as rows; consecutive clusters without group share one row. */
export function boardRows(board: WishBoard): BoardRow[] {
  const rows: BoardRow[] = [];
  for (const section of board.sections) {
    if (section.is_group) {
      rows.push({ heading: section.heading, clusters: section.clusters });
      continue;
    }
    const last = rows.at(-1);
    if (last && last.heading === null) last.clusters.push(...section.clusters);
    else rows.push({ heading: null, clusters: [...section.clusters] });
  }
  return rows;
}

/** The distinct group labels on the board and in `extra` (e.g. the catalogue's), sorted. */
export function groupLabels(board: WishBoard, extra: readonly (string | null)[] = []): string[] {
  const groups = new Set<string>();
  for (const c of allClusters(board)) if (c.group) groups.add(c.group);
  for (const g of extra) if (g) groups.add(g);
  return [...groups].sort((a, b) => a.localeCompare(b, 'de'));
}

/** Where a wish can be moved to with the keyboard menu. */
export interface MoveTarget {
  /** Target cluster id; null = "Nicht zugeordnet". */
  clusterId: number | null;
  label: string;
  group: string | null;
}

/** Every place the wish can go except where it is: "Nicht zugeordnet" first, then the clusters. */
export function moveTargets(board: WishBoard, wishId: number): MoveTarget[] {
  const current = clusterOfWish(board, wishId);
  const inCluster = allClusters(board).some((c) => c.id === current);
  const targets: MoveTarget[] = [];
  if (inCluster) targets.push({ clusterId: null, label: UNASSIGNED_LABEL, group: null });
  for (const c of allClusters(board)) {
    if (c.id !== current) targets.push({ clusterId: c.id, label: c.label, group: c.group });
  }
  return targets;
}

/** Folds case and umlauts, also the typed forms "ae", "oe", "ue" ("foerder" finds "Förder…"). */
function searchFold(text: string): string {
  return fold(text).replace(/([aou])e/g, '$1');
}

/** Targets whose label or group contains every word of `query` (case and umlauts ignored). */
export function filterTargets(targets: MoveTarget[], query: string): MoveTarget[] {
  const words = searchFold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return targets;
  return targets.filter((t) => {
    const hay = searchFold(`${t.label} ${t.group ?? ''}`);
    return words.every((w) => hay.includes(w));
  });
}

/** The next highlighted index of a list of `length` after moving by `delta`, wrapping around. */
export function stepIndex(index: number, delta: number, length: number): number {
  if (length <= 0) return -1;
  if (index < 0) return delta >= 0 ? 0 : length - 1;
  return (((index + delta) % length) + length) % length;
}

/** What a key pressed on a focused wish card does. */
export type CardKeyAction = 'move' | 'edit' | null;

/** "m" or Enter opens the move menu, F2 edits the text; other keys are left alone. */
export function cardKeyAction(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey'>): CardKeyAction {
  if (e.ctrlKey || e.altKey || e.metaKey) return null;
  if (e.key === 'm' || e.key === 'M' || e.key === 'Enter') return 'move';
  if (e.key === 'F2') return 'edit';
  return null;
}

/** The small hint on a card: how it got into its cluster. */
export function assignmentHint(card: WishCard): string {
  if (card.assignment === 'manual') return 'manuell';
  if (card.assignment === 'auto') {
    return card.score === null ? 'Vorschlag' : `Vorschlag · ${Math.round(card.score * 100)} %`;
  }
  return '';
}

/** The tooltip of that hint. */
export function assignmentTitle(card: WishCard): string {
  if (card.assignment === 'manual') return 'Von Hand zugeordnet – neue Vorschläge ändern das nicht.';
  if (card.assignment === 'auto') {
    const sure = card.score === null ? '' : ` (Sicherheit ${Math.round(card.score * 100)} %)`;
    return `Automatisch vorgeschlagen${sure} – ein neuer Vorschlag kann ihn umsortieren.`;
  }
  return '';
}

/** The words that decided an automatic suggestion, as shown on the card
 * (`wegen „Zuschüsse“, „Antrag“`); empty when placed by hand or without deciding words. */
export function evidenceText(card: WishCard): string {
  if (card.assignment !== 'auto' || card.evidence.length === 0) return '';
  return `wegen ${card.evidence.map((w) => `„${w}“`).join(', ')}`;
}

/** Whether an automatic assignment is unsure enough to deserve a second look. */
export function isUnsure(card: WishCard): boolean {
  return card.assignment === 'auto' && card.score !== null && card.score < 0.35;
}

/** The notice after a suggestion run. */
export function suggestionSummary(run: SuggestionRun): string {
  const parts: string[] = [];
  if (run.placed === 0 && run.clusters_created === 0) {
    parts.push('Keine Änderungen: alle Wünsche sind schon zugeordnet');
  } else {
    parts.push(`${plural(run.placed, 'Wunsch', 'Wünsche')} zugeordnet`);
    if (run.clusters_created > 0) {
      parts.push(`${plural(run.clusters_created, 'neuer Cluster', 'neue Cluster')}`);
    }
  }
  if (run.untouched > 0) {
    parts.push(`${plural(run.untouched, 'Wunsch', 'Wünsche')} unverändert (von Hand oder gesperrt)`);
  }
  if (run.left_unassigned > 0) {
    parts.push(`${plural(run.left_unassigned, 'Wunsch bleibt', 'Wünsche bleiben')} offen (Cluster gesperrt)`);
  }
  if (run.without_topic > 0) {
    parts.push(`${plural(run.without_topic, 'Wunsch', 'Wünsche')} ohne erkennbares Thema bei „Nicht zugeordnet“`);
  }
  return `${parts.join(', ')}.`;
}

/** A text shortened to `max` characters with an ellipsis, for notices. */
export function shorten(text: string, max = 40): string {
  const t = text.trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}

/** The non-empty lines of a text area, trimmed (wishes "eine pro Zeile"). */
export function nonEmptyLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}
