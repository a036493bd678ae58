// What the browser tests share: the step log and its checks, skipping (or failing under
// CI=true) when Chromium or playwright-core is missing, Chromium's launch, the services they
// start (the daemon, the collector) with their output kept, and the run itself: a watchdog,
// a screenshot and the services' last lines on failure, cleanup, exit 0 / 1 / 77.
// One test runs per process, so the step counter is this module's own.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PASS = 0;
const FAIL = 1;
const SKIP = 77; // ctest's SKIP_RETURN_CODE in CMakeLists.txt
const here = path.dirname(fileURLToPath(import.meta.url));

/** The Chromium the tests drive: Debian's, or $CHROMIUM. */
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

/** How long one page action or request may take before the step fails. */
export const stepTimeout = 20_000;

// ctest gives each test 180 s; stop well before so the cleanup still runs.
const wholeTestTimeout = 150_000;

/** Chromium's switches: headless, no sandbox (containers), nothing fetched on its own. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let stepNumber = 0;

/** Starts the next numbered step of the log; a failure names the step it happened in. */
export function step(text) {
  stepNumber += 1;
  console.log(`[${stepNumber}] ${text}`);
}

/** Logs what a step has shown. */
export function ok(text) {
  console.log(`    ok: ${text}`);
}

/** A failed check: reported by its message alone, without a stack. */
export class TestFailure extends Error {}

/** Fails the test with `text` unless `condition` holds. */
export function check(condition, text) {
  if (!condition) throw new TestFailure(text);
}

/**
 * Ends the test as skipped (77) because `reason` is missing, or as failed under CI=true,
 * where a skip would hide a gap (as tests/support/skip_or_fail_in_ci.sh does for shell tests).
 */
export function skipOrFail(name, reason) {
  if (process.env.CI === 'true') {
    console.error(`${name} test: FAILED: ${reason} (CI=true, so this is not a skip)`);
    process.exit(FAIL);
  }
  console.log(`${name} test: SKIPPED: ${reason}`);
  process.exit(SKIP);
}

/** The artifact folder: `argument`, else $TELEMETRY_TEST_ARTIFACTS, else one in the temp dir. */
export function artifactDir(argument) {
  return path.resolve(
    argument ||
      process.env.TELEMETRY_TEST_ARTIFACTS ||
      path.join(os.tmpdir(), 'telemetry-test-artifacts'),
  );
}

/** playwright-core's chromium, or a skip (a failure under CI=true) when it or Chromium lacks. */
async function loadPlaywright(name) {
  if (!fs.existsSync(chromiumPath)) {
    skipOrFail(
      name,
      `${chromiumPath} is missing (Debian package chromium; scripts/deps installs it)`,
    );
  }
  if (!fs.existsSync(path.join(here, 'node_modules', 'playwright-core'))) {
    skipOrFail(
      name,
      `${path.join(here, 'node_modules/playwright-core')} is missing ` +
        `(npm ci --prefix tests/browser; scripts/test runs it)`,
    );
  }
  return (await import('playwright-core')).chromium;
}

/** Chromium without a profile on disk; `options` add to or override the shared ones. */
export function launchBrowser(chromium, options = {}) {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    timeout: 30_000,
    ...options,
  });
}

/** Chromium with its profile in `userDataDir`; `options` add to or override the shared ones. */
export function launchPersistentContext(chromium, userDataDir, options = {}) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    timeout: 30_000,
    ...options,
  });
}

/** The page a persistent context opened with, its actions limited to stepTimeout each. */
export async function firstPage(context) {
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(stepTimeout);
  return page;
}

/**
 * Collects what `page` reports as wrong: uncaught script errors and console errors, with
 * `warnings` console warnings too, with `dialogs` every alert/confirm (dismissed). `checkNone`
 * fails the test if any came; `clear` forgets those a step expects (a refused request).
 */
export function watchPageErrors(page, { warnings = false, dialogs = false } = {}) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || (warnings && m.type() === 'warning')) {
      errors.push(`console ${m.type()}: ${m.text()}`);
    }
  });
  if (dialogs) {
    page.on('dialog', (d) => {
      errors.push(`a dialog opened: ${d.message()}`);
      d.dismiss().catch(() => {});
    });
  }
  return {
    errors,
    checkNone(where) {
      check(
        errors.length === 0,
        `${where ? `${where}: ` : ''}the page reported errors:\n${errors.join('\n')}`,
      );
    },
    clear() {
      errors.splice(0);
    },
  };
}

/** A loopback port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** This process's environment without what would change what the host is allowed to send. */
export function hostEnv() {
  const env = { ...process.env };
  // Neither the developer's environment nor the CI's may decide for the test.
  delete env.DO_NOT_TRACK;
  delete env.TELEMETRY_CONFIG;
  return env;
}

/**
 * A long-running child (the daemon, the collector): its output goes to `logFile` (an
 * artifact) and stays in memory, all of it for `output()` and the last lines for `tail()`.
 * `label` ("the collector") names it in messages.
 */
export class ServiceProcess {
  constructor(label, program, args, { cwd, env, logFile }) {
    this.label = label;
    this.logFile = logFile;
    this.lines = [];
    this.text = '';
    this.exited = null;
    this.log = fs.createWriteStream(logFile);
    this.child = spawn(program, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (stream) => (data) => {
      this.log.write(data);
      this.text += data;
      for (const line of String(data).split('\n')) {
        if (line !== '') this.lines.push(`${stream}: ${line}`);
      }
      if (this.lines.length > 400) this.lines.splice(0, this.lines.length - 400);
    };
    this.child.stdout.on('data', keep('stdout'));
    this.child.stderr.on('data', keep('stderr'));
    this.closed = new Promise((resolve) => {
      this.child.on('error', (e) => {
        this.exited = `could not start: ${e.message}`;
        resolve();
      });
      this.child.on('exit', (code, signal) => {
        this.exited = signal ? `killed by ${signal}` : `exit code ${code}`;
        resolve();
      });
    });
  }

  /** Everything it wrote so far, stdout and stderr as they came. */
  output() {
    return this.text;
  }

  /** Its last `n` lines, each marked stdout: or stderr:. */
  tail(n = 40) {
    return this.lines.slice(-n).join('\n');
  }

  /** Waits up to 30 s until its output matches `pattern`; fails if it ends first. */
  async waitForOutput(pattern, what) {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (this.exited !== null) throw new TestFailure(`${this.label} ended: ${this.exited}`);
      if (pattern.test(this.text)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new TestFailure(`${this.label} did not ${what} within 30 s`);
  }

  /** Waits up to 30 s until GET `url` answers 2xx; fails if the process ends first. */
  async waitForHttp(url, headers = {}) {
    const deadline = Date.now() + 30_000;
    let last = '';
    while (Date.now() < deadline) {
      if (this.exited !== null) throw new TestFailure(`${this.label} ended: ${this.exited}`);
      try {
        const r = await fetch(url, { headers });
        if (r.ok) return;
        last = `HTTP ${r.status}: ${await r.text()}`;
      } catch (e) {
        last = e.cause?.code || e.message;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new TestFailure(`${this.label} did not answer ${url} within 30 s (last: ${last})`);
  }

  /** SIGTERM (it finishes its work and exits), SIGKILL after 10 s; resolves to how it ended. */
  async stop() {
    if (this.exited === null) {
      this.child.kill('SIGTERM');
      let timer;
      const late = new Promise((resolve) => {
        timer = setTimeout(resolve, 10_000, 'late');
      });
      if ((await Promise.race([this.closed, late])) === 'late') {
        console.log(`    ${this.label} did not stop within 10 s of SIGTERM: SIGKILL`);
        this.child.kill('SIGKILL');
        await this.closed;
      }
      clearTimeout(timer);
    }
    await new Promise((resolve) => this.log.end(resolve));
    return this.exited;
  }
}

/** Closes what `resources[key]` holds (once: the watchdog and the run may both clean up). */
async function release(resources, key) {
  const resource = resources[key];
  if (!resource) return;
  resources[key] = null;
  if (resource instanceof ServiceProcess) {
    const how = await resource.stop();
    console.log(`${resource.label} stopped (${how}); its output: ${resource.logFile}`);
    return;
  }
  // A browser, a context or a server; a browser that hangs must not hang the cleanup.
  await Promise.race([
    Promise.resolve()
      .then(() => resource.close())
      .catch(() => {}),
    new Promise((r) => setTimeout(r, 10_000)),
  ]);
}

function reportServices(resources) {
  for (const service of Object.values(resources)) {
    if (!(service instanceof ServiceProcess)) continue;
    console.error(`\n${service.label} (${service.exited ?? 'running'}), last lines of its output:`);
    console.error(service.tail() || '(nothing)');
  }
}

/**
 * Runs one browser test and exits with 0 (passed), 1 (failed) or 77 (skipped).
 * `name` ("admin page") names its messages, its temp work dir and its failure screenshot in
 * `artifacts`. Unless `argumentsGiven`, prints `usage` and fails. `prerequisites()` may
 * skipOrFail before anything is made. `steps({ chromium, work, resources })` does the test,
 * keeping what needs closing in `resources` (`resources.page` is photographed on failure);
 * `cleanUpOrder` lists those keys, closed in that order (services stopped) whatever happened.
 * The work dir stays when the test fails.
 */
export async function runBrowserTest({
  name,
  usage,
  argumentsGiven,
  artifacts,
  prerequisites = () => {},
  steps,
  cleanUpOrder,
}) {
  if (!argumentsGiven) {
    console.error(`usage: ${usage}`);
    process.exit(FAIL);
  }
  const chromium = await loadPlaywright(name);
  prerequisites();
  fs.mkdirSync(artifacts, { recursive: true });
  const slug = name.replaceAll(' ', '-');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `telemetry-${slug}-`));
  const resources = {};
  const cleanUp = async (removeWork) => {
    for (const key of cleanUpOrder) await release(resources, key);
    if (removeWork) fs.rmSync(work, { recursive: true, force: true });
  };
  let passed = false;
  const watchdog = setTimeout(() => {
    console.error(
      `\n${name} test: FAILED: step ${stepNumber} not done after ${wholeTestTimeout / 1000} s`,
    );
    reportServices(resources);
    cleanUp(false).finally(() => process.exit(FAIL));
  }, wholeTestTimeout);

  try {
    await steps({ chromium, work, resources });
    passed = true;
  } catch (e) {
    console.error(
      `\n${name} test: FAILED at step ${stepNumber}: ` +
        (e instanceof TestFailure ? e.message : e.stack),
    );
    if (resources.page) {
      const shot = path.join(artifacts, `${slug}-failure.png`);
      await resources.page.screenshot({ path: shot, fullPage: true, timeout: 5000 }).then(
        () => console.error(`page at the failure: ${shot}`),
        () => {},
      );
    }
    reportServices(resources);
  } finally {
    clearTimeout(watchdog);
    await cleanUp(passed);
  }
  console.log(passed ? `${name} test: PASSED` : `${name} test: work dir kept: ${work}`);
  process.exit(passed ? PASS : FAIL);
}
