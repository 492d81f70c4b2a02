// The search page in headless Debian chromium: a user's path through it (type a query,
// click a faction facet, go to page 2), highlighting and counts, hostile input that
// must never execute, no-JavaScript use, and screenshots at desktop and phone widths.
// Usage: node search_page.mjs URL ARTIFACT_DIR TAG
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [base, artifacts, tag = 'page'] = process.argv.slice(2);
if (!base || !artifacts) {
  console.error('usage: node search_page.mjs URL ARTIFACT_DIR [TAG]');
  process.exit(2);
}

let failures = 0;
function check(ok, what, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${!ok && detail ? ` -- ${detail}` : ''}`);
  if (!ok) failures++;
}

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warsearch-chromium-'));
const launch = (extra = {}) =>
  chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 900 },
    ...extra,
  });

// Every dialog (alert/confirm/prompt) is an XSS that executed; every CSP report means
// the page broke its own policy.
const dialogs = [];
const cspViolations = [];
function watch(page) {
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
}
const countOf = async (page) => {
  const text = await page.locator('.count').first().innerText();
  const m = text.replace(/,/g, '').match(/(\d+) results?/);
  return m ? Number(m[1]) : -1;
};
const noInjected = async (page, what) => {
  const injected = await page.evaluate(() => ({
    scripts: document.querySelectorAll('script').length,
    imgs: document.querySelectorAll('img').length,
    handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
  }));
  check(injected.scripts === 0 && injected.imgs === 0 && injected.handlers === 0, `${what}: no injected elements`,
    JSON.stringify(injected));
};

let context;
try {
  context = await launch();
  context.setDefaultTimeout(15000);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);

  // 1. Type a query.
  const resp = await page.goto(base);
  check(resp.status() === 200, 'start page loads', `status ${resp.status()}`);
  const headers = resp.headers();
  check(/default-src 'none'/.test(headers['content-security-policy'] ?? ''), 'CSP header present');
  check(headers['x-content-type-options'] === 'nosniff', 'nosniff header present');
  check(await page.locator('label[for=q]').count() === 1, 'search box is labelled');
  await page.fill('#q', 'aleppo');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  const total = await countOf(page);
  check(total > 10, 'query "aleppo" counts its results', `count ${total}`);
  check(await page.inputValue('#q') === 'aleppo', 'search box keeps the query');
  const marks = await page.locator('.hit .snippet mark, .hit .title mark').allInnerTexts();
  check(marks.length > 0 && marks.every((m) => /aleppo/i.test(m)), 'matches are highlighted', JSON.stringify(marks.slice(0, 5)));
  const styled = await page.evaluate(() => getComputedStyle(document.querySelector('mark')).backgroundColor);
  check(styled !== 'rgba(0, 0, 0, 0)' && styled !== '', 'the stylesheet applies (served by the page itself)', styled);
  await page.screenshot({ path: path.join(artifacts, `${tag}-desktop-results.png`), fullPage: true });

  // 2. Click a faction facet: the count shown on it is the new result count.
  const facet = page.locator('h3:text-is("Faction") + ul.facet a').first();
  check(await facet.count() === 1, 'a faction facet is offered');
  const facetLabel = (await facet.locator('.label').innerText()).trim();
  const facetCount = Number(await facet.locator('.n').innerText());
  await Promise.all([page.waitForNavigation(), facet.click()]);
  check(/[?&]f=faction%3A/.test(page.url()), 'the facet adds an f=faction: filter', page.url());
  const filtered = await countOf(page);
  check(filtered === facetCount, `faction "${facetLabel}" filter gives its facet count`, `${filtered} vs ${facetCount}`);
  check(await page.locator('.active .chip.on').count() >= 1, 'the active filter shows as a removable chip');
  check(await page.inputValue('#q') === 'aleppo', 'the query is kept after filtering');

  // 3. Page 2 (of a broader search when the filtered one has a single page).
  if (await page.locator('a[rel=next]').count() === 0) {
    await page.goto(`${base}?q=${encodeURIComponent('aleppo OR syria OR ukraine OR attack')}`);
  }
  const before = await countOf(page);
  await Promise.all([page.waitForNavigation(), page.locator('a[rel=next]').first().click()]);
  check(/[?&]page=2/.test(page.url()), 'Next goes to page 2', page.url());
  check((await page.locator('.pager [aria-current=page]').innerText()).trim() === '2', 'the pager marks page 2');
  check(await page.locator('ol.hits').getAttribute('start') === '11', 'page 2 starts at result 11');
  check(await countOf(page) === before, 'the count is the same on page 2', `${before}`);

  // 4. Why-matched works without script: <details> opens on click.
  const why = page.locator('details.why').first();
  await why.locator('summary').click();
  check(await why.locator('li').first().isVisible(), 'why-matched opens and lists reasons');

  // 5. An XSS probe in the query is shown as text and never runs.
  const probe = '"><script>alert("xss-q")</script><img src=x onerror=alert("xss-img")>\'';
  await page.goto(`${base}?q=${encodeURIComponent(probe)}&f=${encodeURIComponent('source:<b>x</b>')}`);
  check(await page.inputValue('#q') === probe, 'the probe round-trips as the input value');
  await noInjected(page, 'query probe');

  // 6. The hostile document: its title and body markup appear literally.
  await page.goto(`${base}?q=${encodeURIComponent('hostile markup')}`);
  const title = await page.locator('.hit .title').first().innerText();
  check(title.includes('<script>alert("xss-title")</script>'), 'the hostile title is shown as text', title);
  await noInjected(page, 'hostile document');
  await page.goto(`${base}?q=${encodeURIComponent('press freedom report')}`);
  await noInjected(page, 'hostile snippet');

  // 7. Phone width.
  await page.goto(`${base}?q=${encodeURIComponent('shelling')}`);
  await page.screenshot({ path: path.join(artifacts, `${tag}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, 'no horizontal scrolling at 390 px', `${overflow}px too wide`);
  await page.screenshot({ path: path.join(artifacts, `${tag}-phone.png`), fullPage: true });

  // 8. The workbench (issue 27): a result opens its document page; its matches link to
  // each other; the page fits a phone; the exports and the feed of the search answer.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${base}?q=${encodeURIComponent('convoy')}`);
  check(await page.locator('h1').count() === 1, 'the results page has one h1');
  const firstFocus = await page.evaluate(() => {
    const links = [...document.querySelectorAll('main a')];
    const facet = links.findIndex((a) => a.closest('.facets'));
    const hit = links.findIndex((a) => a.closest('.hit'));
    return { facet, hit };
  });
  check(firstFocus.facet >= 0 && firstFocus.facet < firstFocus.hit, 'facets come before the results in tab order',
    JSON.stringify(firstFocus));
  await Promise.all([page.waitForNavigation(), page.locator('.hit .title a').first().click()]);
  check(/[?&]doc=/.test(page.url()), 'a result title opens the document page', page.url());
  check(await page.locator('h1').count() === 1, 'the document page has one h1');
  const docMarks = await page.locator('.doctext mark').count();
  check(docMarks > 0, 'the document page marks the matches', `${docMarks}`);
  if (docMarks > 1) {
    await page.locator('.doctext a.hn[title="Next match"]').first().click();
    check(page.url().endsWith('#m2'), 'Next match goes to the second match', page.url());
  }
  await page.screenshot({ path: path.join(artifacts, `${tag}-document-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  const docOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(docOverflow <= 0, 'the document page fits 390 px', `${docOverflow}px too wide`);
  await page.screenshot({ path: path.join(artifacts, `${tag}-document-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  const csv = await page.request.get(`${base}?q=aleppo&format=csv`);
  check(csv.status() === 200 && /^id,title,date,source/.test(await csv.text()), 'the CSV export answers with a header');
  const atom = await page.request.get(`${base}?q=aleppo&format=atom`);
  check(atom.status() === 200 && (await atom.text()).includes('<feed xmlns="http://www.w3.org/2005/Atom">'),
    'the Atom feed answers');

  // 8. Other methods are refused.
  const post = await page.request.post(`${base}?q=aleppo`, { data: 'q=aleppo' });
  check(post.status() === 405, 'POST gets 405', `status ${post.status()}`);

  check(dialogs.length === 0, 'no dialog ever opened (no script ran)', JSON.stringify(dialogs));
  check(cspViolations.length === 0, 'no Content-Security-Policy violations', cspViolations.join(' | '));
  await context.close();

  // 9. Without JavaScript: the same path still works (forms and links only).
  context = await launch({ javaScriptEnabled: false });
  const nojs = context.pages()[0] ?? (await context.newPage());
  await nojs.goto(base);
  await nojs.fill('#q', 'darayya');
  await Promise.all([nojs.waitForNavigation(), nojs.press('#q', 'Enter')]);
  check(await countOf(nojs) > 0, 'without JavaScript: the search form works');
  const month = nojs.locator('ul.months a').first();
  if (await month.count()) {
    const n = Number(await month.locator('.n').innerText());
    await Promise.all([nojs.waitForNavigation(), month.click()]);
    check(await countOf(nojs) === n, 'without JavaScript: a month bar filters to its count');
  } else {
    check(false, 'without JavaScript: a month histogram is shown');
  }
} catch (e) {
  check(false, 'the browser session ran to the end', e.stack ?? String(e));
} finally {
  await context?.close().catch(() => {});
  fs.rmSync(userDataDir, { recursive: true, force: true });
}

for (const f of fs.readdirSync(artifacts).filter((f) => f.startsWith(`${tag}-`) && f.endsWith('.png')))
  console.log(`screenshot: ${path.join(artifacts, f)}`);
console.log(failures ? `${failures} check(s) failed` : 'all browser checks passed');
process.exit(failures ? 1 : 0);
