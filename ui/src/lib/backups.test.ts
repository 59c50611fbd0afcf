import { describe, expect, it } from 'vitest';
import type { BackupInfo } from './api/bindings/BackupInfo';
import { formatBackupCounts, formatSize, lastBackupLine, restoreQuestion } from './backups';

const backup: BackupInfo = {
  file_name: 'tagungsbuero-sicherung-2026-11-29_20-15-03.db',
  path: '/daten/Sicherungen/tagungsbuero-sicherung-2026-11-29_20-15-03.db',
  created_at: '2026-11-29T20:15:03.120+01:00',
  size_bytes: 2_412_544,
  encrypted: false,
  counts: { events: 3, persons: 1, registrations: 310 },
  app_version: '0.1.0',
  checked: true,
  problem: null,
};

describe('backups', () => {
  it('formats sizes in decimal units with a German comma', () => {
    expect(formatSize(2_412_544)).toBe('2,4 MB');
    expect(formatSize(812_000)).toBe('0,8 MB');
    expect(formatSize(81_200)).toBe('82 kB');
    expect(formatSize(10)).toBe('1 kB');
  });

  it('names the counts with singular and plural, or says they are unknown', () => {
    expect(formatBackupCounts(backup.counts)).toBe('3 Veranstaltungen, 1 Person, 310 Anmeldungen');
    expect(formatBackupCounts(null)).toMatch(/unbekannt/);
  });

  it('describes the newest backup and the restore with the Berlin wall-clock time', () => {
    expect(lastBackupLine([])).toBe('Noch keine Sicherung in diesem Ordner.');
    expect(lastBackupLine([backup])).toBe('Letzte Sicherung: So, 29.11.2026, 20:15 (2,4 MB)');
    const question = restoreQuestion(backup);
    expect(question).toContain('Stand vom So, 29.11.2026, 20:15');
    expect(question).toContain('1 Person');
    expect(question).toContain('vor-wiederherstellung');
  });
});
