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
