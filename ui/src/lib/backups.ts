// The Sicherungen section's logic: how a backup is described (date, size, counts) and which
// file dialog filter picks a backup file.
import type { BackupCounts } from './api/bindings/BackupCounts';
import type { BackupInfo } from './api/bindings/BackupInfo';
import { formatDateTime, formatNumber, plural } from './format';

/** "2,4 MB" / "812 kB": decimal units as the file managers of Windows and Linux show them. */
export function formatSize(bytes: number): string {
  if (bytes >= 100_000) {
    const mb = bytes / 1_000_000;
    return `${mb.toLocaleString('de-DE', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} MB`;
  }
  return `${formatNumber(Math.max(1, Math.ceil(bytes / 1000)))} kB`;
}

/** "3 Veranstaltungen, 120 Personen, 310 Anmeldungen", or a note when unknown. */
export function formatBackupCounts(counts: BackupCounts | null): string {
  if (!counts) return 'Inhalt unbekannt (verschlüsselt)';
  return [
    plural(counts.events, 'Veranstaltung', 'Veranstaltungen'),
    plural(counts.persons, 'Person', 'Personen'),
    plural(counts.registrations, 'Anmeldung', 'Anmeldungen'),
  ].join(', ');
}

/** "So, 29.11.2026, 20:15" – a backup's time in Berlin. */
export function backupDate(backup: BackupInfo): string {
  return formatDateTime(backup.created_at);
}

/** The line under the section's title: the newest backup, or that there is none yet. */
export function lastBackupLine(backups: BackupInfo[]): string {
  const newest = backups[0];
  if (!newest) return 'Noch keine Sicherung in diesem Ordner.';
  return `Letzte Sicherung: ${backupDate(newest)} (${formatSize(newest.size_bytes)})`;
}

/** The question before a restore, with what the backup holds. */
export function restoreQuestion(backup: BackupInfo): string {
  return (
    `Die Daten werden auf den Stand vom ${backupDate(backup)} zurückgesetzt: ` +
    `${formatBackupCounts(backup.counts)}. Alles, was seitdem eingegeben wurde, ist danach nicht mehr ` +
    'in der Datenbank. Die jetzige Datenbank wird vorher daneben aufbewahrt ' +
    '(„….vor-wiederherstellung-…db“).'
  );
}

/** The filter of the open dialog for "Andere Sicherungsdatei wählen …". */
export const BACKUP_FILE_FILTERS = [{ name: 'Tagungsbüro-Sicherung', extensions: ['db', 'age'] }];
