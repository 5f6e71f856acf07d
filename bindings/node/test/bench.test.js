'use strict';
// bench/node/bench.js once with a tiny N, so it keeps working (a smoke run, not a timed test).
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { repoRoot } = require('./helpers');

test('bench/node/bench.js runs and prints its table', () => {
  const out = execFileSync(process.execPath, [path.join(repoRoot, 'bench', 'node', 'bench.js'), '50', '3'], { encoding: 'utf8' });
  const rows = out.split('\n').filter((l) => /^\| .* \| \d+ \|/.test(l));
  assert.ok(rows.length >= 11, out);
  assert.match(out, /\| dstoken mint\(\{\.\.\.\}\) \(one native call\) \| \d+ \|/);
  assert.match(out, /\| jsonwebtoken\.sign \(HS256, KeyObject secret\) \| \d+ \| [\d.]+ M \| [\d.]+ \| 1\.00 \|/);
  assert.match(out, /\| hand-written node:crypto .* \| 1\.00 \| [\d.]+ \|/);
  // The interleaved verify comparison and the worker-threads column.
  assert.match(out, /\| dstoken verify \(Key\) vs jsonwebtoken\.verify \(KeyObject secret\) \| \d+ \| [\d.]+ \|/);
  assert.match(out, /\| 1 \| [\d.]+ M \| 1\.00 \| 1\.00 \|\n\| 2 \| [\d.]+ M \| [\d.]+ \| [\d.]+ \|/);
});

test('bench/node/backends.js runs both backends and jsonwebtoken and prints JSON in ns/token', {
  skip: !process.env.DSTOKEN_WASM && !(process.env.CI || process.env.DSTOKEN_STRICT_TESTS) && 'needs DSTOKEN_WASM',
}, () => {
  assert.ok(process.env.DSTOKEN_WASM, 'set DSTOKEN_WASM to the wasm32 build of the core (see scripts/test.sh)');
  const out = JSON.parse(execFileSync(process.execPath, [path.join(repoRoot, 'bench', 'node', 'backends.js'), '50', '1'], { encoding: 'utf8' }));
  assert.equal(out.unit, 'ns/token');
  assert.deepEqual(out.results.map((r) => r.backend), ['native', 'wasm', null]);
  for (const r of out.results) {
    assert.ok(Number.isInteger(r.mint_ns_per_token) && r.mint_ns_per_token > 0, JSON.stringify(r));
    assert.ok(Number.isInteger(r.verify_ns_per_token) && r.verify_ns_per_token > 0, JSON.stringify(r));
  }
});
