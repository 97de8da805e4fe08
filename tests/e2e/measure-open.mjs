// Measures the app on a big library, in the real window: how long until the library list shows,
// how long a search typed into the box takes to show its results, and the memory of the app
// with its WebKit processes. Prints figures; asserts nothing.
//
//   cargo build --release --workspace --bins
//   cd tests/e2e && xvfb-run -a --server-args="-screen 0 1280x820x24" node measure-open.mjs [--copies 10000] [--runs 3] [--into FILE]
//
// `--into FILE` also writes the figures into a benchmark report (`docs/benchmarks.json`, which
// the benchmark suite runs this for): `app_start_s` and `app_pss_mb` on the big library,
// `app_pss_mb_sample` on the sample, replacing those names' earlier values.
//
// The library is the sample (`debrief demo`) plus `--copies` copies of it with fresh ids (the
// same realistic documents the users' sample shows), imported with the release CLI.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root, startApp } from './harness.mjs';
import { writeSampleCopies } from './sample-copies.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const copies = arg('--copies', 10000);
const into = process.argv.includes('--into') ? process.argv[process.argv.indexOf('--into') + 1] : null;
const runs = arg('--runs', 3);
const cli = path.join(root, 'target/release/debrief');
process.env.DEBRIEF_APP ??= path.join(root, 'target/release/debrief-app');

/** Proportional memory (PSS, MiB) of the app and the WebKit processes it started: the
 * processes of the run's own process group, so another app on the machine is not counted. */
function memoryMiB(processGroup) {
  let kib = 0;
  const names = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let comm;
    let group;
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      // Field 5 of stat is the process group; the command name (field 2) may hold spaces.
      group = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[2]);
    } catch {
      continue;
    }
    if (group !== processGroup || !/^(debrief-app|WebKitWebProces|WebKitNetworkPr)/.test(comm)) continue;
    try {
      const m = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').match(/^Pss:\s+(\d+) kB/m);
      if (m) {
        kib += Number(m[1]);
        names.push(`${comm} ${(Number(m[1]) / 1024).toFixed(0)}`);
      }
    } catch {
      /* gone meanwhile */
    }
  }
  return { total: kib / 1024, parts: names.join(', ') };
}

/**
 * Types `query` into the search box the way a paste does (one input event) and returns the
 * milliseconds, measured in the page, until the results answering it are on screen: the box's
 * typing pause, the call to the core, and the rendering. WebDriver's own round trips are not
 * counted.
 */
function searchInPage(b, query) {
  return b.executeAsync((q, done) => {
    const input = document.querySelector('[data-testid="search-input"]');
    const shown = () => {
      const results = document.querySelector('[data-testid="search-results"]');
      return results?.getAttribute('data-query') === q && document.querySelector('[data-testid="search-hit"]');
    };
    const t0 = performance.now();
    const observer = new MutationObserver(() => {
      if (shown()) {
        observer.disconnect();
        requestAnimationFrame(() => done(performance.now() - t0));
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
    input.value = q;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, query);
}

async function measure(libraryDir, label) {
  const opens = [];
  const searches = [];
  let memory = null;
  for (let run = 0; run < runs; run++) {
    const started = Date.now();
    const app = await startApp(libraryDir);
    const b = app.browser;
    try {
      await b.waitUntil(async () => (await b.$$('[data-testid="pm-row"]')).length > 0, {
        timeout: 120000,
        interval: 20,
        timeoutMsg: 'the list did not appear',
      });
      const listShown = Date.now();
      // From the page's own start (the library is already open by then) to the first row.
      const sincePageStart = await b.execute(() => performance.now());
      opens.push({ total: listShown - started, page: sincePageStart });
      await (await b.$('[data-testid="search-input"]')).click();
      await b.setTimeout({ script: 60000 });
      for (const q of ['certificate', 'dns', 'replica lag', 'checkout', 'certificate expiry']) {
        searches.push(Math.round(await searchInPage(b, q)));
      }
      if (run === runs - 1) memory = memoryMiB(app.processGroup);
    } finally {
      await app.stop();
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`${label}`);
  console.log(`  list shown, from starting the app      median ${median(opens.map((o) => o.total))} ms  (runs: ${opens.map((o) => o.total).join(', ')})`);
  console.log(`  list shown, from the page's start      median ${median(opens.map((o) => Math.round(o.page)))} ms`);
  console.log(`  search typed to results on screen      median ${median(searches)} ms, max ${Math.max(...searches)} ms  (${searches.length} searches; includes the box's 120 ms typing pause)`);
  console.log(`  memory (PSS) after searching           ${memory.total.toFixed(0)} MiB  (${memory.parts})`);
  const starts = opens.map((o) => o.total / 1000);
  return { start: median(starts), startMin: Math.min(...starts), startMax: Math.max(...starts), memory: memory.total };
}

/** Writes the app's figures into the report at `file`, replacing any of the same names. */
function writeInto(file, sample, big, bigSize) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const figure = (name, size, value, unit, target, extra = {}) => ({
    name, size, value, p90: null, min: null, max: null, unit, target, better: 'lower', ...extra,
  });
  const mine = [
    figure('app_start_s', bigSize, big.start, 's', 1.5, { min: big.startMin, max: big.startMax }),
    // Within 100 MB of the same on the sample library.
    figure('app_pss_mb', bigSize, big.memory, 'MiB', sample.memory + 100),
    figure('app_pss_mb_sample', sample.size, sample.memory, 'MiB', null),
  ];
  report.figures = report.figures.filter((f) => !mine.some((m) => m.name === f.name)).concat(mine);
  report.notes = (report.notes ?? []).filter((n) => !n.startsWith('app_')).concat([
    `app_start_s, app_pss_mb, app_pss_mb_sample: tests/e2e/measure-open.mjs in the real window (release build, Xvfb), ${runs} starts; the big library is the sample copied to ${bigSize} postmortems; memory is the PSS of the app and its WebKit processes after searching`,
  ]);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote the app's figures into ${file}`);
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'debrief-measure-'));
try {
  const small = path.join(scratch, 'sample');
  execFileSync(cli, ['--library', small, 'demo'], { stdio: 'ignore' });
  const big = path.join(scratch, 'big');
  execFileSync(cli, ['--library', big, 'demo'], { stdio: 'ignore' });
  const file = path.join(scratch, 'copies.json');
  writeSampleCopies(cli, scratch, file, copies);
  const t0 = Date.now();
  execFileSync(cli, ['--library', big, 'import', file], { stdio: 'ignore' });
  const count = JSON.parse(execFileSync(cli, ['--library', big, 'list', '--json'], { maxBuffer: 1 << 28 })).length;
  console.log(`Debrief in the real window (release build), ${runs} starts each; CLI import of ${copies} copies took ${Date.now() - t0} ms\n`);
  const sampleSize = JSON.parse(execFileSync(cli, ['--library', small, 'list', '--json'])).length;
  const sample = await measure(small, `the sample library (${sampleSize} postmortems)`);
  const bigFigures = await measure(big, `the sample copied to ${count} postmortems`);
  if (into) writeInto(into, { ...sample, size: sampleSize }, bigFigures, count);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
