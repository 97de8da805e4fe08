// Starts the real Debrief app through tauri-driver (which drives WebKitWebDriver) and hands
// back a WebdriverIO browser. Needs an X display: run under xvfb-run (see run.sh).
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
export const artifacts = path.join(here, '.artifacts');
const application = process.env.DEBRIEF_APP ?? path.join(root, 'target/debug/debrief-app');

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.end(); resolve(); });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`tauri-driver did not listen on ${port}`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

/** Asks the OS for a free TCP port, so two runs on one machine never collide. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Signals every process in the group led by `pid`; a group already gone is fine. */
function killGroup(pid, signal) {
  try { process.kill(-pid, signal); } catch { /* already gone */ }
}

/** Starts the app on `libraryDir` (with `env` added to its environment); returns { browser, stop }. */
export async function startApp(libraryDir, env = {}) {
  const port = await freePort();
  let nativePort = await freePort();
  while (nativePort === port) nativePort = await freePort();
  // tauri-driver starts WebKitWebDriver, which starts the app. They run in a process group of
  // their own, so `stop` can end all three: an app left behind would keep the test runner's
  // pipes open and the run would never finish. Their output goes to a log file, not our pipes.
  mkdirSync(artifacts, { recursive: true });
  const log = openSync(path.join(artifacts, 'tauri-driver.log'), 'a');
  const driver = spawn('tauri-driver', ['--port', String(port), '--native-port', String(nativePort)], {
    env: { ...process.env, DEBRIEF_LIBRARY: libraryDir, ...env },
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log); // the driver has its own copy
  await waitForPort(port, 20000);
  const browser = await remote({
    hostname: '127.0.0.1',
    port,
    logLevel: 'warn',
    connectionRetryTimeout: 120000,
    // WebKitWebDriver speaks classic WebDriver only: no BiDi session.
    capabilities: { 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application } },
  });
  browser.setTimeout({ implicit: 0 });
  const stop = async () => {
    try { await browser.deleteSession(); } catch { /* the app may already be gone */ }
    killGroup(driver.pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    killGroup(driver.pid, 'SIGKILL');
  };
  return { browser, stop };
}

/** Saves a screenshot of the whole X display (the real window) under .artifacts/. */
export function screenshot(name) {
  mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, `${name}.png`);
  try {
    execFileSync('import', ['-window', 'root', file]);
  } catch (e) {
    console.warn(`screenshot ${name} failed: ${e.message}`);
  }
  return file;
}

/** Waits until `fn` returns a truthy value. */
export async function until(browser, fn, message, timeout = 15000) {
  await browser.waitUntil(fn, { timeout, interval: 150, timeoutMsg: message });
}
