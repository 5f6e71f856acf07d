'use strict';
// The npm package as a user gets it: packed with the library inside, installed with
// `npm install <tarball>` into a fresh project outside the repository, used with no other step.
// The tarball is DSTOKEN_NODE_TGZ when set (scripts/package.sh's), else packed here from
// DSTOKEN_LIBRARY by pack.sh, with the WebAssembly core DSTOKEN_WASM inside when that is set
// (scripts/test.sh sets it; under CI it must be).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const jwt = require('jsonwebtoken');
const { cargoVersion } = require('./helpers');

const version = cargoVersion();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dstoken-npm-'));
test.after(() => fs.rmSync(work, { recursive: true, force: true }));

function tarball() {
  if (process.env.DSTOKEN_NODE_TGZ) return process.env.DSTOKEN_NODE_TGZ;
  const lib = process.env.DSTOKEN_LIBRARY;
  assert.ok(lib, 'set DSTOKEN_LIBRARY (the library to bundle) or DSTOKEN_NODE_TGZ');
  const out = execFileSync(path.join(__dirname, '..', 'pack.sh'), [lib, path.join(work, 'dist')], { encoding: 'utf8' });
  return out.trim().split('\n').pop();
}

// The user's environment: no override, no library path.
function userEnv() {
  const env = { ...process.env };
  delete env.DSTOKEN_LIBRARY;
  delete env.LD_LIBRARY_PATH;
  delete env.NODE_PATH;
  delete env.DSTOKEN_WASM;
  delete env.DSTOKEN_BACKEND;
  return env;
}

const KEY = 'the-developer-key-from-the-dashboard';
const APP = `
const { mint, verify, libraryInfo, version } = require('dstoken');
const token = mint({ teamId: 'team-uuid', room: 'daily-standup', userName: 'Ana', role: 'moderator', expiresIn: 600 }, process.argv[2]);
verify(token, process.argv[2]);
console.log(JSON.stringify({ token, info: libraryInfo(), version }));
`;
const APP_ESM = `
import { Claims, Key, joinUrl } from 'dstoken';
const key = new Key(process.argv[2]);
const token = new Claims().teamId('team-uuid').room('daily-standup').userName('Bo').claim('x', [1]).expiresIn(600).sign(key);
key.close();
console.log(joinUrl('acme', 'daily-standup', token));
`;

test(`npm install dstoken-${version}.tgz in a fresh project mints a token jsonwebtoken verifies`, () => {
  const tgz = tarball();
  assert.equal(path.basename(tgz), `dstoken-${version}.tgz`);
  const listing = execFileSync('tar', ['tzf', tgz], { encoding: 'utf8' }).trim().split('\n').sort();
  const withWasm = listing.includes('package/dstoken.wasm');
  if (process.env.CI || process.env.DSTOKEN_WASM) assert.ok(withWasm, 'the package must carry dstoken.wasm (set DSTOKEN_WASM to the wasm32 build)');
  assert.deepEqual(listing, ['package/README.md', ...(withWasm ? ['package/dstoken.wasm'] : []), 'package/index.d.ts',
    'package/index.js', 'package/native.js', `package/native/${process.platform}-${process.arch}/libdstoken.so`,
    'package/package.json', 'package/schema.js', 'package/wasm.js']);

  const app = path.join(work, 'app');
  fs.mkdirSync(app);
  const npm = (...args) => execFileSync('npm', args, { cwd: app, env: userEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  npm('init', '-y');
  npm('install', '--no-audit', '--no-fund', '--prefer-offline', tgz);
  fs.writeFileSync(path.join(app, 'app.js'), APP);
  fs.writeFileSync(path.join(app, 'app.mjs'), APP_ESM);

  const run = (file) => execFileSync(process.execPath, [file, KEY], { cwd: app, env: userEnv(), encoding: 'utf8' }).trim();
  const out = JSON.parse(run('app.js'));
  assert.equal(out.version, version);
  assert.equal(out.info.source, 'bundled');
  assert.equal(out.info.backend, 'native');
  assert.equal(out.info.version, version);
  assert.equal(out.info.path, path.join(fs.realpathSync(app), 'node_modules', 'dstoken', 'native', `${process.platform}-${process.arch}`, 'libdstoken.so'));
  const p = jwt.verify(out.token, KEY, { algorithms: ['HS256'] });
  assert.equal(p.td, 'team-uuid');
  assert.equal(p.u, 'Ana');
  assert.equal(p.exp - p.iat, 600);

  const url = run('app.mjs');
  const m = /^https:\/\/acme\.digitalsamba\.com\/daily-standup\?token=(.+)$/.exec(url);
  assert.ok(m, url);
  assert.deepEqual(jwt.verify(m[1], KEY, { algorithms: ['HS256'] }).x, [1]);

  // The package README's example, as written, in the fresh project.
  const readme = fs.readFileSync(path.join(app, 'node_modules', 'dstoken', 'README.md'), 'utf8');
  const example = /```js\n([\s\S]*?)```/.exec(readme)[1];
  fs.writeFileSync(path.join(app, 'readme.js'), example);
  const rd = execFileSync(process.execPath, ['readme.js'], { cwd: app, encoding: 'utf8',
    env: { ...userEnv(), DIGITALSAMBA_DEVELOPER_KEY: KEY, DIGITALSAMBA_TEAM_ID: 'team-uuid' } }).trim().split('\n');
  // (The README is generated from docs/src/node.md: its first example prints the join URL.)
  const readmeToken = /^https:\/\/acme\.digitalsamba\.com\/daily-standup\?token=(.+)$/.exec(rd[0])[1];
  assert.equal(jwt.verify(readmeToken, KEY, { algorithms: ['HS256'] }).u, 'John Smith');

  // Without its bundled library (and no system one), the package runs its WebAssembly core,
  // which mints the same bytes.
  fs.rmSync(path.join(app, 'node_modules', 'dstoken', 'native'), { recursive: true });
  if (withWasm) {
    const w = JSON.parse(run('app.js'));
    assert.equal(w.info.backend, 'wasm');
    assert.equal(w.info.source, 'bundled wasm');
    assert.equal(w.info.path, path.join(fs.realpathSync(app), 'node_modules', 'dstoken', 'dstoken.wasm'));
    assert.equal(jwt.verify(w.token, KEY, { algorithms: ['HS256'] }).u, 'Ana');
    fs.rmSync(path.join(app, 'node_modules', 'dstoken', 'dstoken.wasm'));
  }
  // Without either, the load error names every place tried.
  assert.throws(() => execFileSync(process.execPath, ['app.js', KEY], { cwd: app, env: userEnv(), encoding: 'utf8', stdio: 'pipe' }),
    (e) => {
      const err = String(e.stderr);
      assert.match(err, /cannot load the dstoken C library/);
      assert.match(err, /bundled: .*native\/linux-x64\/libdstoken\.so \(not present/);
      assert.match(err, /system library path: libdstoken\.so\.0\.1/);
      assert.match(err, /system library path: libdstoken\.so \(/);
      assert.match(err, /DSTOKEN_LIBRARY=/);
      assert.match(err, /WebAssembly core: cannot read the WebAssembly core .*dstoken\.wasm: ENOENT/);
      return true;
    });
  // DSTOKEN_LIBRARY wins, and a bad one is an error naming it (never a silent fallback).
  const bad = path.join(work, 'no-such-libdstoken.so');
  assert.throws(() => execFileSync(process.execPath, ['app.js', KEY], { cwd: app, env: { ...userEnv(), DSTOKEN_LIBRARY: bad }, stdio: 'pipe' }),
    (e) => /DSTOKEN_LIBRARY: .*no-such-libdstoken\.so/.test(String(e.stderr)));
});
