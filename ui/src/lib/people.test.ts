import { describe, expect, it } from 'vitest';
import type { DuplicateCandidate } from './api/bindings/DuplicateCandidate';
import { duplicateDecision, emailTakenText, personSummary, similarQuestion } from './people';
import { person } from './test-fixtures';

const byMail: DuplicateCandidate = { person: person(1, { email: 'hp@example.org' }), reason: 'same_email' };
const byName: DuplicateCandidate = { person: person(2, { email: 'privat@example.net' }), reason: 'same_name_and_ort' };
const noted: DuplicateCandidate = { person: person(3), reason: 'email_in_notes' };

describe('duplicateDecision', () => {
  it('creates when nothing matches', () => {
    expect(duplicateDecision([])).toEqual({ kind: 'none' });
  });

  it('offers the person who owns the e-mail address, whatever else matched', () => {
    expect(duplicateDecision([byName, byMail])).toEqual({ kind: 'email', person: byMail.person });
  });

  it('asks about look-alikes with another address', () => {
    expect(duplicateDecision([byName, noted])).toEqual({ kind: 'similar', persons: [byName.person, noted.person] });
  });
});

describe('texts', () => {
  it('summarises a person with organisation, Ort and e-mail', () => {
    expect(personSummary(person(1, { title: 'Dr.', organisation: 'Freundeskreis', email: 'a@b.de' }))).toBe(
      'Dr. Hans-Peter Kowalski (Freundeskreis, Bocholt, a@b.de)',
    );
    expect(personSummary(person(1, { ort: '' }))).toBe('Hans-Peter Kowalski');
  });

  it('asks "trotzdem neu anlegen?" naming everyone found', () => {
    expect(similarQuestion([byName.person])).toBe(
      'Es gibt bereits Hans-Peter Kowalski (Bocholt, privat@example.net) – trotzdem neu anlegen?',
    );
    expect(similarQuestion([person(1, { ort: '' }), person(2, { ort: '', first_name: 'Anna' }), person(3, { ort: '' })])).toBe(
      'Es gibt bereits Hans-Peter Kowalski, Anna Kowalski und Hans-Peter Kowalski – trotzdem neu anlegen?',
    );
  });

  it('names the owner of a taken address', () => {
    expect(emailTakenText(byMail.person)).toBe(
      'Die E-Mail-Adresse hp@example.org gehört bereits zu Hans-Peter Kowalski (Bocholt, hp@example.org).',
    );
  });
});
