// Makes big libraries for the tests and the measurements: copies of a JSON library document
// (the sample, exported by the CLI) with every id replaced, so each copy is a new postmortem
// with the same realistic text, timeline, whys and action items.
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** A document holding `count` postmortems: the source's, copied round-robin with fresh ids. */
export function copiesOf(doc, count) {
  const texts = doc.postmortems.map((pm) => JSON.stringify(pm));
  const postmortems = [];
  for (let i = 0; i < count; i++) {
    const fresh = new Map();
    const text = texts[i % texts.length].replace(UUID, (id) => {
      if (!fresh.has(id)) fresh.set(id, randomUUID());
      return fresh.get(id);
    });
    postmortems.push(JSON.parse(text));
  }
  return { ...doc, postmortems };
}

/** Writes `count` copies of the sample library to `file`, using the `debrief` CLI at `cli`. */
export function writeSampleCopies(cli, scratchDir, file, count) {
  execFileSync(cli, ['--library', `${scratchDir}/sample-lib`, 'demo'], { stdio: 'ignore' });
  const sampleFile = `${scratchDir}/sample.json`;
  execFileSync(cli, ['--library', `${scratchDir}/sample-lib`, 'export', '--format', 'json', '--out', sampleFile], {
    stdio: 'ignore',
  });
  const doc = JSON.parse(execFileSync('cat', [sampleFile], { maxBuffer: 1 << 30 }).toString());
  writeFileSync(file, JSON.stringify(copiesOf(doc, count)));
}
