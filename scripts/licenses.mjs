// Writes ui/src/generated/licenses.json, the third-party licences shown on "Über Tagungsbüro",
// from cargo-about's JSON (crates of the app and the CLI) and license-checker's JSON (npm
// packages in the UI bundle). Run by `make licenses`; `make licenses-check` compares the result
// with the checked-in file. Both inputs are checked against allow-lists by their tools.
//
//   node scripts/licenses.mjs CARGO_ABOUT.json LICENSE_CHECKER.json OUT.json
//   node scripts/licenses.mjs --check LICENSES.json about.toml "MIT;ISC;…"
//     (checks the licence ids of a generated file against the allow-lists, in a second)
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

if (process.argv[2] === '--check') {
  const [file, aboutToml, npmAllowed] = process.argv.slice(3);
  const accepted = new Set(
    [...readFileSync(aboutToml, 'utf8').split('accepted = [')[1].split(']')[0].matchAll(/"([^"]+)"/g)].map((m) => m[1]),
  );
  const npmOk = new Set(npmAllowed.split(';'));
  const bad = [];
  for (const entry of JSON.parse(readFileSync(file, 'utf8')).licenses) {
    for (const p of entry.packages) {
      const ok = p.kind === 'crate' ? accepted.has(entry.id) : entry.id.split(' OR ').some((id) => npmOk.has(id));
      if (!ok) bad.push(`${p.name} ${p.version} (${p.kind}): ${entry.id}`);
    }
  }
  if (bad.length > 0) {
    console.error(`Lizenzen außerhalb der Erlaubnisliste:\n  ${bad.join('\n  ')}`);
    process.exit(1);
  }
  process.exit(0);
}

const [cargoFile, npmFile, outFile] = process.argv.slice(2);
if (!outFile) {
  console.error('usage: node scripts/licenses.mjs CARGO_ABOUT.json LICENSE_CHECKER.json OUT.json');
  process.exit(2);
}

const cargo = JSON.parse(readFileSync(cargoFile, 'utf8'));
const npm = JSON.parse(readFileSync(npmFile, 'utf8'));

/** One licence text and the packages under it. */
const entries = new Map();
function add(id, name, text, pkg) {
  const clean = text.replace(/\r\n/g, '\n').trim();
  const key = `${id}\n${clean}`;
  if (!entries.has(key)) entries.set(key, { id, name, text: clean, packages: [] });
  const list = entries.get(key).packages;
  if (!list.some((p) => p.name === pkg.name && p.version === pkg.version && p.kind === pkg.kind)) list.push(pkg);
}

// Our own crates are not third-party.
const own = new Set(['tagungsbuero', 'tagungsbuero-core', 'tagungsbuero-e2e']);
for (const licence of cargo.licenses) {
  for (const used of licence.used_by) {
    const { name, version } = used.crate;
    if (own.has(name)) continue;
    add(licence.id, licence.name, licence.text, { kind: 'crate', name, version });
  }
}

for (const [spec, info] of Object.entries(npm)) {
  const at = spec.lastIndexOf('@');
  const name = spec.slice(0, at);
  const version = spec.slice(at + 1);
  if (name === 'tagungsbuero-ui') continue;
  const id = Array.isArray(info.licenses) ? info.licenses.join(' OR ') : info.licenses;
  const text = npmLicenceText(info, id);
  add(id, id, text, { kind: 'npm', name, version });
}

/** The package's licence file; license-checker falls back to a README or an SPDX stub. */
function npmLicenceText(info, id) {
  const isText = (file) => /^(licen[cs]e|copying)/i.test(file) && !/\.spdx$/i.test(file);
  if (info.licenseFile) {
    const dir = dirname(info.licenseFile);
    const file = [basename(info.licenseFile), ...readdirSync(dir).sort()].find(isText);
    if (file) return readFileSync(join(dir, file), 'utf8');
  }
  return `${id} (das Paket enthält keine eigene Lizenzdatei)`;
}

const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : 1);
const licenses = [...entries.values()]
  .map((e) => ({ ...e, packages: e.packages.sort(byName) }))
  .filter((e) => e.packages.length > 0)
  .sort((a, b) => (a.id !== b.id ? (a.id < b.id ? -1 : 1) : byName(a.packages[0], b.packages[0])));

writeFileSync(outFile, JSON.stringify({ licenses }, null, 1) + '\n');
const crates = new Set(licenses.flatMap((l) => l.packages.filter((p) => p.kind === 'crate').map((p) => p.name + p.version)));
const packages = new Set(licenses.flatMap((l) => l.packages.filter((p) => p.kind === 'npm').map((p) => p.name + p.version)));
console.log(`${outFile}: ${crates.size} crates, ${packages.size} npm packages, ${licenses.length} licence texts`);
