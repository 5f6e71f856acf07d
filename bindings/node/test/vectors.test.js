'use strict';
// tests/vectors/vectors.json, shared by every language, checked byte for byte: each sign case
// through the one-call mint (mint, mintUrl), the Claims builder (sign) and the builder's
// dst_claims path; each sign_errors case gives its status on those paths; each verify case its
// status and claims.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const jwt = require('jsonwebtoken');
const dst = require('..');
const { repoRoot } = require('./helpers');

const file = process.env.DSTOKEN_VECTORS_JSON ?? path.join(repoRoot, 'tests', 'vectors', 'vectors.json');
const vectors = JSON.parse(fs.readFileSync(file, 'utf8'));

// vectors' dst_room_token field names -> mint() field names / Claims methods
const FIELDS = {
  team_id: 'teamId', room: 'room', user_name: 'userName', user_id: 'userId', initials: 'initials', role: 'role',
  breakout_id: 'breakoutId', avatar: 'avatar', issued_at: 'issuedAt', not_before: 'notBefore',
  expires_at: 'expiresAt', lifetime_seconds: 'expiresIn', not_before_skew_seconds: 'notBeforeSkew', now: 'now',
  no_expiry: 'noExpiry',
};

function fields(token) {
  const f = {};
  for (const [k, v] of Object.entries(token)) {
    assert.ok(FIELDS[k], `unknown vector field ${k}`);
    f[FIELDS[k]] = v;
  }
  return f;
}

// Times the signing side refuses (outside 1970..9999): such a sign case must be refused by
// every Node path, which the C claim-set path (dst_claims_* + dst_sign) still signs.
const MAX_TIME = 253402300799;
function outOfRange(token) {
  return ['issued_at', 'not_before', 'expires_at', 'now'].some((k) => token[k] !== undefined && (token[k] < 0 || token[k] > MAX_TIME));
}

// A sign case checked on the claim-set path only (with `custom`) may give an explicit expiry
// without `now`; the builder here follows the mint's rules (never a token already expired at
// its now), so it signs such a case at now = expires_at - 1 (the bytes do not depend on it).
function builder(c) {
  const f = fields(c.token);
  if (c.jwt && c.custom && f.expiresAt !== undefined && f.now === undefined) f.now = f.expiresAt - 1;
  const b = new dst.Claims();
  for (const [k, v] of Object.entries(f)) {
    if (k === 'expiresIn' || k === 'notBeforeSkew') continue;
    b[k](v);
  }
  if (f.notBeforeSkew !== undefined) b.validity(f.notBeforeSkew, f.expiresIn);
  else if (f.expiresIn !== undefined) b.expiresIn(f.expiresIn);
  for (const [name, json] of c.custom ?? []) b.claimJson(name, json);
  return b;
}

const keyOf = (c) => Buffer.from(c.key_hex, 'hex');

test('the vectors file has every section', () => {
  assert.ok(vectors.sign.length >= 10 && vectors.sign_errors.length >= 5 && vectors.verify.length >= 20);
});

for (const c of vectors.sign) {
  test(`sign vector ${c.name}`, () => {
    const key = new dst.Key(keyOf(c));
    // Independently: jsonwebtoken accepts the vector's token under its key.
    jwt.verify(c.jwt, keyOf(c), { algorithms: ['HS256'], ignoreExpiration: true, ignoreNotBefore: true });
    if (outOfRange(c.token)) {
      rejects(() => dst.mint(fields(c.token), key), 'DST_ERR_INVALID_ARGUMENT', 'mint');
      rejects(() => builder(c).sign(key), 'DST_ERR_INVALID_ARGUMENT', 'builder');
      key.close();
      return;
    }
    if (!c.custom) {
      assert.equal(dst.mint(fields(c.token), key), c.jwt, 'mint');
      assert.equal(dst.mintUrl(fields(c.token), key, 'acme'), dst.joinUrl('acme', c.token.room, c.jwt), 'mintUrl');
    }
    assert.equal(builder(c).sign(key), c.jwt, 'Claims builder');
    assert.equal(dst.sign(builder(c), key), c.jwt, 'sign()');
    assert.equal(dst.Claims._signViaClaims(builder(c), key), c.jwt, 'dst_claims path');
    key.close();
  });
}

function rejects(fn, status, what) {
  assert.throws(fn, (e) => e instanceof dst.DstokenError && e.status === status, `${what}: expected ${status}`);
}

for (const c of vectors.sign_errors) {
  test(`sign_errors vector ${c.name}`, () => {
    const key = new dst.Key(keyOf(c));
    rejects(() => dst.mint(fields(c.token), key), c.status, 'mint');
    rejects(() => builder(c).sign(key), c.status, 'builder');
    rejects(() => dst.Claims._signViaClaims(builder(c), key), c.status, 'dst_claims path');
    key.close();
  });
}

// mint_errors: refusals of every mint and builder sign, each message containing the case's
// language-neutral words and naming no C function or field; a case with `custom` is a
// registered name given to claim()/claimJson(), refused while its token alone mints.
const NAMES_C = /dst_|_seconds|expires_at|issued_at|not_before|team_id|no_expiry/;
for (const c of vectors.mint_errors) {
  test(`mint_errors vector ${c.name}`, () => {
    const key = new dst.Key(keyOf(c));
    const refused = (fn, what) => assert.throws(fn, (e) => {
      assert.ok(e instanceof dst.DstokenError, `${what}: ${e}`);
      assert.equal(e.status, c.status, `${what}: ${e.message}`);
      for (const w of c.message_contains) assert.ok(e.message.includes(w), `${what}: "${w}" not in ${e.message}`);
      assert.doesNotMatch(e.message, NAMES_C, what);
      return true;
    });
    if (c.custom) {
      const t = builder({ ...c, custom: undefined }).sign(key);
      jwt.verify(t, keyOf(c), { algorithms: ['HS256'], clockTimestamp: c.token.now });
      assert.equal(dst.mint(fields(c.token), key), t);
      refused(() => builder(c), 'claimJson');
      for (const [name, json] of c.custom) refused(() => new dst.Claims().claim(name, JSON.parse(json)), 'claim');
    } else {
      refused(() => dst.mint(fields(c.token), key), 'mint');
      refused(() => dst.mintUrl(fields(c.token), key, 'acme'), 'mintUrl');
      refused(() => builder(c).sign(key), 'Claims.sign');
    }
    key.close();
  });
}

for (const c of vectors.verify) {
  test(`verify vector ${c.name}`, () => {
    const key = new dst.Key(keyOf(c));
    if (c.status === 'DST_OK') {
      assert.deepEqual(dst.verify(c.jwt, key, { now: c.now, leeway: c.leeway }), c.claims);
    } else {
      rejects(() => dst.verify(c.jwt, key, { now: c.now, leeway: c.leeway }), c.status, 'verify');
    }
    key.close();
  });
}
