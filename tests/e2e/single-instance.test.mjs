// A second start of the app (a second click on its icon) brings the first window forward and
// ends, instead of opening the library in a second window. On Linux the instances find each
// other on the D-Bus session bus, so the test runs a session bus of its own.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli, root, startApp, startSessionBus, text } from './harness.mjs';

const libraryDir = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-single-'));
let app = null;
let bus = null;
after(async () => {
  if (app) await app.stop();
  if (bus) bus.stop();
  rmSync(libraryDir, { recursive: true, force: true });
});

test('a second instance focuses the first and ends', async () => {
  cli(libraryDir, ['demo']);
  bus = await startSessionBus();
  const address = bus.address;
  app = await startApp(libraryDir, { DBUS_SESSION_BUS_ADDRESS: address });
  const b = app.browser;
  const brand = await b.$('.brand');
  await brand.waitForExist({ timeout: 20000 });

  const second = spawn(path.join(root, 'target/debug/debrief-app'), [], {
    env: { ...process.env, DEBRIEF_LIBRARY: libraryDir, DBUS_SESSION_BUS_ADDRESS: address },
    stdio: 'ignore',
  });
  const ended = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), 20000);
    second.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  if (ended === null) second.kill('SIGKILL');
  assert.equal(ended, 0, 'the second instance kept running (or failed) instead of handing over to the first');
  // The first is still there, and answers.
  assert.match(await text(brand), /Debrief/);
});
