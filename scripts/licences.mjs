#!/usr/bin/env node
// Writes src-tauri/licences.json: everything the app bundles, with its licence and the licence
// texts the package itself ships, for the About box. Like `cargo about`, from the sources:
// - the Rust crates the app links on Linux, macOS or Windows (`cargo metadata` per target: the
//   app's normal dependencies, followed through the resolve graph), each with its LICENSE/COPYING files;
// - the npm packages built into the window (the UI's dependencies, and Svelte's runtime with
//   its own dependencies), each with its licence files from ui/node_modules;
// - the fonts in assets/fonts, with their licence.
// A package that ships no licence file gets the standard text of each licence it declares, from
// the SPDX licence list (npm spdx-license-list), as `cargo about` does; the About box says so.
// Identical texts are kept once. `--check` fails (naming what changed) when the file is stale.
// Run after changing dependencies: node scripts/licences.mjs
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'src-tauri/licences.json');
const LICENCE_FILE = /^(licen[cs]e|copying|notice|unlicense)([-._].*)?$/i;

const texts = [];
const textIndex = new Map();
function place(raw) {
  const text = raw.replace(/\r\n/g, '\n').trim();
  if (!textIndex.has(text)) {
    textIndex.set(text, texts.length);
    texts.push(text);
  }
  return textIndex.get(text);
}
function textsIn(dir, named = []) {
  const files = named.length ? named : existsSync(dir) ? readdirSync(dir).filter((f) => LICENCE_FILE.test(f)).sort() : [];
  return files.map((f) => place(readFileSync(path.join(dir, f), 'utf8')));
}

// The SPDX licence list's standard texts, for packages that ship no licence file.
const spdx = createRequire(path.join(root, 'ui/package.json'))('spdx-license-list/full');
/** The standard texts of the licences an expression names ("MIT OR Apache-2.0", "MIT/Apache-2.0",
 * "(MIT AND Zlib)"). An exception ("Apache-2.0 WITH LLVM-exception") is not in the list: its
 * licence's text is given, and the package's declared licence names the exception. */
function standardTexts(expression) {
  const ids = expression
    .replace(/[()]/g, ' ')
    .split(/\s+(?:OR|AND)\s+|\s*\/\s*/)
    .map((term) => term.replace(/\s+WITH\s+.*$/, '').trim())
    .filter(Boolean);
  const unknown = ids.filter((id) => !spdx[id]);
  if (unknown.length) throw new Error(`no SPDX text for ${unknown.join(', ')} (in "${expression}")`);
  return [...new Set(ids)].map((id) => place(spdx[id].licenseText));
}
/** A package's own licence texts, or else the standard texts of the licences it declares. */
function withTexts(p, own) {
  return { ...p, texts: own, standard_texts: own.length ? [] : standardTexts(p.licence) };
}

// Rust: the app's normal (not build or dev) dependencies on each desktop platform it ships for.
const TARGETS = ['x86_64-unknown-linux-gnu', 'aarch64-apple-darwin', 'x86_64-apple-darwin', 'x86_64-pc-windows-msvc'];
const byId = new Map();
const seen = new Set();
for (const target of TARGETS) {
  const meta = JSON.parse(
    execFileSync(
      'cargo',
      ['metadata', '--format-version', '1', '--locked', '--filter-platform', target, '--manifest-path', path.join(root, 'Cargo.toml')],
      { maxBuffer: 1 << 28 },
    ).toString(),
  );
  for (const p of meta.packages) byId.set(p.id, p);
  const nodes = new Map(meta.resolve.nodes.map((n) => [n.id, n]));
  const queue = [meta.packages.find((p) => p.name === 'debrief-app').id];
  const reached = new Set();
  while (queue.length) {
    const id = queue.shift();
    if (reached.has(id)) continue;
    reached.add(id);
    seen.add(id);
    for (const dep of nodes.get(id)?.deps ?? []) {
      if (dep.dep_kinds.some((k) => k.kind === null)) queue.push(dep.pkg);
    }
  }
}
const ours = new Set(['debrief', 'debrief-app']);
const crates = [...seen]
  .map((id) => byId.get(id))
  .filter((p) => !ours.has(p.name))
  .map((p) => {
    const dir = path.dirname(p.manifest_path);
    const named = p.license_file ? [p.license_file] : [];
    const crate = {
      kind: 'crate',
      name: p.name,
      version: p.version,
      licence: p.license ?? (p.license_file ? `see ${p.license_file}` : 'unknown'),
      url: p.repository ?? p.homepage ?? `https://crates.io/crates/${p.name}`,
    };
    return withTexts(crate, textsIn(dir, named));
  });

// npm: what the UI's build bundles.
const lock = JSON.parse(readFileSync(path.join(root, 'ui/package-lock.json'), 'utf8'));
const modules = path.join(root, 'ui/node_modules');
const wanted = new Set(Object.keys(lock.packages[''].dependencies ?? {}));
wanted.add('svelte'); // a dev dependency, but its runtime is compiled into the bundle
const npmSeen = new Set();
const npmQueue = [...wanted];
while (npmQueue.length) {
  const name = npmQueue.shift();
  if (npmSeen.has(name)) continue;
  npmSeen.add(name);
  const entry = lock.packages[`node_modules/${name}`];
  if (!entry) throw new Error(`${name} is not in ui/package-lock.json: run npm ci in ui`);
  for (const dep of Object.keys(entry.dependencies ?? {})) npmQueue.push(dep);
}
// Svelte's compiler-side dependencies are not in the bundle; its runtime's are.
const compilerOnly = new Set(['acorn', '@jridgewell/remapping', '@sveltejs/acorn-typescript', 'aria-query', 'axobject-query', 'is-reference', 'locate-character', 'magic-string', 'zimmerframe', '@jridgewell/sourcemap-codec', '@types/estree', 'esrap', '@jridgewell/gen-mapping', '@jridgewell/resolve-uri', '@jridgewell/trace-mapping', '@jridgewell/set-array']);
const npm = [...npmSeen]
  .filter((name) => !compilerOnly.has(name))
  .map((name) => {
    const entry = lock.packages[`node_modules/${name}`];
    const dir = path.join(modules, name);
    const pkg = { kind: 'npm', name, version: entry.version, licence: entry.license ?? 'unknown', url: `https://www.npmjs.com/package/${name}` };
    return withTexts(pkg, textsIn(dir));
  });

// Fonts embedded in PDFs and diagrams.
const fontDir = path.join(root, 'assets/fonts');
const fontTexts = textsIn(fontDir, ['LICENSE']);
const fonts = readdirSync(fontDir)
  .filter((f) => /\.(ttf|otf)$/i.test(f))
  .sort()
  .map((f) => ({ kind: 'font', name: f.replace(/\.(ttf|otf)$/i, ''), version: '', licence: 'Bitstream Vera and public domain (DejaVu)', url: 'https://dejavu-fonts.github.io/', texts: fontTexts, standard_texts: [] }));

const byName = (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version);
const result = { packages: [...crates.sort(byName), ...npm.sort(byName), ...fonts], texts };
const json = `${JSON.stringify(result, null, 1)}\n`;
if (process.argv.includes('--check')) {
  const current = existsSync(out) ? readFileSync(out, 'utf8') : '';
  if (current !== json) {
    const names = (s) => new Set((s ? JSON.parse(s).packages : []).map((p) => `${p.name}@${p.version}`));
    const [was, now] = [names(current), names(json)];
    const added = [...now].filter((n) => !was.has(n));
    const removed = [...was].filter((n) => !now.has(n));
    console.error(`src-tauri/licences.json is stale (added: ${added.join(', ') || 'none'}; removed: ${removed.join(', ') || 'none'}; or texts changed): run node scripts/licences.mjs`);
    process.exit(1);
  }
  console.log(`licences: ${result.packages.length} packages, ${texts.length} texts, up to date`);
} else {
  writeFileSync(out, json);
  const standard = result.packages.filter((p) => p.texts.length === 0).map((p) => p.name);
  console.log(`licences: ${result.packages.length} packages, ${texts.length} texts, ${(json.length / 1024).toFixed(0)} KiB; given the SPDX standard text (no licence file of their own): ${standard.length} (${standard.slice(0, 12).join(', ')}${standard.length > 12 ? ', …' : ''})`);
}
