import { describe, expect, it } from 'vitest';
import type { Topic } from './api/bindings/Topic';
import { adoptionForm, adoptionNotes, groupTopics, topicForm, topicFromForm, topicGroups, topicKey, uniqueKey } from './topics';

const t = (key: string, group: string | null): Topic => ({ key, label: key, group, priority: 50, keywords: [] });

describe('topic catalogue', () => {
  it('groups topics in order of appearance', () => {
    const groups = groupTopics([t('a', null), t('b', 'Länder'), t('c', 'Themen'), t('d', 'Länder'), t('e', ' ')]);
    expect(groups.map((g) => [g.group, g.topics.map((x) => x.key)])).toEqual([
      [null, ['a', 'e']],
      ['Länder', ['b', 'd']],
      ['Themen', ['c']],
    ]);
    expect(topicGroups([t('a', 'Themen'), t('b', 'Länder'), t('c', null), t('d', 'Themen')])).toEqual([
      'Länder',
      'Themen',
    ]);
  });

  it('makes ASCII keys', () => {
    expect(topicKey('Fördermittel & Finanzierung')).toBe('foerdermittel-finanzierung');
    expect(topicKey('Sichtbarkeit / Öffentlichkeitsarbeit für Vereine')).toBe('sichtbarkeit-oeffentlichkeitsarbeit-fuer');
    expect(topicKey('Straße')).toBe('strasse');
    expect(topicKey('Česko')).toBe('cesko');
    expect(topicKey('!!!')).toBe('thema');
    expect(uniqueKey('jugend', ['jugend', 'jugend-2'])).toBe('jugend-3');
    expect(uniqueKey('jugend', [])).toBe('jugend');
  });

  it('converts between topic and form', () => {
    const topic: Topic = { key: 'jugend', label: 'Jugend', group: 'Themenspezifisch', priority: 60, keywords: ['Jugend*', '=DFJW'] };
    const form = topicForm(topic);
    expect(form.keywords).toBe('Jugend*\n=DFJW');
    expect(topicFromForm(form)).toEqual({ topic, errors: null });
    expect(topicFromForm({ ...form, group: ' ', keywords: ' a \n\n b ' }).topic).toEqual({
      ...topic,
      group: null,
      keywords: ['a', 'b'],
    });
    expect(topicFromForm({ ...form, priority: '101' }).errors).toEqual({
      priority: 'Bitte eine ganze Zahl von 0 bis 100 eingeben.',
    });
    expect(topicFromForm({ ...form, priority: 'viel' }).errors?.priority).toBeTruthy();
    expect(topicFromForm({ ...form, priority: '0' }).topic?.priority).toBe(0);
    expect(topicForm(null).priority).toBe('50');
  });
});

describe('adoptionForm', () => {
  it('fills the form from the proposal with a free key and the adopted priority', () => {
    const form = adoptionForm(
      {
        label: 'Vereinsrecht & Gemeinnützigkeit',
        group: null,
        keywords: ['Gemeinnützigkeit', 'Finanzamt'],
        priority: 63,
        overlaps: ['Organisationsformen jenseits von Vereinen'],
      },
      ['vereinsrecht-gemeinnuetzigkeit'],
    );
    expect(form).toEqual({
      key: 'vereinsrecht-gemeinnuetzigkeit-2',
      label: 'Vereinsrecht & Gemeinnützigkeit',
      group: '',
      priority: '63',
      keywords: 'Gemeinnützigkeit\nFinanzamt',
    });
    const parsed = topicFromForm(form);
    expect(parsed.topic?.keywords).toEqual(['Gemeinnützigkeit', 'Finanzamt']);
    expect(parsed.topic?.group).toBeNull();
  });

  it('keeps the group of a cluster under a heading', () => {
    const proposal = { label: 'Datenschutz', group: 'Themenspezifisch', keywords: [], priority: 60, overlaps: [] };
    expect(adoptionForm(proposal, []).group).toBe('Themenspezifisch');
    expect(adoptionNotes(proposal)).toEqual([
      'Die Wünsche des Clusters haben keine gemeinsamen Stichwörter – bitte selbst eintragen, sonst kennen künftige Vorschläge das Thema nur aus den Beispielen.',
    ]);
  });

  it('names the catalogue topics the keywords also match', () => {
    const notes = adoptionNotes({
      label: 'Vereinsrecht',
      group: null,
      keywords: ['Gemeinnützigkeit', 'Finanzamt'],
      priority: 63,
      overlaps: ['Organisationsformen jenseits von Vereinen', 'Fördermittel & Finanzierung'],
    });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('zu den Themen „Organisationsformen jenseits von Vereinen“, „Fördermittel & Finanzierung“');
    expect(adoptionNotes({ label: 'X', group: null, keywords: ['Satzung'], priority: 63, overlaps: ['Jugend'] })[0]).toContain(
      'zum Thema „Jugend“',
    );
  });
});
