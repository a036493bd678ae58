#!/usr/bin/env node
// The admin page in a real headless Chromium (Debian's, driven by playwright-core): logs in as
// an admin, toggles telemetry and sets and removes a license key, and after each step checks
// the page, the state store (`telemetry status --json`) and GET /telemetry/data.
//
// Usage: node admin_page_test.mjs TELEMETRY_CLI [ARTIFACT_DIR]
//   (or TELEMETRY_CLI / TELEMETRY_TEST_ARTIFACTS in the environment; CHROMIUM overrides
//   /usr/bin/chromium). Exit 0 passed, 1 failed, 77 skipped (no Chromium or playwright-core;
//   with CI=true that is a failure instead).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
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
  step,
  stepTimeout,
  TestFailure,
  watchPageErrors,
} from './browser_support.mjs';

const cli = process.argv[2] || process.env.TELEMETRY_CLI;
const artifacts = artifactDir(process.argv[3]);
const user = { username: 'admin', password: 'secret' };
// A unified-format key as pasted from the vendor's file: armour lines, then the signature
// (a base64 field, never reported) and the attributes.
const signature = 'c2lnbmF0dXJlLW5vdC1yZWFsbHktYS1zaWduYXR1cmUtYnV0LWxvbmctZW5vdWdoQUJD+/9=';
const licenseKey = [
  '--------------- BEGIN CAMUNDA LICENSE KEY ---------------',
  `${signature};customer=ACME Corp;expiryDate=2030-01-31;` +
    'camundaBPM=true;optimize=false;cawemo=false',
  '--------------- END CAMUNDA LICENSE KEY -----------------',
  '',
].join('\n');

/** Runs the CLI to the end; resolves to { code, stdout, stderr }. */
function runCli(config, args, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(cli, ['--config', config, ...args], {
      cwd: path.dirname(config),
      env: hostEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? signal, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

async function runSteps({ chromium, work, resources }) {
  const config = path.join(work, 'telemetry.yaml');
  step('configuration, admin user and daemon');
  const apiPort = await freePort();
  let collectorPort = await freePort(); // nothing listens: each send fails at once
  while (collectorPort === apiPort) collectorPort = await freePort();
  fs.writeFileSync(
    config,
    [
      'telemetry:',
      `  endpoint: http://127.0.0.1:${collectorPort}/pings`,
      '  reporting-period: 1h',
      '  request-timeout: 2s',
      '  request-retries: 0',
      'state:',
      `  path: ${path.join(work, 'telemetry-state.db')}`,
      `  audit-log: ${path.join(work, 'telemetry-sent.jsonl')}`,
      'plugins:',
      '  enabled:',
      '    - name: license',
      'api:',
      `  listen: 127.0.0.1:${apiPort}`,
      `  users-file: ${path.join(work, 'users.yaml')}`,
      '',
    ].join('\n'),
  );
  const added = await runCli(
    config,
    ['user', 'add', user.username, '--group', 'telemetry-admin'],
    `${user.password}\n`,
  );
  check(added.code === 0, `telemetry user add: exit ${added.code}\n${added.stderr}${added.stdout}`);
  ok(`admin user in ${path.join(work, 'users.yaml')}`);

  const base = `http://127.0.0.1:${apiPort}`;
  resources.daemon = new ServiceProcess('the daemon', cli, ['--config', config, 'run'], {
    cwd: work,
    env: hostEnv(),
    logFile: path.join(artifacts, 'admin-page-daemon.log'),
  });
  await resources.daemon.waitForHttp(`${base}/telemetry/configuration`, authHeader());
  ok(`telemetry run answers on ${base}`);

  const initial = await stateStore(config);
  check(
    initial.enabled === false && initial['opt-in'] === 'unset',
    `without initialize a new state store starts undecided (off), status says enabled: ` +
      `${initial.enabled}, opt-in: ${initial['opt-in']}`,
  );
  const undecided = await getJson(base, '/telemetry/configuration');
  check(
    undecided.enableTelemetry === null,
    `GET /telemetry/configuration says ${JSON.stringify(undecided)} while undecided, not null`,
  );
  const license = (initial.plugins || []).find((p) => p.name === 'license');
  check(
    license !== undefined,
    `the license plugin is not among the enabled plugins: ${JSON.stringify(initial.plugins)}`,
  );
  ok(
    `state store: disabled, installation ${initial.installation}, license plugin ${license.state}`,
  );

  step('Chromium opens /admin as admin');
  const userDataDir = path.join(work, 'chromium-profile');
  resources.context = await launchPersistentContext(chromium, userDataDir, {
    httpCredentials: user,
    viewport: { width: 1100, height: 900 },
  });
  const page = await firstPage(resources.context);
  resources.page = page;
  const pageErrors = watchPageErrors(page);
  const noPageErrors = () => pageErrors.checkNone();

  const response = await page.goto(`${base}/admin`, { waitUntil: 'load' });
  check(
    response && response.status() === 200,
    `GET /admin answered ${response && response.status()}`,
  );
  await settled(page);
  step('undecided: the page asks once, Keep disabled decides, and it never asks again');
  await page.waitForSelector('#opt-in-question', { state: 'visible' });
  await page.screenshot({ path: path.join(artifacts, 'admin-page-opt-in-question.png') });
  await page.click('#opt-in-disable');
  await page.waitForSelector('#opt-in-question', { state: 'hidden' });
  await settled(page);
  const decided = await stateStore(config);
  check(decided['opt-in'] === 'disabled', `after Keep disabled, opt-in is ${decided['opt-in']}`);
  await outsideShowsEnabled(config, base, false);
  await page.reload({ waitUntil: 'load' });
  await settled(page);
  check(
    !(await page.isVisible('#opt-in-question')),
    'the page asked again after an administrator decided',
  );
  ok('asked while undecided; after the decision the question stays closed');
  check(
    (await text(page, '#installation-id')) === initial.installation,
    `the page shows installation ${await text(page, '#installation-id')}, ` +
      `the state store has ${initial.installation}`,
  );
  const csp = response.headers()['content-security-policy'] || '';
  const scriptSrc = (csp.match(/script-src[^;]*/) || [''])[0];
  check(
    scriptSrc.includes("'self'") && !scriptSrc.includes('unsafe-inline'),
    `GET /admin has no Content-Security-Policy that forbids inline scripts: "${csp}"`,
  );
  await pageShowsEnabled(page, false);
  await page.waitForSelector('#report-preview[data-state="ready"]');
  noPageErrors();
  ok('installation id, switch off, preview shown; no script error under the CSP');

  step('the preview explains each field on hover (title from GET /telemetry/data/explained)');
  await checkFieldTitle(page, '/installation', ['random UUID', 'Why:', 'Filled by: host']);
  await checkFieldTitle(page, '/product/internals/metrics/unique-task-workers/count', [
    'How many since the counts',
  ]);
  const shown = await text(page, '#report-preview');
  const sent = await reportData(base);
  // Counts and order as the server has them; only the installation's report, unchanged.
  check(
    JSON.stringify(JSON.parse(shown)) === JSON.stringify(sent),
    `the explained preview is not the report as GET /telemetry/data has it:\n${shown}`,
  );
  const untitled = await page.evaluate(
    () => [...document.querySelectorAll('#report-preview .field')].filter((s) => !s.title).length,
  );
  check(untitled === 0, `${untitled} fields of the preview have no title`);
  ok('every field of the preview has a title; the text is still the report');

  step('switch on, then Cancel in the legal note: stays disabled');
  await page.click('#telemetry-switch');
  await page.waitForSelector('#legal-note', { state: 'visible' });
  const note = (await text(page, '#legal-note-text')).trim();
  const apiStatus = await getJson(base, '/telemetry/status');
  check(
    note.length > 20 && note === String(apiStatus['legal-note']).trim(),
    `the dialog shows "${note}", GET /telemetry/status has "${apiStatus['legal-note']}"`,
  );
  await page.screenshot({ path: path.join(artifacts, 'admin-page-legal-note.png') });
  await page.click('#legal-cancel');
  await page.waitForSelector('#legal-note', { state: 'hidden' });
  await settled(page);
  await pageShowsEnabled(page, false);
  check(
    (await stateStore(config)).enabled === false,
    'Cancel enabled telemetry in the state store',
  );
  ok(`legal note shown (${note.length} characters), Cancel left telemetry off`);

  step('switch on, Confirm in the legal note: enabled');
  await page.click('#telemetry-switch');
  await page.waitForSelector('#legal-note', { state: 'visible' });
  await page.click('#legal-confirm');
  await page.waitForSelector('#legal-note', { state: 'hidden' });
  await settled(page);
  await pageShowsEnabled(page, true);
  await outsideShowsEnabled(config, base, true);
  noPageErrors();
  ok('page, state store and GET /telemetry/configuration say enabled');

  step('switch off with the keyboard (Space): disabled, no legal note needed');
  await page.focus('#telemetry-switch');
  await page.keyboard.press('Space');
  await settled(page);
  check(!(await page.isVisible('#legal-note')), 'the legal note was shown for disabling');
  await pageShowsEnabled(page, false);
  await outsideShowsEnabled(config, base, false);
  ok('page, state store and GET /telemetry/configuration say disabled');

  step('switch on again with the keyboard (Enter, then Enter on Confirm): enabled');
  await page.focus('#telemetry-switch');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#legal-note', { state: 'visible' });
  check(
    (await page.evaluate(() => document.activeElement && document.activeElement.id)) ===
      'legal-confirm',
    'the legal note did not put the focus on its Confirm button',
  );
  await page.keyboard.press('Enter');
  await page.waitForSelector('#legal-note', { state: 'hidden' });
  await settled(page);
  await pageShowsEnabled(page, true);
  await outsideShowsEnabled(config, base, true);
  noPageErrors();
  ok('page, state store and GET /telemetry/configuration say enabled');

  step('a license key over 1 MiB: the page shows the error the API returned');
  await page.fill('#license-key-input', 'x'.repeat(1024 * 1024 + 1));
  await page.click('#license-set');
  await page.waitForFunction(
    () => document.querySelector('main').getAttribute('aria-busy') === 'false',
  );
  const refused = await text(page, '#message');
  check(
    (await page.getAttribute('#message', 'class')) === 'error' && refused.includes('413'),
    `the page does not show the API's 413 error, message: "${refused.slice(0, 300)}"`,
  );
  check((await stateStore(config))['license-key-stored'] === false, 'the refused key was stored');
  pageErrors.clear(); // Chromium logs the failed request as a console error
  ok(`message: ${refused}`);

  step('set a license key');
  await page.fill('#license-key-input', licenseKey);
  await page.click('#license-set');
  await settled(page);
  await page.waitForFunction(() =>
    /is stored/.test(document.getElementById('license-state').textContent),
  );
  await page.waitForFunction(() => {
    const pre = document.getElementById('report-preview');
    return pre.dataset.state === 'ready' && pre.textContent.includes('"license-key"');
  });
  const preview = await text(page, '#report-preview');
  check(preview.includes('ACME Corp'), 'the preview lacks the customer "ACME Corp"');
  await checkFieldTitle(page, '/product/internals/license-key/raw', [
    'without its signature',
    'Filled by: plugin license',
  ]);
  check(!preview.includes(signature.slice(0, 24)), 'the preview shows the signature');
  check(
    (await page.inputValue('#license-key-input')) === '',
    'the key stays in the text area after Set',
  );
  const reportWithKey = await reportData(base);
  const key = reportWithKey?.product?.internals?.['license-key'];
  check(
    key !== undefined,
    'GET /telemetry/data has no product.internals["license-key"]: ' +
      JSON.stringify(reportWithKey?.product),
  );
  check(key.customer === 'ACME Corp', `license-key.customer is ${JSON.stringify(key.customer)}`);
  check(
    key['valid-until'] !== undefined && key.features !== undefined,
    `license-key is not structured: ${JSON.stringify(key)}`,
  );
  check(
    !JSON.stringify(reportWithKey).includes(signature.slice(0, 24)),
    'GET /telemetry/data carries the signature',
  );
  check(
    (await stateStore(config))['license-key-stored'] === true,
    'the state store has no license key (status --json: license-key-stored)',
  );
  noPageErrors();
  const shot = path.join(artifacts, 'admin-page.png');
  await page.screenshot({ path: shot, fullPage: true });
  ok(
    `page, state store, preview and GET /telemetry/data carry the key for ${key.customer} ` +
      `(valid until ${key['valid-until']}), without signature; screenshot ${shot}`,
  );

  step('remove the license key');
  await page.click('#license-remove');
  await settled(page);
  await page.waitForFunction(() =>
    /No license key/.test(document.getElementById('license-state').textContent),
  );
  await page.waitForFunction(() => {
    const pre = document.getElementById('report-preview');
    return pre.dataset.state === 'ready' && !pre.textContent.includes('"license-key"');
  });
  const reportWithout = await reportData(base);
  check(
    reportWithout?.product?.internals?.['license-key'] === undefined,
    'GET /telemetry/data still has a license key: ' +
      JSON.stringify(reportWithout?.product?.internals),
  );
  check(
    !JSON.stringify(reportWithout).includes('ACME Corp'),
    'GET /telemetry/data still names ACME Corp',
  );
  await pageShowsEnabled(page, true);
  const afterRemove = await stateStore(config);
  check(
    afterRemove['license-key-stored'] === false,
    'the state store still has a license key (status --json: license-key-stored)',
  );
  check(afterRemove.enabled === true, 'removing the key changed the opt-in');
  noPageErrors();
  ok(
    'page, state store, preview and GET /telemetry/data have no license key; ' +
      'telemetry still enabled',
  );

  step('Refresh: the page shows last send, next send and initial report as the API does');
  await page.click('#report-refresh');
  await settled(page);
  await page.waitForSelector('#report-preview[data-state="ready"]');
  const status = await getJson(base, '/telemetry/status');
  const lastSend = await text(page, '#last-send');
  const nextSend = await text(page, '#next-send');
  const initialSent = await text(page, '#initial-report-sent');
  const last = status['last-send'];
  check(
    last === null
      ? lastSend === 'never'
      : lastSend.includes(last.time) &&
          lastSend.includes(last.kind) &&
          lastSend.includes(
            last['http-status'] !== null ? `HTTP ${last['http-status']}` : last.error,
          ),
    `#last-send "${lastSend}" does not match the API's ${JSON.stringify(last)}`,
  );
  check(
    status['next-send'] === null || nextSend === status['next-send'],
    `#next-send "${nextSend}", the API says ${status['next-send']}`,
  );
  check(
    initialSent === (status['initial-report-sent'] ?? 'not yet'),
    `#initial-report-sent "${initialSent}", the API says ${status['initial-report-sent']}`,
  );
  noPageErrors();
  ok(`last send: ${lastSend}; next send: ${nextSend}; initial report sent: ${initialSent}`);

  step('opened as http://admin:password@host/admin in a fresh browser: the page works');
  resources.userinfoContext = await launchPersistentContext(
    chromium,
    path.join(work, 'chromium-profile-userinfo'),
  );
  const userinfoPage = await resources.userinfoContext.newPage();
  userinfoPage.setDefaultTimeout(stepTimeout);
  const userinfoErrors = watchPageErrors(userinfoPage);
  const withUserinfo = `http://${user.username}:${user.password}@127.0.0.1:${apiPort}/admin`;
  const opened = await userinfoPage.goto(withUserinfo, { waitUntil: 'load' });
  check(opened && opened.status() === 200, `GET ${withUserinfo} answered ${opened?.status()}`);
  await settled(userinfoPage);
  await userinfoPage.waitForSelector('#report-preview[data-state="ready"]');
  check(
    (await text(userinfoPage, '#installation-id')) === initial.installation,
    `the page shows installation "${await text(userinfoPage, '#installation-id')}"`,
  );
  await pageShowsEnabled(userinfoPage, true);
  userinfoErrors.checkNone();
  ok('status, switch and preview loaded with the credentials in the URL');
  await resources.userinfoContext.close();
  resources.userinfoContext = null;

  step('Disable and delete sent data: Cancel changes nothing; confirming disables, renews the id');
  await page.click('#deletion-request');
  await page.waitForSelector('#deletion-confirm[open]');
  await page.click('#deletion-confirm-no');
  check(!(await page.isVisible('#deletion-confirm')), 'Cancel left the dialog open');
  const kept = await stateStore(config);
  check(
    kept.installation === initial.installation && kept.enabled === true,
    `Cancel changed the state store: ${JSON.stringify(kept)}`,
  );
  await page.click('#deletion-request');
  await page.waitForSelector('#deletion-confirm[open]');
  await page.click('#deletion-confirm-yes');
  await settled(page);
  await pageShowsEnabled(page, false);
  const deleted = await stateStore(config);
  check(deleted.enabled === false, 'the deletion request left telemetry enabled');
  check(
    deleted.installation !== initial.installation,
    `the installation id stayed ${deleted.installation}`,
  );
  // Nothing listens on the endpoint: the request stays pending, and the page says so.
  check(
    JSON.stringify(deleted['pending-deletions']) === JSON.stringify([initial.installation]),
    `pending deletions: ${JSON.stringify(deleted['pending-deletions'])}`,
  );
  check(
    (await text(page, '#installation-id')) === deleted.installation,
    `the page shows installation "${await text(page, '#installation-id')}"`,
  );
  const pendingText = await text(page, '#deletions-pending');
  check(
    pendingText.includes(initial.installation),
    `#deletions-pending says "${pendingText}"`,
  );
  noPageErrors();
  ok(`disabled; new id ${deleted.installation}; deletion of ${initial.installation} pending`);
}

function authHeader() {
  return {
    Authorization: `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`,
  };
}

async function getJson(base, urlPath) {
  const r = await fetch(`${base}${urlPath}`, {
    headers: authHeader(),
    signal: AbortSignal.timeout(stepTimeout),
  });
  const body = await r.text();
  check(r.status === 200, `GET ${urlPath} answered HTTP ${r.status}: ${body}`);
  try {
    return JSON.parse(body);
  } catch (e) {
    throw new TestFailure(`GET ${urlPath} is not JSON: ${body.slice(0, 300)}`);
  }
}

function reportData(base) {
  return getJson(base, '/telemetry/data');
}

/** The state store as the CLI reads it, beside the daemon. */
async function stateStore(config) {
  const r = await runCli(config, ['status', '--json']);
  check(r.code === 0, `telemetry status --json: exit ${r.code}\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function outsideShowsEnabled(config, base, enabled) {
  const store = await stateStore(config);
  check(
    store.enabled === enabled,
    `the state store says enabled: ${store.enabled}, expected ${enabled}`,
  );
  const configuration = await getJson(base, '/telemetry/configuration');
  check(
    configuration.enableTelemetry === enabled,
    `GET /telemetry/configuration says ${JSON.stringify(configuration)}, expected ${enabled}`,
  );
}

/** Waits until the page has no change on its way and reports no error. */
async function settled(page) {
  await page.waitForFunction(
    () => document.querySelector('main').getAttribute('aria-busy') === 'false',
  );
  const message = page.locator('#message');
  if ((await message.getAttribute('class')) === 'error') {
    throw new TestFailure(`the page shows an error: ${await message.textContent()}`);
  }
}

async function pageShowsEnabled(page, enabled) {
  try {
    await page.waitForFunction(
      (want) =>
        document.getElementById('telemetry-switch').getAttribute('aria-checked') === String(want) &&
        document.getElementById('telemetry-state').textContent === (want ? 'enabled' : 'disabled'),
      enabled,
    );
  } catch (e) {
    throw new TestFailure(
      `the page does not show telemetry ${enabled ? 'enabled' : 'disabled'}: ` +
        `switch aria-checked=${await page.getAttribute('#telemetry-switch', 'aria-checked')}, ` +
        `state "${await text(page, '#telemetry-state')}", ` +
        `message "${await text(page, '#message')}"`,
    );
  }
}

/** The preview's span for `pointer` has a title holding each of `parts`. */
async function checkFieldTitle(page, pointer, parts) {
  const title = await page.evaluate((p) => {
    const span = [...document.querySelectorAll('#report-preview .field')].find(
      (s) => s.dataset.pointer === p,
    );
    return span ? span.title : null;
  }, pointer);
  check(title !== null, `the preview has no field ${pointer}`);
  for (const part of parts) {
    check(title.includes(part), `the title of ${pointer} lacks "${part}": "${title}"`);
  }
  ok(`${pointer}: ${title.split('\n')[0]}`);
}

function text(page, selector) {
  return page.textContent(selector, { timeout: stepTimeout }).then((t) => t ?? '');
}

await runBrowserTest({
  name: 'admin page',
  usage: 'node admin_page_test.mjs TELEMETRY_CLI [ARTIFACT_DIR]',
  argumentsGiven: Boolean(cli),
  artifacts,
  steps: runSteps,
  cleanUpOrder: ['userinfoContext', 'context', 'daemon'],
});
