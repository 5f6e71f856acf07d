'use strict';
// Independent implementations check dstoken both ways: jsonwebtoken and jose verify dstoken's
// tokens (and decode the same claims), and dstoken verifies theirs.
const test = require('node:test');
const assert = require('node:assert/strict');
const jwt = require('jsonwebtoken');
const dst = require('..');
const { KEY } = require('./helpers');

const NOW = Math.floor(Date.now() / 1000);

const KEYS = [
  KEY,
  'k', // short keys are accepted (Digital Samba issues the keys)
  'ключ-🔑-' + 'x'.repeat(90), // non-ASCII, > 64 bytes (hashed first, as HMAC specifies)
  Buffer.from(Array.from({ length: 100 }, (_, i) => (i * 151 + 7) & 0xff)), // binary, not UTF-8
];

const NAMES = [
  'John Smith',
  'q"uote\\back/slash',
  'ctl \u0001\u001f\t\n\r\b\f',
  'Zoë 🎉 李 \u{1F600}',
  '\u202Eעברית\u202C العربية',
  'long '.repeat(250),
  '</script><script>alert(1)</script>',
];

function cases() {
  const out = [];
  for (const key of KEYS) {
    for (const name of NAMES) {
      out.push({ key, fields: { teamId: 'b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f', room: 'daily-standup', userName: name,
        userId: `id-${name.length}`, role: 'moderator', expiresIn: 3600, notBeforeSkew: 30 } });
    }
  }
  return out;
}

function expected(fields, p) {
  const e = { td: fields.teamId, rd: fields.room, u: fields.userName, ud: fields.userId, role: fields.role,
    iat: p.iat, nbf: p.iat - 30, exp: p.iat + 3600 };
  return e;
}

test('jsonwebtoken verifies dstoken tokens (mint and builder)', () => {
  for (const { key, fields } of cases()) {
    const k = new dst.Key(key);
    const t1 = dst.mint(fields, k);
    const p1 = jwt.verify(t1, key, { algorithms: ['HS256'] });
    assert.deepEqual(p1, expected(fields, p1));
    assert.ok(Math.abs(p1.iat - NOW) < 60);
    const c = new dst.Claims().teamId(fields.teamId).room(fields.room).userName(fields.userName)
      .userId(fields.userId).role(fields.role).validity(30, 3600).claim('meta', { n: [1, 2.5, 'x'], ok: true });
    const t2 = c.sign(k);
    const p2 = jwt.verify(t2, key, { algorithms: ['HS256'] });
    assert.deepEqual(p2, { ...expected(fields, p2), meta: { n: [1, 2.5, 'x'], ok: true } });
    // A wrong key is refused by the independent verifier too.
    assert.throws(() => jwt.verify(t1, 'not the key', { algorithms: ['HS256'] }), /invalid signature/);
    k.close();
  }
});

test('jose verifies dstoken tokens', async () => {
  const jose = await import('jose');
  for (const { key, fields } of cases()) {
    const secret = typeof key === 'string' ? new TextEncoder().encode(key) : new Uint8Array(key);
    const t = dst.mint(fields, key);
    const { payload, protectedHeader } = await jose.jwtVerify(t, secret, { algorithms: ['HS256'] });
    assert.deepEqual(protectedHeader, { alg: 'HS256', typ: 'JWT' });
    assert.deepEqual(payload, expected(fields, payload));
  }
});

test('dstoken verifies jsonwebtoken tokens', () => {
  for (const { key, fields } of cases()) {
    const claims = { td: fields.teamId, rd: fields.room, u: fields.userName, role: fields.role,
      custom: { a: [1, null, 'é'] } };
    const t = jwt.sign(claims, key, { algorithm: 'HS256', expiresIn: 600, notBefore: -5 });
    const got = dst.verify(t, key);
    assert.deepEqual(got, jwt.decode(t));
    assert.equal(got.u, fields.userName);
    assert.throws(() => dst.verify(t, 'other key'), (e) => e.status === 'DST_ERR_BAD_SIGNATURE');
    const expired = jwt.sign({ td: 't', rd: 'r', exp: NOW - 10 }, key, { algorithm: 'HS256' });
    assert.throws(() => dst.verify(expired, key), (e) => e.status === 'DST_ERR_EXPIRED');
    const hs384 = jwt.sign({ td: 't' }, key, { algorithm: 'HS384' });
    assert.throws(() => dst.verify(hs384, key), (e) => e.status === 'DST_ERR_UNSUPPORTED_ALGORITHM');
  }
});

test('dstoken verifies jose tokens', async () => {
  const jose = await import('jose');
  for (const { key, fields } of cases()) {
    const secret = typeof key === 'string' ? new TextEncoder().encode(key) : new Uint8Array(key);
    const t = await new jose.SignJWT({ td: fields.teamId, rd: fields.room, u: fields.userName, breakoutId: 'b-1' })
      .setProtectedHeader({ alg: 'HS256' }).setIssuedAt(NOW).setNotBefore(NOW - 30).setExpirationTime(NOW + 60)
      .sign(secret);
    const got = dst.verify(t, key, { now: NOW });
    assert.deepEqual(got, jose.decodeJwt(t));
    assert.throws(() => dst.verify(t, key, { now: NOW + 60 }), (e) => e.status === 'DST_ERR_EXPIRED');
    assert.throws(() => dst.verify(t, key, { now: NOW - 31 }), (e) => e.status === 'DST_ERR_NOT_YET_VALID');
  }
});
