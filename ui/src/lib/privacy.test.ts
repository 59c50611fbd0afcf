import { describe, expect, it } from 'vitest';

import type { Consent } from './api/bindings/Consent';
import type { DeletionReport } from './api/bindings/DeletionReport';
import type { EventRetention } from './api/bindings/EventRetention';
import {
  PURPOSES,
  changedConsents,
  consentRows,
  consentSourceFor,
  dueNotice,
  givenConsents,
  invitationMark,
  keptLines,
  removedLines,
  retentionText,
} from './privacy';

const photo: Consent = {
  purpose: 'fotos',
  state: 'widerrufen',
  given_on: '2025-03-01',
  source: 'telefon',
  updated_at: '2025-03-01T10:00:00.000Z',
};

const report = (over: Partial<DeletionReport> = {}): DeletionReport => ({
  registrations_anonymised: 12,
  persons_removed: 3,
  persons_anonymised: 0,
  persons_kept_registered: 7,
  persons_kept_invitations: 2,
  comments_removed: 1,
  wishes_kept: 9,
  attendance_kept: 10,
  affected_names: [],
  statistics: null,
  ...over,
});

const retention = (over: Partial<EventRetention> = {}): EventRetention => ({
  event_id: 1,
  title: '13. Forum',
  ends_on: '2025-03-13',
  deletion_date: '2027-03-13',
  deletion_date_set: false,
  retention_months: 24,
  registrations_with_persons: 40,
  due: false,
  personal_data_deleted_at: null,
  ...over,
});

describe('consent rows', () => {
  it('has one row per purpose, recorded ones filled', () => {
    const rows = consentRows([photo]);
    expect(rows.map((r) => r.purpose)).toEqual(PURPOSES);
    expect(rows.find((r) => r.purpose === 'fotos')).toEqual({
      purpose: 'fotos',
      state: 'widerrufen',
      given_on: '2025-03-01',
      source: 'telefon',
    });
    expect(rows.find((r) => r.purpose === 'einladungen')?.state).toBeNull();
  });

  it('sends only what changed; clearing a recorded consent sends state null', () => {
    const rows = consentRows([photo]);
    expect(changedConsents(rows, [photo])).toEqual([]);
    const edited = rows.map((r) =>
      r.purpose === 'einladungen' ? { ...r, state: 'erteilt' as const } : r.purpose === 'fotos' ? { ...r, state: null } : r,
    );
    expect(changedConsents(edited, [photo])).toEqual([
      { purpose: 'fotos', state: null, given_on: '', source: 'telefon' },
      { purpose: 'einladungen', state: 'erteilt', given_on: '', source: 'formular' },
    ]);
  });

  it('turns ticked boxes of the registration form into given consents', () => {
    expect(givenConsents(['datenschutz', 'fotos'], 'vor_ort')).toEqual([
      { purpose: 'datenschutz', state: 'erteilt', given_on: '', source: 'vor_ort' },
      { purpose: 'fotos', state: 'erteilt', given_on: '', source: 'vor_ort' },
    ]);
  });

  it('records a consent of the registration form with the registration\'s source', () => {
    expect(consentSourceFor('telefon_email')).toBe('telefon');
    expect(consentSourceFor('vor_ort')).toBe('vor_ort');
  });

  it('marks persons without invitation consent', () => {
    expect(invitationMark('erteilt')).toBe('');
    expect(invitationMark(null)).toBe('keine Einwilligung für Einladungen');
    expect(invitationMark('widerrufen')).toBe('Einladungen widerrufen');
  });
});

describe('deletion preview', () => {
  it('lists what goes, leaving out empty kinds', () => {
    expect(removedLines(report())).toEqual([
      '12 Anmeldungen: Name, E-Mail und Kontaktdaten werden entfernt',
      '1 Kommentar und Stornogründe',
      '3 Kontakte werden gelöscht (mit Einwilligungen und Verlauf)',
    ]);
    expect(removedLines(report({ persons_removed: 0, persons_anonymised: 1, comments_removed: 0 }))).toEqual([
      '12 Anmeldungen: Name, E-Mail und Kontaktdaten werden entfernt',
      '1 Kontakt wird anonymisiert',
    ]);
  });

  it('lists what stays', () => {
    expect(keptLines(report())).toEqual([
      '12 anonyme Anmeldungen mit Status, Rolle, Organisation (Art, Kreis), Erstteilnahme und Workshops – für die Statistik',
      '10 Anwesenheitseinträge (anonym)',
      '9 Wünsche ohne Namen',
      '7 Kontakte mit weiteren Anmeldungen',
      '2 Kontakte mit Einwilligung in Einladungen',
    ]);
  });
});

describe('retention notices', () => {
  it('says nothing when no deletion date passed', () => {
    expect(dueNotice([])).toBe('');
  });

  it('names one event, counts several', () => {
    expect(dueNotice([retention({ due: true })])).toBe(
      'Die Löschfrist von „13. Forum“ ist seit 13.03.2027 abgelaufen – die Personendaten sind noch gespeichert.',
    );
    expect(dueNotice([retention(), retention({ event_id: 2 })])).toBe(
      'Bei 2 Veranstaltungen ist die Löschfrist abgelaufen – die Personendaten sind noch gespeichert.',
    );
  });

  it('explains the date and says when it is done', () => {
    expect(retentionText(retention())).toBe('Personendaten löschen ab 13.03.2027 (24 Monate nach dem Ende).');
    expect(retentionText(retention({ deletion_date_set: true, deletion_date: '2025-06-30' }))).toBe(
      'Personendaten löschen ab 30.06.2025 (von Hand gesetzt).',
    );
    expect(retentionText(retention({ registrations_with_persons: 0, personal_data_deleted_at: '2027-03-14T09:00:00.000Z' }))).toBe(
      'Die Personendaten dieser Veranstaltung sind gelöscht; die Anmeldungen sind anonym.',
    );
  });
});
