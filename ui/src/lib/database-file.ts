// What the app says when its database file disappears or is replaced while it runs (the Rust
// watcher emits the event DATABASE_FILE_EVENT with a FileState).
import type { FileState } from './api/bindings/FileState';

/** Name of the event emitted by src-tauri/src/watcher.rs. */
export const DATABASE_FILE_EVENT = 'database-file';

/** The banner for a file state: null while the file is in place. */
export interface FileNotice {
  title: string;
  text: string;
  /** Whether "Datenbank wiederherstellen" can help (only for a deleted file). */
  canRestore: boolean;
}

/** The German banner for `state`, or null when there is nothing to say. */
export function fileNotice(state: FileState, path: string): FileNotice | null {
  switch (state) {
    case 'present':
      return null;
    case 'deleted':
      return {
        title: 'Die Datenbankdatei wurde gelöscht oder verschoben.',
        text: `${path} ist nicht mehr da. Bis sie wiederhergestellt ist, speichert Tagungsbüro nichts. Die Daten sind noch geöffnet und können an ihren Platz zurückgeschrieben werden.`,
        canRestore: true,
      };
    case 'replaced':
      return {
        title: 'Die Datenbankdatei wurde durch eine andere Datei ersetzt.',
        text: `An der Stelle von ${path} liegt jetzt eine andere Datei. Damit nichts in die falsche Datei geschrieben wird, ist Speichern gesperrt. Bitte starten Sie Tagungsbüro neu.`,
        canRestore: false,
      };
  }
}
