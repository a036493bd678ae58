#!/usr/bin/env node
// The collector's dashboard (GET /) in a real headless Chromium (Debian's, driven by
// playwright-core): a real collector on loopback (plain HTTP) gets reports of two versions
// through POST /pings, and the page must render its charts, report no error under its CSP,
// show exactly the numbers /api/stats gives for the same query string, narrow them with its
// version filter form, link the same figures as CSV, and fit a 375 px wide phone screen.
// Every comparison is page against JSON, so it holds whatever the store computes.
//
// Usage: node dashboard_page_test.mjs TELEMETRY_COLLECTOR REPORT_FIXTURE [ARTIFACT_DIR]
//   Exit 0 passed, 1 failed, 77 skipped (no Chromium or playwright-core; with CI=true that is
//   a failure instead). CHROMIUM overrides /usr/bin/chromium.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  artifactDir,
  check,
  freePort,
  launchBrowser,
  ok,
  runBrowserTest,
  ServiceProcess,
  step,
  stepTimeout,
  TestFailure,
  watchPageErrors,
} from './browser_support.mjs';

const resolved = (file) => (file ? path.resolve(file) : file);
const collectorExe = resolved(process.argv[2] || process.env.TELEMETRY_COLLECTOR);
const fixture = resolved(process.argv[3] || process.env.TELEMETRY_REPORT_FIXTURE);
const artifacts = artifactDir(process.argv[4]);
// Installations per version; the hostile one checks escaping in a real parser.
const installationsByVersion = { '7.14.0': 3, '7.15.0': 2 };
const hostileVersion = '7.16.0"><img src=x onerror=alert(1)>&\'';

async function get(base, urlPath) {
  const r = await fetch(`${base}${urlPath}`, { signal: AbortSignal.timeout(stepTimeout) });
  return { status: r.status, type: r.headers.get('content-type'), body: await r.text() };
}

async function getJson(base, urlPath) {
  const r = await get(base, urlPath);
  check(r.status === 200, `GET ${urlPath} answered HTTP ${r.status}: ${r.body}`);
  return JSON.parse(r.body);
}

async function postReport(base, version, n) {
  const report = JSON.parse(fs.readFileSync(fixture, 'utf8'));
  report.installation = crypto.randomUUID();
  report.product.version = version;
  if (n % 2 === 1) report.product.internals.database.vendor = 'postgres';
  const r = await fetch(`${base}/pings`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify(report),
    signal: AbortSignal.timeout(stepTimeout),
  });
  return { status: r.status, body: await r.text() };
}

/** Reports are stored behind the 202: waits until /api/stats counts them all. */
async function waitForReports(base, count) {
  const deadline = Date.now() + 30_000;
  let seen = -1;
  while (Date.now() < deadline) {
    const r = await get(base, '/api/stats');
    if (r.status === 200) {
      seen = JSON.parse(r.body).reports;
      if (seen >= count) return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new TestFailure(`/api/stats counts ${seen} reports after 30 s, ${count} were accepted`);
}

/** What the page shows, read from its DOM. */
function readPage(page) {
  return page.evaluate(() => {
    const card = (id) => document.querySelector(`#${id} b`)?.textContent ?? null;
    const bars = {};
    for (const figure of document.querySelectorAll('figure')) {
      const svg = figure.querySelector('svg.bars');
      if (!svg) continue;
      const rows = [];
      for (const label of svg.querySelectorAll('text[text-anchor="end"]')) {
        const full = label.querySelector('title')?.textContent ?? label.textContent;
        const value = label.nextElementSibling?.nextElementSibling?.textContent;
        rows.push([full, Number(value)]);
      }
      bars[figure.querySelector('figcaption').textContent] = rows;
    }
    const trends = {};
    for (const figure of document.querySelectorAll('figure.trend')) {
      const table = figure.querySelector('table');
      if (!table) {
        trends[figure.id] = null;
        continue;
      }
      const names = [...table.querySelectorAll('thead th')].slice(1).map((th) => th.textContent);
      const rows = [...table.querySelectorAll('tbody tr')].map((tr) => [
        tr.querySelector('th').textContent,
        ...[...tr.querySelectorAll('td')].map((td) => td.textContent),
      ]);
      trends[figure.id] = { names, rows };
    }
    return {
      cards: {
        installations: card('card-installations'),
        optedIn: card('card-opted-in'),
        initialOnly: card('card-initial-only'),
        reports: card('card-reports'),
      },
      bars,
      trends,
      showing: document.getElementById('showing')?.textContent ?? '',
      csvLink: document.getElementById('csv-link')?.getAttribute('href') ?? null,
    };
  });
}

/** The page against the JSON of the same query string: every number the same. */
function comparePageToJson(shown, json, where) {
  const expectCards = {
    installations: String(json.installations.total),
    optedIn: String(json.installations['opted-in']),
    initialOnly: String(json.installations['initial-only']),
    reports: String(json.reports),
  };
  for (const [name, value] of Object.entries(expectCards)) {
    check(
      shown.cards[name] === value,
      `${where}: card ${name} shows ${shown.cards[name]}, /api/stats says ${value}`,
    );
  }
  const distributions = {
    Versions: json.versions.map((v) => [v.version, v.count]),
    Editions: json.editions.map((v) => [v.edition, v.count]),
    Databases: json.databases.map((v) => [v.vendor, v.count]),
  };
  for (const [title, rows] of Object.entries(distributions)) {
    const page = shown.bars[title];
    check(page !== undefined, `${where}: no bar chart "${title}"`);
    const expected = rows.length > 10 ? rows.slice(0, 10) : rows; // the rest is "other"
    check(
      JSON.stringify(page.slice(0, expected.length)) === JSON.stringify(expected),
      `${where}: "${title}" shows ${JSON.stringify(page)}, /api/stats says ${JSON.stringify(rows)}`,
    );
  }
  const trendIds = {
    active: 'trend-active',
    'active-by-version': 'trend-active-by-version',
    'active-by-database': 'trend-active-by-database',
    'new-per-week': 'trend-new-per-week',
  };
  for (const [key, id] of Object.entries(trendIds)) {
    const series = json.trends[key];
    const table = shown.trends[id];
    if (series.periods.length === 0 || series.lines.length === 0) {
      check(table === null, `${where}: ${id} has a table, /api/stats has no ${key} values`);
      continue;
    }
    check(table, `${where}: ${id} has no table of values, /api/stats has ${key}`);
    check(
      JSON.stringify(table.rows.map((r) => r[0])) === JSON.stringify(series.periods),
      `${where}: ${id} periods ${JSON.stringify(table.rows.map((r) => r[0]))}, ` +
        `/api/stats ${JSON.stringify(series.periods)}`,
    );
    for (const line of series.lines.slice(0, 6)) {
      const column = table.names.indexOf(line.name);
      if (line.name === 'other') continue; // may hold more lines on the page
      check(column >= 0, `${where}: ${id} has no column "${line.name}"`);
      const values = table.rows.map((r) => Number(r[column + 1]));
      check(
        JSON.stringify(values) === JSON.stringify(line.values),
        `${where}: ${id} "${line.name}" shows ${values}, /api/stats ${line.values}`,
      );
    }
  }
}

async function chartsRender(page, where) {
  const sizes = await page.evaluate(() =>
    [...document.querySelectorAll('figure > svg')].map((svg) => {
      const box = svg.getBoundingClientRect();
      return {
        label: svg.getAttribute('aria-label'),
        width: box.width,
        height: box.height,
        role: svg.getAttribute('role'),
        title: svg.querySelector(':scope > title')?.textContent ?? null,
      };
    }),
  );
  check(sizes.length >= 8, `${where}: ${sizes.length} charts, expected the 8 bar charts at least`);
  for (const s of sizes) {
    check(s.width > 50 && s.height > 10, `${where}: chart "${s.label}" is ${s.width}x${s.height}`);
    check(s.role === 'img' && s.title, `${where}: chart "${s.label}" lacks role=img or <title>`);
  }
  return sizes.length;
}

async function runSteps({ chromium, work, resources }) {
  step('a collector on loopback, reports of two versions through POST /pings');
  const port = await freePort();
  const config = path.join(work, 'collector.yaml');
  fs.writeFileSync(
    config,
    [
      `listen: 127.0.0.1:${port}`,
      'plain-http: true',
      'store: collector.db',
      'secret-file: collector.secret',
      'rate-limit: { per-minute: 6000, burst: 1000 }',
      '',
    ].join('\n'),
  );
  const base = `http://127.0.0.1:${port}`;
  resources.collector = new ServiceProcess('the collector', collectorExe, ['--config', config], {
    cwd: work,
    logFile: path.join(artifacts, 'dashboard-collector.log'),
  });
  await resources.collector.waitForHttp(`${base}/healthz`);
  let accepted = 0;
  for (const [version, count] of Object.entries(installationsByVersion)) {
    for (let i = 0; i < count; i += 1) {
      const r = await postReport(base, version, accepted);
      check(r.status === 202, `POST /pings (${version}) answered ${r.status}: ${r.body}`);
      accepted += 1;
    }
  }
  const hostile = await postReport(base, hostileVersion, accepted);
  if (hostile.status === 202) accepted += 1;
  await waitForReports(base, accepted);
  ok(
    `${accepted} reports stored (${JSON.stringify(installationsByVersion)}; the hostile version ` +
      `${hostile.status === 202 ? 'accepted' : `refused with ${hostile.status}`})`,
  );

  step('Chromium opens /: charts render, no error, numbers equal /api/stats');
  resources.browser = await launchBrowser(chromium);
  const context = await resources.browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  resources.page = page;
  page.setDefaultTimeout(stepTimeout);
  const pageErrors = watchPageErrors(page, { warnings: true, dialogs: true });
  const noPageErrors = (where) => pageErrors.checkNone(where);

  const response = await page.goto(`${base}/`, { waitUntil: 'load' });
  check(response && response.status() === 200, `GET / answered ${response && response.status()}`);
  const charts = await chartsRender(page, 'GET /');
  const unfiltered = await readPage(page);
  const pageQuery = new URL(page.url()).search;
  const json = await getJson(base, `/api/stats${pageQuery}`);
  comparePageToJson(unfiltered, json, 'GET /');
  noPageErrors('GET /');
  check(
    Number(unfiltered.cards.installations) === accepted,
    `the page counts ${unfiltered.cards.installations} installations, ${accepted} reported`,
  );
  if (hostile.status === 202) {
    check(
      unfiltered.bars.Versions.some(([name]) => name === hostileVersion),
      `the hostile version is not shown as text: ${JSON.stringify(unfiltered.bars.Versions)}`,
    );
  }
  await page.screenshot({ path: path.join(artifacts, 'dashboard-page.png'), fullPage: true });
  ok(`${charts} charts with a size, role=img and a title; cards, distributions and trends equal JSON`);

  step('the version filter form: 7.15.0 narrows the page as /api/stats?version= says');
  await page.selectOption('select[name="version"]', '7.15.0');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form button')]);
  const query = new URL(page.url()).searchParams;
  check(query.get('version') === '7.15.0', `the form went to ${page.url()}`);
  const filteredJson = await getJson(base, `/api/stats${new URL(page.url()).search}`);
  check(
    filteredJson.filter.version === '7.15.0',
    `/api/stats?version=7.15.0 says filter ${JSON.stringify(filteredJson.filter)}`,
  );
  const filtered = await readPage(page);
  comparePageToJson(filtered, filteredJson, 'GET /?version=7.15.0');
  check(filtered.showing.includes('version 7.15.0'), `the page says "${filtered.showing}"`);
  check(
    (await page.inputValue('select[name="version"]')) === '7.15.0',
    'the chosen version is not selected after the reload',
  );
  await chartsRender(page, 'GET /?version=7.15.0');
  noPageErrors('GET /?version=7.15.0');
  const narrowed = Number(filtered.cards.installations) < Number(unfiltered.cards.installations);
  ok(
    `page equals /api/stats${new URL(page.url()).search}: ${filtered.cards.installations} ` +
      `installations (${narrowed ? 'narrowed by the store' : 'the store does not filter yet'})`,
  );

  step('the CSV link gives the same filter as text/csv');
  check(filtered.csvLink?.startsWith('/api/stats.csv?'), `CSV link ${filtered.csvLink}`);
  const csv = await get(base, filtered.csvLink);
  check(csv.status === 200, `GET ${filtered.csvLink} answered ${csv.status}: ${csv.body}`);
  check(csv.type === 'text/csv; charset=utf-8', `the CSV comes as ${csv.type}`);
  check(
    csv.body.startsWith(
      `figure,period,name,value\r\ninstallations,,total,${filteredJson.installations.total}\r\n`,
    ),
    `the CSV starts ${JSON.stringify(csv.body.slice(0, 120))}`,
  );
  ok(`${csv.body.split('\r\n').length - 2} rows`);

  step('a bad query string: 400 with the reason on the page, no error');
  const bad = await page.goto(`${base}/?versoin=7.15.0`, { waitUntil: 'load' });
  check(bad.status() === 400, `GET /?versoin= answered ${bad.status()}`);
  const refusal = await page.textContent('#refusal');
  check(refusal.includes("did you mean 'version'"), `the page says "${refusal}"`);
  pageErrors.clear(); // Chromium logs the 400 itself as a console error
  ok(refusal);

  step('at 375 px (a phone): no horizontal scrolling, charts still drawn');
  const phone = await resources.browser.newContext({
    viewport: { width: 375, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const phonePage = await phone.newPage();
  phonePage.setDefaultTimeout(stepTimeout);
  phonePage.on('console', (m) => {
    if (m.type() === 'error') pageErrors.errors.push(`console (phone): ${m.text()}`);
  });
  await phonePage.goto(`${base}/`, { waitUntil: 'load' });
  // The tables of values are opened too: they scroll inside their box, not the page.
  await phonePage.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });
  const widths = await phonePage.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
    body: document.body.scrollWidth,
  }));
  check(
    widths.scroll <= widths.client && widths.body <= widths.client,
    `at 375 px the page scrolls sideways: ${JSON.stringify(widths)}`,
  );
  await chartsRender(phonePage, 'GET / at 375 px');
  await phonePage.screenshot({ path: path.join(artifacts, 'dashboard-page-phone.png'), fullPage: true });
  noPageErrors('GET / at 375 px');
  ok(`scroll width ${widths.scroll} <= ${widths.client}`);
}

await runBrowserTest({
  name: 'dashboard page',
  usage: 'node dashboard_page_test.mjs TELEMETRY_COLLECTOR REPORT_FIXTURE [ARTIFACT_DIR]',
  argumentsGiven: Boolean(collectorExe && fixture),
  artifacts,
  steps: runSteps,
  cleanUpOrder: ['browser', 'collector'],
});
