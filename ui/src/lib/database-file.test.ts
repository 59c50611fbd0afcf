import { describe, expect, it } from 'vitest';

import { fileNotice } from './database-file';

describe('fileNotice', () => {
  it('says nothing while the file is in place', () => {
    expect(fileNotice('present', '/daten/tagungsbuero.db')).toBeNull();
  });

  it('offers the restore only for a deleted file and names the path', () => {
    const deleted = fileNotice('deleted', '/daten/tagungsbuero.db');
    expect(deleted?.canRestore).toBe(true);
    expect(deleted?.text).toContain('/daten/tagungsbuero.db');
    const replaced = fileNotice('replaced', '/daten/tagungsbuero.db');
    expect(replaced?.canRestore).toBe(false);
    expect(replaced?.text).toContain('neu');
  });
});
