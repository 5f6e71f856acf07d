#!/usr/bin/env node
// The docs' browser test: serves dist/docs on loopback, opens the landing page, each language
// page and the performance page in Debian's headless chromium (driven by playwright-core over
// the DevTools protocol), and checks that each renders: the title, the page's own heading, no
// console error or uncaught exception, no failed request, nothing fetched from the network, and
// on the performance page that the chart image loaded, and at 1280 and 390 px that no table or
// code block reaches past its column. The generated reference pages too (the C API, the CLI, and
// each language's page of its API reference), and the 404 page served under a sub-path. Then the
// API references made by each language's own tool, in their tools' themes (pdoc, javadoc,
// TypeDoc, Doxygen): each loads with no error and nothing from the network, every same-site link
// on it answers, and at 1280 and 390 px nothing reaches past the window. Saves a full-page
// screenshot of each under build/docs-screenshots/.
//
//   node tests/docs/browser.js [SITE_DIR] [SCREENSHOT_DIR]
//
// Environment: DSTOKEN_CHROMIUM (default /usr/bin/chromium); playwright-core is resolved from
// build/docs-browser/node_modules (scripts/docs/tools.sh --browser installs it there).
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const site = path.resolve(process.argv[2] || path.join(root, 'dist', 'docs'));
const shots = path.resolve(process.argv[3] || path.join(root, 'build', 'docs-screenshots'));
const { chromium } = require(require.resolve('playwright-core', {
  paths: [path.join(root, 'build', 'docs-browser', 'node_modules')],
}));

// [file, the heading the page must show]
const PAGES = [
  ['index.html', 'dstoken'],
  ['concepts.html', 'Concepts'],
  ['install.html', 'Installing'],
  ['c.html', 'C'],
  ['cpp.html', 'C++'],
  ['java.html', 'Java'],
  ['python.html', 'Python'],
  ['node.html', 'Node.js'],
  ['go.html', 'Go'],
  ['php.html', 'PHP'],
  ['cli.html', 'Command line'],
  ['performance.html', 'Performance'],
  ['security.html', 'Security'],
  ['troubleshooting.html', 'Troubleshooting'],
  ['debian.html', 'Debian packages'],
  ['building.html', 'Building from source'],
  ['c-api.html', 'C API reference'],          // generated from include/dstoken.h
  ['cli-reference.html', 'CLI reference'],    // generated from the man pages
  // each language's API reference (scripts/docs/gen_api_refs.sh): a page that links the tool's
  // own site, and for Go the reference itself
  ['cpp-api.html', 'C++ API reference'],
  ['java-api.html', 'Java API reference'],
  ['python-api.html', 'Python API reference'],
  ['node-api.html', 'Node.js API reference'],
  ['go-api.html', 'Go API reference'],
  ['php-api.html', 'PHP API reference'],
];

// The API references made by each language's own tool (scripts/docs/gen_api_refs.sh), in their
// tools' own themes: [file, what the title must contain]. Each tool's start page and one class
// page. Their layout is the tool's, so "past the column" is "past the window" here.
const GENERATED = [
  ['api/python/dstoken.html', 'dstoken'],                       // pdoc
  ['api/java/index.html', 'dstoken Java API'],                  // javadoc
  ['api/java/org/dstoken/Claims.html', 'Claims'],
  ['api/node/index.html', 'dstoken (Node.js)'],                 // TypeDoc
  ['api/node/classes/Claims.html', 'Claims'],
  ['api/cpp/namespacedstoken.html', 'dstoken C++ API'],         // Doxygen
  ['api/cpp/classdstoken_1_1Claims.html', 'dstoken C++ API'],
  ['api/php/namespaceDstoken.html', 'dstoken PHP API'],         // Doxygen
  ['api/php/classDstoken_1_1Claims.html', 'dstoken PHP API'],
];

// Code, tables and the page itself that reach past the window's right edge at the current width
// (a box that scrolls inside the window is fine).
async function overflowsWindow(page) {
  return page.evaluate(() => {
    const found = [];
    const width = window.innerWidth;
    for (const el of document.querySelectorAll('pre, table')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      let clipped = false;   // inside an ancestor that scrolls sideways or hides its overflow
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const ox = getComputedStyle(p).overflowX;
        if ((ox === 'auto' || ox === 'scroll' || ox === 'hidden') && p.getBoundingClientRect().right <= width + 1) { clipped = true; break; }
      }
      const what = `${el.tagName.toLowerCase()} "${el.textContent.trim().replace(/\s+/g, ' ').slice(0, 40)}"`;
      if (!clipped && box.right > width + 1) found.push(`${what} reaches ${Math.round(box.right - width)} px past the window`);
    }
    if (document.documentElement.scrollWidth > width + 1) {
      found.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${width} px window`);
    }
    return found;
  });
}

// Every same-site link of the page (without its #fragment) answers 200 from the server.
async function brokenLinks(page, base) {
  const hrefs = await page.evaluate(() => [...document.querySelectorAll('a[href]')].map((a) => a.href));
  const targets = [...new Set(hrefs.filter((h) => h.startsWith(base)).map((h) => h.split('#')[0]))];
  const bad = [];
  for (const t of targets) {
    const status = await new Promise((resolve) => http.get(t, (r) => { r.resume(); resolve(r.statusCode); })
      .on('error', () => resolve('no answer')));
    if (status !== 200) bad.push(`link to ${t.slice(base.length)}: HTTP ${status}`);
  }
  return [bad, targets.length];
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2',
  '.woff': 'font/woff', '.ttf': 'font/ttf', '.ico': 'image/x-icon', '.txt': 'text/plain' };

// Serves the site at `prefix` ("/" or a sub-path such as "/dstoken/", as a project site is);
// anything outside it is a 404.
function serve(prefix = '/') {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (!url.pathname.startsWith(prefix)) { res.writeHead(404).end('not found'); return; }
    let file = path.normalize(path.join(site, decodeURIComponent(url.pathname.slice(prefix.length - 1))));
    if (!file.startsWith(site)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404).end('not found'); return; }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// Tables and code blocks that reach past the text column (cut off, or widening the page) at
// the current viewport width. One that scrolls within the column is fine.
async function overflows(page) {
  return page.evaluate(() => {
    const found = [];
    const main = document.querySelector('main');
    if (!main) return ['no <main>'];
    const column = main.getBoundingClientRect();
    for (const el of main.querySelectorAll('table, pre')) {
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      const scrolls = style.overflowX === 'auto' || style.overflowX === 'scroll';
      const what = `${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 40)}"`;
      if (box.right > column.right + 1) found.push(`${what} reaches ${Math.round(box.right - column.right)} px past its column`);
      else if (el.scrollWidth > el.clientWidth + 1 && !scrolls) found.push(`${what} is cut off (${el.scrollWidth} px in ${el.clientWidth})`);
    }
    if (document.documentElement.scrollWidth > window.innerWidth + 1) {
      found.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${window.innerWidth} px window`);
    }
    return found;
  });
}

async function main() {
  if (!fs.existsSync(path.join(site, 'index.html'))) {
    throw new Error(`${site}/index.html is missing: build the site first (scripts/package.sh docs)`);
  }
  fs.mkdirSync(shots, { recursive: true });
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}/`;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'dstoken-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.DSTOKEN_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  const failures = [];
  try {
    const version = context.browser() ? context.browser().version() : 'chromium';
    for (const [file, heading] of PAGES) {
      const page = await context.newPage();
      const problems = [];
      page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`); });
      page.on('pageerror', (err) => problems.push(`uncaught exception: ${err.message}`));
      page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
      // Nothing may come from the network: the site must work offline.
      await page.route('**/*', (route) => {
        const u = route.request().url();
        if (u.startsWith(base) || u.startsWith('data:')) return route.continue();
        problems.push(`fetches from the network: ${u}`);
        return route.abort();
      });
      const resp = await page.goto(base + file, { waitUntil: 'load' });
      if (!resp || resp.status() !== 200) problems.push(`HTTP ${resp ? resp.status() : 'no response'}`);
      const title = await page.title();
      if (!title.includes('dstoken') || (file !== 'index.html' && !title.startsWith(heading))) {
        problems.push(`title ${JSON.stringify(title)} (expected "${heading} - dstoken")`);
      }
      const h1 = (await page.locator('main h1').first().textContent().catch(() => '')) || '';
      if (h1.trim() !== heading) problems.push(`first heading ${JSON.stringify(h1.trim())}, expected ${JSON.stringify(heading)}`);
      const sidebar = await page.locator('nav#sidebar a, .sidebar a').count();
      if (sidebar < 10) problems.push(`the sidebar shows ${sidebar} links`);
      if (file === 'performance.html') {
        // (mdBook 0.5 renders an image twice, for its click-to-zoom view: each copy must load.)
        const chart = page.locator('img[src*="ns-per-token"]');
        if ((await chart.count()) < 1) problems.push('no chart image');
        else {
          await chart.first().scrollIntoViewIfNeeded();
          const ok = await chart.evaluateAll((imgs) => imgs.every((img) => img.complete && img.naturalWidth > 100 && img.naturalHeight > 50));
          if (!ok) problems.push('the chart image did not load');
        }
      }
      // Highlighted code blocks: every example is rendered as code.
      const code = await page.locator('pre code').count();
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        for (const o of await overflows(page)) problems.push(`at ${width} px: ${o}`);
      }
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: path.join(shots, file.replace('.html', '.png')), fullPage: true });
      await page.close();
      console.log(`${problems.length ? 'FAIL' : 'ok  '} ${file}: ${JSON.stringify(title)}, ${code} code blocks`);
      for (const p of problems) failures.push(`${file}: ${p}`);
    }
    for (const [file, title] of GENERATED) {
      const page = await context.newPage();
      const problems = [];
      page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`); });
      page.on('pageerror', (err) => problems.push(`uncaught exception: ${err.message}`));
      page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
      page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`); });
      await page.route('**/*', (route) => {
        const u = route.request().url();
        if (u.startsWith(base) || u.startsWith('data:')) return route.continue();
        problems.push(`fetches from the network: ${u}`);
        return route.abort();
      });
      const resp = await page.goto(base + file, { waitUntil: 'load' });
      if (!resp || resp.status() !== 200) problems.push(`HTTP ${resp ? resp.status() : 'no response'}`);
      const got = await page.title();
      if (!got.includes(title)) problems.push(`title ${JSON.stringify(got)} (expected it to contain ${JSON.stringify(title)})`);
      const [bad, links] = await brokenLinks(page, base);
      problems.push(...bad);
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        for (const o of await overflowsWindow(page)) problems.push(`at ${width} px: ${o}`);
      }
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: path.join(shots, file.replace(/\//g, '_').replace('.html', '.png')), fullPage: true });
      await page.close();
      console.log(`${problems.length ? 'FAIL' : 'ok  '} ${file}: ${JSON.stringify(got)}, ${links} same-site links`);
      for (const p of problems) failures.push(`${file}: ${p}`);
    }
    // The 404 page, with the site under a sub-path (as a project site is served) and so not at
    // the server's root: its styles, scripts and links must load from there.
    {
      const sub = await serve('/dstoken/');
      const page = await context.newPage();
      const problems = [];
      page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`); });
      page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
      const url = `http://127.0.0.1:${sub.address().port}/dstoken/404.html`;
      await page.goto(url, { waitUntil: 'load' });
      const styled = await page.evaluate(() => getComputedStyle(document.body).getPropertyValue('--sidebar-width').trim() !== '');
      if (!styled) problems.push('the theme\'s styles did not load');
      const home = await page.locator('nav#sidebar a, .sidebar a').first().evaluate((a) => a.href).catch(() => '');
      if (!home.startsWith(`http://127.0.0.1:${sub.address().port}/dstoken/`)) problems.push(`the sidebar links to ${home}`);
      await page.screenshot({ path: path.join(shots, '404-subpath.png'), fullPage: true });
      await page.close();
      sub.close();
      console.log(`${problems.length ? 'FAIL' : 'ok  '} 404.html under /dstoken/`);
      for (const p of problems) failures.push(`404.html under /dstoken/: ${p}`);
    }
    console.log(`${PAGES.length} pages and ${GENERATED.length} pages of the tools' API references in ${version} `
      + `at 1280 and 390 px; screenshots in ${path.relative(root, shots)}/`);
  } finally {
    await context.close();
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  if (failures.length) {
    console.error(failures.join('\n'));
    process.exit(1);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
