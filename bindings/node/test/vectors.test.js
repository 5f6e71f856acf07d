'use strict';
// tests/vectors/vectors.json, shared by every language, every section: sign cases byte for byte
// through the one-call mint (mint, mintUrl), the Claims builder (sign) and the builder's
// claim-set path; each refusal (sign_errors, mint_errors, verify, decode, keys) with its error
// class, status, reason, the argument in this API's spelling (the schema's node column) and
// the case's parts.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const jwt = require('jsonwebtoken');
const dst = require('..');
const { repoRoot } = require('./helpers');

const file = process.env.DSTOKEN_VECTORS_JSON ?? path.join(repoRoot, 'tests', 'vectors', 'vectors.json');
const vectors = JSON.parse(fs.readFileSync(file, 'utf8'));
const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schema', 'dstoken.json'), 'utf8'));
const SPELLING = Object.fromEntries(schema.arguments.map((a) => [a.name, a.node]));

// vectors' dst_room_token field names -> mint() field names / Claims methods
const FIELDS = {
  team_id: 'teamId', room: 'room', user_name: 'userName', user_id: 'userId', initials: 'initials', role: 'role',
  breakout_id: 'breakoutId', avatar: 'avatar', issued_at: 'issuedAt', not_before: 'notBefore',
  expires_at: 'expiresAt', lifetime_seconds: 'expiresIn', not_before_skew_seconds: 'notBeforeSkew', now: 'now',
  no_expiry: 'noExpiry', max_lifetime_seconds: 'maxLifetime', lifetime_nanos: null,
};

// A lifetime with nanoseconds is a fractional number of seconds here (3 s + 600000000 ns: 3.6).
function fields(token) {
  const f = {};
  for (const [k, v] of Object.entries(token)) {
    assert.ok(k in FIELDS, `unknown vector field ${k}`);
    if (FIELDS[k]) f[FIELDS[k]] = v;
  }
  if (token.lifetime_nanos) f.expiresIn = (token.lifetime_seconds ?? 0) + token.lifetime_nanos / 1e9;
  return f;
}

// The builder: each present field through its method, then the custom claims. A case checked
// on the claim-set path only (with `custom`) may give an explicit expiry without `now`; the
// builder follows the mint's rules (never a token already expired at its now), so it signs
// such a case at now = expires_at - 1 (the bytes do not depend on it).
function builder(c, custom = c.custom) {
  const f = fields(c.token);
  if (c.jwt && custom && f.expiresAt !== undefined && f.now === undefined) f.now = f.expiresAt - 1;
  const b = new dst.Claims();
  for (const [k, v] of Object.entries(f)) {
    if (k === 'expiresIn' || k === 'notBeforeSkew') continue;
    b[k](v);
  }
  if (f.notBeforeSkew !== undefined) b.validity(f.notBeforeSkew, f.expiresIn);
  else if (f.expiresIn !== undefined) b.expiresIn(f.expiresIn);
  for (const [name, json] of custom ?? []) b.claimJson(name, json);
  return b;
}

const keyOf = (c) => Buffer.from(c.key_hex, 'hex');

const CLASS = {
  DST_ERR_EXPIRED: 'TokenExpiredError', DST_ERR_NOT_YET_VALID: 'NotBeforeError', DST_ERR_BAD_SIGNATURE: 'InvalidSignatureError',
  DST_ERR_MALFORMED_TOKEN: 'MalformedTokenError', DST_ERR_UNSUPPORTED_ALGORITHM: 'UnsupportedAlgorithmError',
  DST_ERR_MISSING_CLAIM: 'MissingClaimError', DST_ERR_CLAIM_MISMATCH: 'ClaimMismatchError',
  DST_ERR_INVALID_ARGUMENT: 'InvalidArgumentError',
};

// The refusal of case `c`: class, code, status, reason, argument, parts, message words.
function refused(fn, c, what) {
  assert.throws(fn, (e) => {
    const where = `${what}: ${e.message}`;
    assert.ok(e instanceof dst.DstokenError, `${what}: not a DstokenError: ${e}`);
    assert.ok(e instanceof dst[CLASS[c.status]], `${where}: not a ${CLASS[c.status]}`);
    assert.equal(e.name, CLASS[c.status], where);
    assert.equal(e.status, c.status, where);
    assert.equal(e.code, c.status.replace('DST_ERR_', 'ERR_DSTOKEN_'), where);
    assert.equal(e.statusNumber, dst.Status[c.status], where);
    assert.equal(e.reason, c.reason, where);
    assert.equal(e.argument, SPELLING[c.argument], where);
    for (const [k, v] of Object.entries(c.parts ?? {})) {
      if (k === 'other') assert.equal(e.other, SPELLING[v], `${where}: other`);
      else if (k === 'name') assert.equal(e.claim, v, `${where}: claim`);
      else if (k === 'time') assert.deepEqual(e.time, new Date(v * 1000), `${where}: time`);
      else assert.equal(e[k], v, `${where}: ${k}`);
    }
    if (c.status === 'DST_ERR_EXPIRED') assert.deepEqual(e.expiredAt, e.time);
    for (const w of c.message_contains ?? []) assert.ok(e.message.includes(w), `${where}: "${w}" missing`);
    return true;
  }, `${what}: expected ${c.status}`);
}

test('the vectors file has every section', () => {
  for (const s of ['sign', 'sign_errors', 'mint_errors', 'verify', 'decode', 'keys']) assert.ok(vectors[s].length > 0, s);
});

for (const c of vectors.sign) {
  test(`sign vector ${c.name}`, () => {
    const key = new dst.Key(keyOf(c));
    // Independently: jsonwebtoken accepts the vector's token under its key.
    jwt.verify(c.jwt, keyOf(c), { algorithms: ['HS256'], ignoreExpiration: true, ignoreNotBefore: true });
    if (!c.custom) {
      assert.equal(dst.mint(fields(c.token), key), c.jwt, 'mint');
      assert.equal(dst.mintUrl(fields(c.token), key, 'acme'), dst.joinUrl('acme', c.token.room, c.jwt), 'mintUrl');
    }
    assert.equal(builder(c).sign(key), c.jwt, 'Claims builder');
    assert.equal(dst.sign(builder(c), key), c.jwt, 'sign()');
    assert.equal(dst.Claims._signViaClaims(builder(c), key), c.jwt, 'claim-set path');
    key.close();
  });
}

for (const c of vectors.sign_errors) {
  test(`sign_errors vector ${c.name}`, () => {
    const key = new dst.Key(keyOf(c));
    refused(() => dst.mint(fields(c.token), key), c, 'mint');
    refused(() => builder(c).sign(key), c, 'builder');
    refused(() => dst.Claims._signViaClaims(builder(c), key), c, 'claim-set path');
    key.close();
  });
}

// mint_errors: refusals of every mint and builder sign; a case with `custom` is a registered
// name given to claim()/claimJson(), refused while its token alone mints.
for (const c of vectors.mint_errors) {
  test(`mint_errors vector ${c.name}`, () => {
    const key = new dst.Key(keyOf(c));
    if (c.custom) {
      const t = builder(c, null).sign(key);
      jwt.verify(t, keyOf(c), { algorithms: ['HS256'], clockTimestamp: c.token.now });
      assert.equal(dst.mint(fields(c.token), key), t);
      refused(() => builder(c), c, 'claimJson');
      for (const [name, json] of c.custom) refused(() => new dst.Claims().claim(name, JSON.parse(json)), c, 'claim');
    } else {
      refused(() => dst.mint(fields(c.token), key), c, 'mint');
      refused(() => dst.mintUrl(fields(c.token), key, 'acme'), c, 'mintUrl');
      refused(() => builder(c).sign(key), c, 'Claims.sign');
    }
    key.close();
  });
}

// verify options: the vectors' C names -> this API's.
function verifyOptions(c) {
  const o = { now: c.now, leeway: c.leeway };
  const v = c.options ?? {};
  if (v.exp_optional !== undefined) o.expOptional = v.exp_optional;
  if (v.team_id !== undefined) o.teamId = v.team_id;
  if (v.room !== undefined) o.room = v.room;
  if (v.required !== undefined) o.requiredClaims = v.required;
  for (const k of Object.keys(v)) assert.ok(['exp_optional', 'team_id', 'room', 'required'].includes(k), `unknown option ${k}`);
  return o;
}

for (const c of vectors.verify) {
  test(`verify vector ${c.name}`, () => {
    const key = new dst.Key(keyOf(c));
    if (c.status === 'DST_OK') {
      assert.deepEqual(dst.verify(c.jwt, key, verifyOptions(c)), c.claims);
    } else {
      refused(() => dst.verify(c.jwt, key, verifyOptions(c)), c, 'verify');
    }
    key.close();
  });
}

for (const c of vectors.decode) {
  test(`decode vector ${c.name}`, () => {
    if (c.status === 'DST_OK') {
      assert.deepEqual(dst.decodeUnverified(c.jwt), { header: c.header, claims: c.claims });
    } else {
      refused(() => dst.decodeUnverified(c.jwt), c, 'decodeUnverified');
    }
  });
}

for (const c of vectors.keys) {
  test(`keys vector ${c.name}`, () => {
    if (c.status === 'DST_OK') {
      const key = new dst.Key(c.key);
      // The text key signs as its UTF-8 bytes do.
      const f = { teamId: 't', room: 'r', expiresIn: 60, now: 1767225600 };
      assert.equal(dst.mint(f, key), dst.mint(f, Buffer.from(c.key, 'utf8')));
      key.close();
    } else {
      refused(() => new dst.Key(c.key), c, 'new Key');
      // The same bytes given as bytes are taken as they are (an empty key aside).
      if (c.key.length) new dst.Key(Buffer.from(c.key, 'utf8')).close();
    }
  });
}
