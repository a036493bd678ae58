#!/usr/bin/env node
// The collector's upload page in a real headless Chromium (Debian's, driven by
// playwright-core): the real host writes an offline report file (`telemetry send --to
// FILE`), the real collector serves GET /imports over HTTPS; the browser fills the form
// (admin token, file), uploads, and reads the answer page: stored, then duplicates, then a
// wrong token refused. A form on another site's page, with the right token, is refused.
//
// Usage: node upload_page_test.mjs TELEMETRY_CLI TELEMETRY_COLLECTOR [ARTIFACT_DIR]
//   (CHROMIUM overrides /usr/bin/chromium). Exit 0 passed, 1 failed, 77 skipped (no
//   Chromium, playwright-core or openssl; with CI=true that is a failure instead).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PASS = 0;
const FAIL = 1;
const SKIP = 77;
const here = path.dirname(fileURLToPath(import.meta.url));
const [cli, collectorExe] = [process.argv[2], process.argv[3]];
const artifacts = path.resolve(
  process.argv[4] || path.join(os.tmpdir(), 'telemetry-test-artifacts'),
);
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const token = `${'0123456789abcdef'.repeat(3)}-upload-page`;
const stepTimeout = 20_000;
// ctest gives the test 180 s; stop well before so the cleanup still runs.
const wholeTestTimeout = 150_000;
const chromiumArgs = [
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
function step(text) {
  stepNumber += 1;
  console.log(`[${stepNumber}] ${text}`);
}
function ok(text) {
  console.log(`    ok: ${text}`);
}
class TestFailure extends Error {}
function check(condition, text) {
  if (!condition) throw new TestFailure(text);
}

function skip(reason) {
  if (process.env.CI === 'true') {
    console.error(`upload page test: FAILED: ${reason} (CI=true, so this is not a skip)`);
    process.exit(FAIL);
  }
  console.log(`upload page test: SKIPPED: ${reason}`);
  process.exit(SKIP);
}

async function loadPlaywright() {
  if (!fs.existsSync(chromiumPath)) {
    skip(`${chromiumPath} is missing (Debian package chromium; scripts/deps installs it)`);
  }
  if (!fs.existsSync(path.join(here, 'node_modules', 'playwright-core'))) {
    skip(
      `${path.join(here, 'node_modules/playwright-core')} is missing ` +
        `(npm ci --prefix tests/browser; scripts/test runs it)`,
    );
  }
  return (await import('playwright-core')).chromium;
}

/** A loopback port nobody listens on right now. */
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

function run(program, args, cwd) {
  const env = { ...process.env };
  delete env.DO_NOT_TRACK;
  delete env.TELEMETRY_CONFIG;
  return spawnSync(program, args, { cwd, env, encoding: 'utf8' });
}

/** The collector, its stderr kept in a log file for the failure report. */
class Collector {
  constructor(config, logFile) {
    this.logFile = logFile;
    this.exited = null;
    const log = fs.openSync(logFile, 'w');
    this.child = spawn(collectorExe, ['--config', config], {
      cwd: path.dirname(config),
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
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

  log() {
    return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
  }

  async waitUntilListening() {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (this.exited !== null) throw new TestFailure(`the collector ended: ${this.exited}`);
      if (/listening on /.test(this.log())) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new TestFailure('the collector did not listen within 30 s');
  }

  async stop() {
    if (this.exited === null) {
      this.child.kill('SIGTERM');
      const late = new Promise((r) => setTimeout(r, 10_000, 'late'));
      if ((await Promise.race([this.closed, late])) === 'late') {
        this.child.kill('SIGKILL');
        await this.closed;
      }
    }
    return this.exited;
  }
}

async function main() {
  if (!cli || !collectorExe) {
    console.error('usage: node upload_page_test.mjs TELEMETRY_CLI TELEMETRY_COLLECTOR [DIR]');
    return FAIL;
  }
  const chromium = await loadPlaywright();
  if (run('openssl', ['version']).status !== 0) skip('openssl is missing');
  fs.mkdirSync(artifacts, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'telemetry-upload-page-'));
  const resources = {};
  let passed = false;
  const watchdog = setTimeout(() => {
    console.error(`\nupload page test: FAILED: step ${stepNumber} not done in time`);
    cleanUp(resources, work, false).finally(() => process.exit(FAIL));
  }, wholeTestTimeout);
  try {
    await runSteps(chromium, work, resources);
    passed = true;
  } catch (e) {
    console.error(
      `\nupload page test: FAILED at step ${stepNumber}: ` +
        (e instanceof TestFailure ? e.message : e.stack),
    );
    if (resources.page) {
      const shot = path.join(artifacts, 'upload-page-failure.png');
      await resources.page.screenshot({ path: shot, fullPage: true, timeout: 5000 }).then(
        () => console.error(`page at the failure: ${shot}`),
        () => {},
      );
    }
    if (resources.collector) console.error(`the collector's log:\n${resources.collector.log()}`);
  } finally {
    clearTimeout(watchdog);
    await cleanUp(resources, work, passed);
  }
  console.log(passed ? 'upload page test: PASSED' : `upload page test: work dir kept: ${work}`);
  return passed ? PASS : FAIL;
}

async function cleanUp(resources, work, removeWork) {
  if (resources.context) {
    const context = resources.context;
    resources.context = null;
    await Promise.race([context.close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
  }
  if (resources.otherSite) {
    resources.otherSite.close();
    resources.otherSite = null;
  }
  if (resources.collector) {
    const collector = resources.collector;
    resources.collector = null;
    fs.copyFileSync(collector.logFile, path.join(artifacts, 'upload-page-collector.log'));
    console.log(`collector stopped (${await collector.stop()})`);
  }
  if (removeWork) fs.rmSync(work, { recursive: true, force: true });
}

/** The answer page's figure of one card ("stored", "duplicate(s)", "refused"...). */
async function card(page, label) {
  return page.evaluate((label) => {
    for (const c of document.querySelectorAll('.card')) {
      const figure = c.querySelector('b');
      if (figure && c.textContent.slice(figure.textContent.length) === label) {
        return Number(figure.textContent);
      }
    }
    return null;
  }, label);
}

async function uploadWithTheForm(page, base, tokenValue, file) {
  await page.goto(`${base}/imports`, { waitUntil: 'load' });
  await page.fill('input[name="token"]', tokenValue);
  await page.setInputFiles('input[name="file"]', file);
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.click('button[type="submit"]'),
  ]);
  return response;
}

async function runSteps(chromium, work, resources) {
  step('the host writes an offline report file');
  fs.writeFileSync(
    path.join(work, 'telemetry.yaml'),
    [
      'telemetry:',
      '  initialize: true',
      '  endpoint: https://127.0.0.1:9/pings',
      '  request-retries: 0',
      'state:',
      '  path: state.db',
      'plugins: { paths: [no-plugins] }',
      '',
    ].join('\n'),
  );
  const file = path.join(work, 'telemetry-reports.jsonl');
  const sent = run(cli, ['--config', 'telemetry.yaml', 'send', '--to', file], work);
  check(sent.status === 0, `telemetry send --to: exit ${sent.status}\n${sent.stderr}`);
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  check(lines.length === 2, `the file has ${lines.length} lines, not 2`);
  ok(`${file}: the initial and the full report`);

  step('the collector over HTTPS with an admin token');
  const made = run(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', 'server.key', '-out', 'server.pem', '-days', '2', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1'],
    work,
  );
  check(made.status === 0, `openssl: ${made.stderr}`);
  fs.writeFileSync(path.join(work, 'admin.token'), `${token}\n`, { mode: 0o600 });
  const port = await freePort();
  fs.writeFileSync(
    path.join(work, 'collector.yaml'),
    [
      `listen: 127.0.0.1:${port}`,
      'tls: { cert: server.pem, key: server.key }',
      'store: collector.db',
      'secret-file: collector.secret',
      'admin-token-file: admin.token',
      '',
    ].join('\n'),
  );
  resources.collector = new Collector(
    path.join(work, 'collector.yaml'),
    path.join(work, 'collector.log'),
  );
  await resources.collector.waitUntilListening();
  const base = `https://127.0.0.1:${port}`;
  ok(`listening on ${base}`);

  step('Chromium opens the dashboard and follows its link to the upload page');
  resources.context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    ignoreHTTPSErrors: true,
    viewport: { width: 1000, height: 800 },
    timeout: 30_000,
  });
  const page = resources.context.pages()[0] || (await resources.context.newPage());
  resources.page = page;
  page.setDefaultTimeout(stepTimeout);
  await page.goto(`${base}/`, { waitUntil: 'load' });
  await Promise.all([page.waitForNavigation(), page.click('a[href="/imports"]')]);
  check(page.url() === `${base}/imports`, `the link led to ${page.url()}`);
  check(
    (await page.getAttribute('input[name="token"]', 'type')) === 'password',
    'the token field is not a password field',
  );
  await page.screenshot({ path: path.join(artifacts, 'upload-page-form.png') });
  ok('a form with a password field and a file field');

  step('upload the file: both reports stored');
  let response = await uploadWithTheForm(page, base, token, file);
  check(response.status() === 200, `the upload answered ${response.status()}`);
  check((await card(page, 'stored')) === 2, `stored: ${await card(page, 'stored')}`);
  check((await card(page, 'refused')) === 0, `refused: ${await card(page, 'refused')}`);
  check(!(await page.content()).includes(token), 'the answer page holds the token');
  await page.screenshot({ path: path.join(artifacts, 'upload-page-stored.png') });
  ok('2 stored, 0 refused; the token is not on the page');

  step('upload it again: duplicates, nothing stored twice');
  response = await uploadWithTheForm(page, base, token, file);
  check(response.status() === 200, `the second upload answered ${response.status()}`);
  check((await card(page, 'stored')) === 0, `stored again: ${await card(page, 'stored')}`);
  check(
    (await card(page, 'duplicate(s)')) === 2,
    `duplicates: ${await card(page, 'duplicate(s)')}`,
  );
  ok('0 stored, 2 duplicates');

  step('a wrong token: 403 and a page that says so');
  response = await uploadWithTheForm(page, base, `${token}-wrong`, file);
  check(response.status() === 403, `a wrong token answered ${response.status()}`);
  check(
    (await page.textContent('body')).includes('wrong admin token'),
    'the page does not say the token is wrong',
  );
  check(!(await page.content()).includes(`${token}-wrong`), 'the page echoes the wrong token');
  ok('403, "wrong admin token"');

  step("another site's page posting the same form, with the right token: 403");
  const otherPort = await freePort();
  resources.otherSite = http
    .createServer((request, answer) => {
      answer.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      answer.end(
        `<!DOCTYPE html><form method="post" action="${base}/imports" ` +
          'enctype="multipart/form-data"><input name="token" type="password">' +
          '<input type="file" name="file"><button type="submit">Go</button></form>',
      );
    })
    .listen(otherPort, '127.0.0.1');
  await page.goto(`http://127.0.0.1:${otherPort}/`, { waitUntil: 'load' });
  await page.fill('input[name="token"]', token);
  await page.setInputFiles('input[name="file"]', file);
  [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.click('button[type="submit"]'),
  ]);
  check(response.status() === 403, `the cross-site form answered ${response.status()}`);
  check(
    (await page.textContent('body')).includes('another'),
    `the page does not say why: ${await page.textContent('body')}`,
  );
  check(
    /POST \/imports refused: a request from another/.test(resources.collector.log()),
    'the collector did not log the cross-site refusal',
  );
  ok('refused before its body was read, and logged');
}

process.exit(await main());
