import { describe, expect, it } from 'vitest';
import { filterLicences, licenceCounts, packageList, packageTotals, type LicenceFile } from './licenses';

const FILE: LicenceFile = {
  licenses: [
    {
      id: 'Apache-2.0 OR MIT',
      name: 'Apache License 2.0',
      text: 'Apache text',
      packages: [
        { kind: 'crate', name: 'serde', version: '1.0.1' },
        { kind: 'crate', name: 'serde_json', version: '1.0.2' },
      ],
    },
    {
      id: 'MIT',
      name: 'MIT License',
      text: 'Copyright A',
      packages: [
        { kind: 'crate', name: 'kodama', version: '0.3.0' },
        { kind: 'npm', name: 'svelte', version: '5.57.3' },
      ],
    },
    {
      id: 'MIT',
      name: 'MIT License',
      text: 'Copyright B',
      packages: [
        { kind: 'npm', name: 'svelte', version: '5.57.3' },
        { kind: 'npm', name: 'clsx', version: '2.1.1' },
      ],
    },
    { id: 'Zlib', name: 'zlib License', text: 'zlib', packages: [{ kind: 'crate', name: 'miniz', version: '0.8.0' }] },
  ],
};

describe('licenceCounts', () => {
  it('counts each package once per licence, most used first', () => {
    expect(licenceCounts(FILE)).toEqual([
      { id: 'MIT', crates: 1, npm: 2 },
      { id: 'Apache-2.0 OR MIT', crates: 2, npm: 0 },
      { id: 'Zlib', crates: 1, npm: 0 },
    ]);
  });
});

describe('packageTotals', () => {
  it('counts distinct crates and npm packages', () => {
    expect(packageTotals(FILE)).toEqual({ crates: 4, npm: 2 });
  });
});

describe('filterLicences', () => {
  it('keeps everything for an empty query', () => {
    expect(filterLicences(FILE.licenses, '  ')).toBe(FILE.licenses);
  });
  it('keeps only the matching packages of an entry', () => {
    const found = filterLicences(FILE.licenses, 'SERDE_j');
    expect(found).toHaveLength(1);
    expect(found[0].packages.map((p) => p.name)).toEqual(['serde_json']);
  });
  it('keeps whole entries whose licence matches', () => {
    expect(filterLicences(FILE.licenses, 'zlib')[0].packages).toHaveLength(1);
    expect(filterLicences(FILE.licenses, 'mit').map((e) => e.text)).toEqual(['Apache text', 'Copyright A', 'Copyright B']);
  });
  it('needs every word', () => {
    expect(filterLicences(FILE.licenses, 'svelte 5.57')).toHaveLength(2);
    expect(filterLicences(FILE.licenses, 'svelte 9.9')).toHaveLength(0);
  });
});

describe('packageList', () => {
  it('marks npm packages', () => {
    expect(packageList(FILE.licenses[1])).toBe('kodama 0.3.0, svelte 5.57.3 (npm)');
  });
});
