import { describe, expect, it } from 'vitest';
import type { MergeChoices } from './api/bindings/MergeChoices';
import type { RegistrationMerge } from './api/bindings/RegistrationMerge';
import { personLabel, registrationMergeText, sameValue, withChoice } from './merge';
import { person } from './test-fixtures';

const keep = person(12, { email: 'hp@verein.example.org' });
const remove = person(61, { first_name: 'H.-P.', email: 'hp@privat.example.net' });

const choices: MergeChoices = {
  salutation: 'keep',
  title: 'keep',
  first_name: 'keep',
  last_name: 'keep',
  function: 'keep',
  organisation: 'keep',
  ort: 'keep',
  email: 'keep',
  phone: 'remove',
};

function merge(patch: Partial<RegistrationMerge>): RegistrationMerge {
  return {
    event_id: 1,
    event_title: 'Forum',
    event_starts_at: '2027-05-06T18:00:00+02:00',
    kept_registration_id: 5,
    kept_from: 'keep',
    status: 'angemeldet',
    waitlist_position: null,
    merged_registration_id: 9,
    merged_status: 'angemeldet',
    freed_place: true,
    promoted_person_id: 33,
    promoted_name: 'Zora Zweite',
    ...patch,
  };
}

describe('merge choices', () => {
  it('switches one field and leaves the others', () => {
    const next = withChoice(choices, 'email', 'remove');
    expect(next.email).toBe('remove');
    expect(next.phone).toBe('remove');
    expect(choices.email).toBe('keep');
  });

  it('sees equal values regardless of case and spaces', () => {
    expect(sameValue({ field: 'ort', label: 'Ort', keep: 'Bocholt', remove: ' bocholt' })).toBe(true);
    expect(sameValue({ field: 'email', label: 'E-Mail', keep: 'a@b.de', remove: 'c@b.de' })).toBe(false);
  });

  it('labels a person with the key', () => {
    expect(personLabel(keep)).toBe('Hans-Peter Kowalski (Nr. 12)');
  });
});

describe('registrationMergeText', () => {
  it('says which registration stays, what becomes of the other and who moves up', () => {
    expect(registrationMergeText(merge({}), keep, remove)).toEqual({
      stays: 'Bleibt: Anmeldung Nr. 5 von Hans-Peter Kowalski – Angemeldet.',
      other:
        'Anmeldung Nr. 9 (Angemeldet) wird zusammengeführt: Verlauf, Anwesenheit und Workshops gehen auf Nr. 5 über.',
      promoted: 'Der frei gewordene Platz geht an Zora Zweite (rückt von der Warteliste nach).',
    });
  });

  it("names the removed person's registration when it wins, and no promotion without a freed place", () => {
    const text = registrationMergeText(
      merge({ kept_from: 'remove', merged_status: 'warteliste', freed_place: false, promoted_name: null }),
      keep,
      remove,
    );
    expect(text.stays).toBe('Bleibt: Anmeldung Nr. 5 von H.-P. Kowalski – Angemeldet.');
    expect(text.other).toContain('(Warteliste)');
    expect(text.promoted).toBe('');
  });

  it('says when a freed place finds nobody waiting', () => {
    expect(registrationMergeText(merge({ promoted_name: null }), keep, remove).promoted).toBe(
      'Ein Platz wird frei; auf der Warteliste steht niemand.',
    );
  });
});
