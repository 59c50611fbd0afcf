// Pure helpers for the topic catalogue editor (views/TopicsView.svelte).

import type { Topic } from './api/bindings/Topic';
import type { TopicProposal } from './api/bindings/TopicProposal';
import { nonEmptyLines } from './wishes';

/** Heading for topics without a group (they are a heading of their own on the board). */
export const NO_GROUP = 'Eigene Überschrift (ohne Gruppe)';

/** Topics grouped by their group label, groups in order of first appearance. */
export function groupTopics(topics: Topic[]): { group: string | null; topics: Topic[] }[] {
  const groups = new Map<string | null, Topic[]>();
  for (const t of topics) {
    const g = t.group?.trim() || null;
    const list = groups.get(g);
    if (list) list.push(t);
    else groups.set(g, [t]);
  }
  return [...groups].map(([group, list]) => ({ group, topics: list }));
}

/** The distinct group labels of the catalogue, sorted. */
export function topicGroups(topics: Topic[]): string[] {
  const set = new Set(topics.map((t) => t.group?.trim()).filter((g): g is string => !!g));
  return [...set].sort((a, b) => a.localeCompare(b, 'de'));
}

/** An ASCII key from a label: "Fördermittel & Finanzierung" → "foerdermittel-finanzierung". */
export function topicKey(label: string): string {
  const key = label
    .toLowerCase()
    .replaceAll('ä', 'ae')
    .replaceAll('ö', 'oe')
    .replaceAll('ü', 'ue')
    .replaceAll('ß', 'ss')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return key || 'thema';
}

/** `base`, or `base-2`, `base-3` … when taken (saving a taken key would change that topic). */
export function uniqueKey(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  let n = 2;
  while (taken.includes(`${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}

/** The editable form of a topic: keywords one per line, priority as typed. */
export interface TopicForm {
  key: string;
  label: string;
  group: string;
  priority: string;
  keywords: string;
}

/** A form for editing `topic`, or an empty one for a new topic. */
export function topicForm(topic: Topic | null): TopicForm {
  if (!topic) return { key: '', label: '', group: '', priority: '50', keywords: '' };
  return {
    key: topic.key,
    label: topic.label,
    group: topic.group ?? '',
    priority: String(topic.priority),
    keywords: topic.keywords.join('\n'),
  };
}

/** The topic to save, or the form's own field errors (priority must be a whole number 0–100). */
export function topicFromForm(
  form: TopicForm,
): { topic: Topic; errors: null } | { topic: null; errors: Record<string, string> } {
  const text = form.priority.trim();
  const priority = Number(text);
  if (!/^\d{1,3}$/.test(text) || priority > 100) {
    return { topic: null, errors: { priority: 'Bitte eine ganze Zahl von 0 bis 100 eingeben.' } };
  }
  return {
    topic: {
      key: form.key.trim(),
      label: form.label.trim(),
      group: form.group.trim() || null,
      priority,
      keywords: nonEmptyLines(form.keywords),
    },
    errors: null,
  };
}

/** The form for adopting a board cluster as a topic: its label, group and proposed keywords. */
export function adoptionForm(proposal: TopicProposal, takenKeys: readonly string[]): TopicForm {
  return {
    key: uniqueKey(topicKey(proposal.label), takenKeys),
    label: proposal.label,
    group: proposal.group ?? '',
    priority: String(proposal.priority),
    keywords: proposal.keywords.join('\n'),
  };
}

/** Notes under the adoption form: the catalogue topics its keywords also match, or that none were found. */
export function adoptionNotes(proposal: TopicProposal): string[] {
  const notes: string[] = [];
  if (proposal.overlaps.length > 0) {
    const topics = proposal.overlaps.map((label) => `„${label}“`).join(', ');
    notes.push(
      `Die Stichwörter passen auch ${proposal.overlaps.length === 1 ? 'zum Thema' : 'zu den Themen'} ${topics}. Die Priorität ist so vorgeschlagen, dass das neue Thema solche Wünsche bekommt.`,
    );
  }
  if (proposal.keywords.length === 0) {
    notes.push(
      'Die Wünsche des Clusters haben keine gemeinsamen Stichwörter – bitte selbst eintragen, sonst kennen künftige Vorschläge das Thema nur aus den Beispielen.',
    );
  }
  return notes;
}
