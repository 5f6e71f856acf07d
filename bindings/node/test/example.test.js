'use strict';
// examples/node/room_token.js prints a token jsonwebtoken accepts and its join URL, and reports
// a bad value as a DstokenError message with exit status 1.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const jwt = require('jsonwebtoken');
const { repoRoot } = require('./helpers');

const example = path.join(repoRoot, 'examples', 'node', 'room_token.js');

function run(env) {
  return spawnSync(process.execPath, [example], { env: { ...process.env, ...env }, encoding: 'utf8' });
}

test('the Node example prints a token jsonwebtoken verifies, and its join URL', () => {
  const r = run({ DIGITALSAMBA_DEVELOPER_KEY: 'example key ✓', DIGITALSAMBA_TEAM: 'acme', DIGITALSAMBA_USER: 'Zoë' });
  assert.equal(r.status, 0, r.stderr);
  const [token, url] = r.stdout.trim().split('\n');
  const p = jwt.verify(token, 'example key ✓', { algorithms: ['HS256'] });
  assert.equal(p.td, 'b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f');
  assert.equal(p.rd, 'daily-standup');
  assert.equal(p.u, 'Zoë');
  assert.equal(p.role, 'moderator');
  assert.equal(p.exp - p.iat, 3600);
  assert.equal(p.iat - p.nbf, 30);
  assert.equal(url, `https://acme.digitalsamba.com/daily-standup?token=${token}`);
});

test('the Node example reports a bad value with its error code', () => {
  const r = run({ DIGITALSAMBA_TEAM: 'not a host!' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^room_token: ERR_DSTOKEN_INVALID_ARGUMENT: joinUrl: team "not a host!"/);
});
