// The third-party licences shown on "Über Tagungsbüro": the generated file
// (src/generated/licenses.json, written by `make licenses`) summarised and searched.

/** One crate or npm package of the app. */
export interface LicensedPackage {
  kind: 'crate' | 'npm';
  name: string;
  version: string;
}

/** One licence text (with its copyright lines) and the packages under it. */
export interface LicenceEntry {
  /** SPDX expression, e.g. "MIT" or "Apache-2.0 OR MIT". */
  id: string;
  /** Human name of the licence. */
  name: string;
  text: string;
  packages: LicensedPackage[];
}

/** The generated file. */
export interface LicenceFile {
  licenses: LicenceEntry[];
}

/** One line of the overview: a licence and how many packages use it. */
export interface LicenceCount {
  id: string;
  crates: number;
  npm: number;
}

/** Packages per licence id, most used first (ties by id). A package counts once per id. */
export function licenceCounts(file: LicenceFile): LicenceCount[] {
  const byId = new Map<string, { crates: Set<string>; npm: Set<string> }>();
  for (const entry of file.licenses) {
    const counts = byId.get(entry.id) ?? { crates: new Set(), npm: new Set() };
    for (const p of entry.packages) (p.kind === 'crate' ? counts.crates : counts.npm).add(`${p.name}@${p.version}`);
    byId.set(entry.id, counts);
  }
  return [...byId.entries()]
    .map(([id, c]) => ({ id, crates: c.crates.size, npm: c.npm.size }))
    .sort((a, b) => b.crates + b.npm - (a.crates + a.npm) || a.id.localeCompare(b.id));
}

/** How many distinct crates and npm packages the file lists. */
export function packageTotals(file: LicenceFile): { crates: number; npm: number } {
  const crates = new Set<string>();
  const npm = new Set<string>();
  for (const entry of file.licenses) {
    for (const p of entry.packages) (p.kind === 'crate' ? crates : npm).add(`${p.name}@${p.version}`);
  }
  return { crates: crates.size, npm: npm.size };
}

/**
 * The entries whose licence id or one of whose packages matches `query` (case-insensitive,
 * every word must occur); an empty query keeps all. Entries keep only the matching packages
 * unless the licence id itself matched.
 */
export function filterLicences<T extends LicenceEntry>(entries: T[], query: string): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return entries;
  const matches = (text: string) => words.every((w) => text.toLowerCase().includes(w));
  const result: T[] = [];
  for (const entry of entries) {
    if (matches(entry.id)) {
      result.push(entry);
      continue;
    }
    const packages = entry.packages.filter((p) => matches(`${p.name} ${p.version}`));
    if (packages.length > 0) result.push({ ...entry, packages });
  }
  return result;
}

/** "serde 1.0.228, tauri 2.12.5 (npm) …": the packages of an entry as one line. */
export function packageList(entry: LicenceEntry): string {
  return entry.packages.map((p) => `${p.name} ${p.version}${p.kind === 'npm' ? ' (npm)' : ''}`).join(', ');
}
