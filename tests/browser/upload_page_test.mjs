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
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  artifactDir,
  check,
  firstPage,
  freePort,
  hostEnv,
  launchPersistentContext,
  ok,
  runBrowserTest,
  ServiceProcess,
  skipOrFail,
  step,
} from './browser_support.mjs';

const [cli, collectorExe] = [process.argv[2], process.argv[3]];
const artifacts = artifactDir(process.argv[4]);
const token = `${'0123456789abcdef'.repeat(3)}-upload-page`;

function run(program, args, cwd) {
  return spawnSync(program, args, { cwd, env: hostEnv(), encoding: 'utf8' });
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

async function runSteps({ chromium, work, resources }) {
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
  resources.collector = new ServiceProcess(
    'the collector',
    collectorExe,
    ['--config', 'collector.yaml'],
    { cwd: work, logFile: path.join(artifacts, 'upload-page-collector.log') },
  );
  await resources.collector.waitForOutput(/listening on /, 'listen');
  const base = `https://127.0.0.1:${port}`;
  ok(`listening on ${base}`);

  step('Chromium opens the dashboard and follows its link to the upload page');
  resources.context = await launchPersistentContext(chromium, path.join(work, 'profile'), {
    ignoreHTTPSErrors: true,
    viewport: { width: 1000, height: 800 },
  });
  const page = await firstPage(resources.context);
  resources.page = page;
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
    /POST \/imports refused: a request from another/.test(resources.collector.output()),
    'the collector did not log the cross-site refusal',
  );
  ok('refused before its body was read, and logged');
}

await runBrowserTest({
  name: 'upload page',
  usage: 'node upload_page_test.mjs TELEMETRY_CLI TELEMETRY_COLLECTOR [DIR]',
  argumentsGiven: Boolean(cli && collectorExe),
  artifacts,
  prerequisites: () => {
    if (run('openssl', ['version']).status !== 0) skipOrFail('upload page', 'openssl is missing');
  },
  steps: runSteps,
  cleanUpOrder: ['context', 'otherSite', 'collector'],
});
