'use strict';
// The binding's own API: builder, mint, sign, verify, joinUrl, keys, errors, argument checks.
const test = require('node:test');
const assert = require('node:assert/strict');
const jwt = require('jsonwebtoken');
const dst = require('..');
const { KEY, b64urlJson } = require('./helpers');

const { Claims, Key, DstokenError, mint, mintUrl, sign, verify, joinUrl } = dst;
const NOW = 1700000000;

function payload(token) {
  return b64urlJson(token.split('.')[1]);
}

function throwsStatus(fn, status, re) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof DstokenError, `expected DstokenError, got ${e}`);
    assert.ok(e instanceof Error);
    assert.equal(e.status, status);
    assert.equal(e.code, status.replace('DST_ERR_', 'ERR_DSTOKEN_'));
    assert.equal(e.statusNumber, dst.Status[status]);
    if (re) assert.match(e.message, re);
    return true;
  });
}

test('the builder signs the claims in the documented payload order', () => {
  const key = new Key(KEY);
  const token = new Claims().role('moderator').userName('John Smith').room('daily').teamId('team-1')
    .userId('u-42').initials('JS').breakoutId('b1').avatar('https://x.test/a.png')
    .issuedAt(NOW).notBefore(NOW - 30).expiresAt(NOW + 3600).now(NOW).sign(key);
  const [h, p] = token.split('.');
  assert.equal(Buffer.from(h, 'base64url').toString(), '{"alg":"HS256","typ":"JWT"}');
  assert.equal(Buffer.from(p, 'base64url').toString(),
    '{"td":"team-1","rd":"daily","u":"John Smith","ud":"u-42","initials":"JS","role":"moderator",' +
    '"breakoutId":"b1","avatar":"https://x.test/a.png","iat":1700000000,"nbf":1699999970,"exp":1700003600}');
  assert.deepEqual(verify(token, key, { now: NOW }), payload(token));
  key.close();
});

test('mint, the builder and sign() make the same bytes', () => {
  const key = new Key(KEY);
  const fields = { teamId: 't', room: 'r', userName: 'Zoë 🎉 李', role: 'attendee', expiresIn: 60, now: NOW };
  const a = mint(fields, key);
  const c = new Claims().teamId('t').room('r').userName('Zoë 🎉 李').role('attendee').expiresIn(60).now(NOW);
  assert.equal(c.sign(key), a);
  assert.equal(sign(c, key), a);
  assert.deepEqual(payload(a), { td: 't', rd: 'r', u: 'Zoë 🎉 李', role: 'attendee', iat: NOW, exp: NOW + 60 });
  // validity: nbf back-dated by the skew.
  const v = mint({ teamId: 't', room: 'r', expiresIn: 60, notBeforeSkew: 30, now: NOW }, key);
  assert.deepEqual(payload(v), { td: 't', rd: 'r', iat: NOW, nbf: NOW - 30, exp: NOW + 60 });
  assert.equal(new Claims().teamId('t').room('r').validity(30, 60).now(NOW).sign(key), v);
  key.close();
});

test('relative times without "now" read the clock at each sign', () => {
  const key = new Key(KEY);
  const before = Math.floor(Date.now() / 1000);
  const p = payload(mint({ teamId: 't', room: 'r', expiresIn: 3600 }, key));
  const after = Math.floor(Date.now() / 1000);
  assert.ok(p.iat >= before && p.iat <= after, JSON.stringify(p));
  assert.equal(p.exp, p.iat + 3600);
  const q = payload(new Claims().teamId('t').room('r').validity(5, 10).claim('x', 1).sign(key));
  assert.ok(q.iat >= before && q.nbf === q.iat - 5 && q.exp === q.iat + 10, JSON.stringify(q));
  key.close();
});

test('times accept BigInt and Date (whole seconds); values an int64_t cannot hold are refused here', () => {
  const key = new Key(KEY);
  const MAX = 253402300799;
  const t = new Claims().teamId('t').room('r').issuedAt(new Date(NOW * 1000 + 999)).expiresAt(BigInt(MAX)).sign(key);
  assert.deepEqual(jwt.verify(t, KEY, { algorithms: ['HS256'] }), { td: 't', rd: 'r', iat: NOW, exp: MAX });
  // A whole Number beyond 2^53 reaches the library (as a BigInt), which refuses it as out of range.
  assert.throws(() => new Claims().teamId('t').room('r').expiresAt(2 ** 60).sign(key),
    (e) => e.reason === 'OUT_OF_RANGE' && e.argument === 'expiresAt' && e.value === 2n ** 60n);
  throwsStatus(() => mint({ teamId: 't', room: 'r', expiresAt: 2n ** 63n }, key), 'DST_ERR_INVALID_ARGUMENT', /^expiresAt: .*64-bit/);
  throwsStatus(() => new Claims().expiresAt(1.5), 'DST_ERR_INVALID_ARGUMENT', /whole number/);
  throwsStatus(() => new Claims().expiresAt(NaN), 'DST_ERR_INVALID_ARGUMENT', /whole number/);
  throwsStatus(() => new Claims().issuedAt(new Date('nope')), 'DST_ERR_INVALID_ARGUMENT', /invalid Date/);
  throwsStatus(() => mint({ teamId: 't', room: 'r', expiresIn: 10, notBeforeSkew: 1.5 }, key), 'DST_ERR_INVALID_ARGUMENT', /notBeforeSkew/);
  assert.throws(() => new Claims().expiresAt('1700000000'), TypeError);
  key.close();
});

test('custom claims keep their order and JSON; the library refuses a registered name when it is set', () => {
  const key = new Key(KEY);
  const token = new Claims().teamId('t').room('r').claim('z', { a: [1, 'two', null] }).claim('big', 2n ** 63n - 1n)
    .claimJson('raw', '[1.50, {"k" : true}]').claim('flag', false).issuedAt(NOW).noExpiry().sign(key);
  assert.equal(Buffer.from(token.split('.')[1], 'base64url').toString(),
    '{"td":"t","rd":"r","iat":1700000000,"z":{"a":[1,"two",null]},"big":9223372036854775807,"raw":[1.50,{"k":true}],"flag":false}');  // numbers kept exactly as written
  assert.equal(jwt.verify(token, KEY, { algorithms: ['HS256'] }).raw[0], 1.5);
  // Refused at claim(), before sign(), naming the method to use (the rule is the library's:
  // the vectors hold its cases).
  assert.throws(() => new Claims().claim('role', 'moderator'), (e) => e instanceof dst.InvalidArgumentError &&
    e.reason === 'REGISTERED_NAME' && e.claim === 'role' && e.other === 'role' && /^Claims\.claim: "role" is a registered claim/.test(e.message));
  // NaN and Infinity have no JSON form (JSON.stringify would write null): refused, at any depth.
  for (const v of [NaN, Infinity, -Infinity, { a: [1, NaN] }, [Infinity]]) {
    throwsStatus(() => new Claims().claim('n', v), 'DST_ERR_INVALID_ARGUMENT', /claim "n": (NaN|-?Infinity) has no JSON form/);
  }
  for (const bad of ['{"a":1,"a":2}', '{']) {
    assert.throws(() => new Claims().claimJson('bad', bad), (e) => e.reason === 'BAD_JSON' && e.claim === 'bad' && e.argument === 'value');
  }
  assert.throws(() => new Claims().claim('f', () => 1), TypeError);
  assert.throws(() => new Claims().claim('f', { b: 1n }), TypeError);
  const c = new Claims().teamId('t').room('r').claim('a', 1);
  assert.equal(c.removeClaim('a'), true);
  assert.equal(c.removeClaim('a'), false);
  assert.deepEqual(payload(c.noExpiry().sign(key)), { td: 't', rd: 'r' });
  key.close();
});

test('a builder is a reusable template; clone() is independent; null removes a claim', () => {
  const key = new Key(KEY);
  const base = new Claims().teamId('t').room('r').role('attendee').issuedAt(NOW).noExpiry();
  const a = base.clone().userId('a').userName('A');
  const b = base.clone().userId('b');
  assert.deepEqual(payload(a.sign(key)), { td: 't', rd: 'r', u: 'A', ud: 'a', role: 'attendee', iat: NOW });
  assert.deepEqual(payload(b.sign(key)), { td: 't', rd: 'r', ud: 'b', role: 'attendee', iat: NOW });
  assert.deepEqual(payload(base.sign(key)), { td: 't', rd: 'r', role: 'attendee', iat: NOW });
  a.userName(null).issuedAt(undefined);
  assert.deepEqual(payload(a.sign(key)), { td: 't', rd: 'r', ud: 'a', role: 'attendee' });
  assert.deepEqual(a.toObject(), { teamId: 't', room: 'r', role: 'attendee', userId: 'a', noExpiry: true });
  key.close();
});

test('errors are data: a class per status, a string code, the parts, a message in this API\'s words', () => {
  const key = new Key(KEY);
  const t = mint({ teamId: 't', room: 'r', expiresIn: 60, now: NOW }, key);
  assert.throws(() => verify(t, key, { now: NOW + 90 }), (e) => {
    assert.ok(e instanceof dst.TokenExpiredError && e instanceof DstokenError && e instanceof Error);
    assert.equal(e.name, 'TokenExpiredError');
    assert.equal(e.code, 'ERR_DSTOKEN_EXPIRED');
    assert.equal(e.status, 'DST_ERR_EXPIRED');
    assert.equal(e.statusNumber, 9);
    assert.equal(e.reason, 'EXPIRED');
    assert.equal(e.argument, 'expiresAt');
    assert.deepEqual(e.expiredAt, new Date((NOW + 60) * 1000));
    assert.equal(e.value, 30);
    assert.equal(e.message, 'verify: the token expired at 2023-11-14T22:14:20Z, 30 s ago');
    return true;
  });
  assert.throws(() => verify(t, key, { now: NOW + 93784 + 60 }), /expired at .*, 1 d 2 h 3 min 4 s ago$/);
  assert.throws(() => verify(t, key, { now: NOW - 1 }), (e) => e instanceof dst.NotBeforeError && e.code === 'ERR_DSTOKEN_NOT_YET_VALID' &&
    e.date.getTime() === NOW * 1000);
  assert.throws(() => verify(t, 'another key', { now: NOW }), dst.InvalidSignatureError);
  assert.throws(() => verify('a.b', key), dst.MalformedTokenError);
  // The builder's, the mint's and the URL functions' messages name the function and the field.
  for (const [fn, re] of [
    [() => new Claims().room('r').expiresIn(60).sign(key), /^Claims\.sign: teamId \(claim "td"\) is required$/],
    [() => mint({ teamId: 't', room: 'r', issuedAt: NOW, expiresAt: NOW - 1, now: NOW - 2 }, key), /^mint: expiresAt \(1699999999\) is earlier than issuedAt \(1700000000\)$/],
    [() => mint({ teamId: 't', room: 'r', expiresIn: 60, userName: 'x'.repeat(70000) }, key), /^mint: the token would be/],
    [() => new Claims().teamId('t').room('r').expiresIn(60).userName('x'.repeat(70000)).claim('c', 1).sign(key), /^Claims\.sign: the token would be/],
    [() => mintUrl({ teamId: 't', room: 'r', expiresIn: 60 }, key, 'bad host!'), /^mintUrl: team "bad host!"/],
    [() => joinUrl('bad host!', 'r'), /^joinUrl: team "bad host!"/],
    [() => new Key(`${KEY}\n`), /^new Key: key has whitespace at its start or end \(offset 37\)/],
  ]) {
    assert.throws(fn, (e) => e instanceof DstokenError && re.test(e.message) && !/dst_|_seconds|_at\b/.test(e.message), String(re));
  }
  // Still constructible as in 0.1.0, from a status number or name.
  const e = new DstokenError('DST_ERR_EXPIRED', 'm');
  assert.equal(e.code, 'ERR_DSTOKEN_EXPIRED');
  assert.equal(new DstokenError(8).status, 'DST_ERR_BAD_SIGNATURE');
  throwsStatus(() => mint({ team_id: 't', room: 'r' }, key), 'DST_ERR_INVALID_ARGUMENT', /unknown field "team_id".*teamId/);
  assert.throws(() => mint('t', key), TypeError);
  assert.throws(() => mint({ teamId: 5, room: 'r' }, key), TypeError);
  assert.throws(() => sign({ teamId: 't' }, key), TypeError);
  key.close();
});

test('strings that cannot cross to C unchanged are refused, naming the field', () => {
  const key = new Key(KEY);
  throwsStatus(() => new Claims().userName('a\0b'), 'DST_ERR_INVALID_ARGUMENT', /^userName: contains U\+0000/);
  throwsStatus(() => new Claims().userName('a\uD800b'), 'DST_ERR_INVALID_UTF8', /^userName: contains an unpaired/);
  throwsStatus(() => mint({ teamId: 't', room: 'r\uDC00' }, key), 'DST_ERR_INVALID_UTF8', /room/);
  throwsStatus(() => verify('a\0b', key), 'DST_ERR_INVALID_ARGUMENT', /token/);
  throwsStatus(() => joinUrl('acme', 'r', 'x\uD800'), 'DST_ERR_INVALID_UTF8', /token/);
  // Awkward but valid text survives byte for byte.
  const name = 'q"uo\\te \n\t\u0001 ‏עברית‎ 🎉 ' + 'x'.repeat(3000);
  const t = mint({ teamId: 't', room: 'r', userName: name, expiresIn: 60 }, key);
  assert.equal(verify(t, key).u, name);
  assert.equal(jwt.verify(t, KEY, { algorithms: ['HS256'] }).u, name);
  key.close();
});

test('lifetimes: jsonwebtoken duration strings; a fraction goes to the library, never rounded; maxLifetime', () => {
  const key = new Key(KEY);
  const f = { teamId: 't', room: 'r', now: NOW };
  const exp = (expiresIn, extra = {}) => payload(mint({ ...f, expiresIn, ...extra }, key)).exp - NOW;
  for (const [s, want] of [['10s', 10], ['30m', 1800], ['1h', 3600], ['2d', 172800], ['1.5h', 5400], ['90', 90],
    ['2 hours', 7200], ['1 week', 604800], [' 5 MIN ', 300], ['1500ms', null]]) {
    if (want === null) {
      assert.throws(() => mint({ ...f, expiresIn: s }, key), (e) => e.reason === 'SUB_SECOND' && e.value === 1 && e.limit === 500000000);
    } else {
      assert.equal(exp(s), want, s);
      assert.equal(payload(new Claims().teamId('t').room('r').now(NOW).expiresIn(s).sign(key)).exp - NOW, want, s);
    }
  }
  for (const s of ['1 fortnight', 'h', '', '1h30m', '0x10']) {
    throwsStatus(() => mint({ ...f, expiresIn: s }, key), 'DST_ERR_INVALID_ARGUMENT', /^expiresIn: ".*" is not a duration; pass a number of seconds \(e\.g\. 3600\)/);
  }
  // A fraction of a second is the library's to refuse (a unit slip), with the nanoseconds given.
  for (const [v, s, ns] of [[3.6, 3, 600000000], [0.001, 0, 1000000], [59.0001, 59, 100000]]) {
    assert.throws(() => mint({ ...f, expiresIn: v }, key), (e) => e.reason === 'SUB_SECOND' && e.value === s && Math.abs(e.limit - ns) < 1000, String(v));
    assert.throws(() => new Claims().teamId('t').room('r').expiresIn(v).sign(key), (e) => e.reason === 'SUB_SECOND');
  }
  assert.throws(() => mint({ ...f, expiresIn: NaN }, key), /expiresIn: must be a finite number/);
  // The default maximum is the library's (30 days); maxLifetime raises or lowers it.
  assert.throws(() => mint({ ...f, expiresIn: '31d' }, key), (e) => e.reason === 'LIFETIME_TOO_LONG' && e.other === 'maxLifetime' && e.limit === 2592000);
  assert.equal(exp('31d', { maxLifetime: '365d' }), 31 * 86400);
  assert.equal(payload(new Claims().teamId('t').room('r').now(NOW).expiresIn('31d').maxLifetime(40 * 86400).sign(key)).exp - NOW, 31 * 86400);
  assert.throws(() => mint({ ...f, expiresIn: 7200, maxLifetime: 3600 }, key), (e) => e.reason === 'LIFETIME_TOO_LONG' && e.limit === 3600);
  key.close();
});

test('noExpiry mints a token without exp, which the independent libraries accept as such', () => {
  const key = new Key(KEY);
  for (const t of [mint({ teamId: 't', room: 'r', noExpiry: true }, key), new Claims().teamId('t').room('r').noExpiry().sign(key),
    new Claims().teamId('t').room('r').noExpiry(true).claim('c', 1).sign(key)]) {
    const p = jwt.verify(t, KEY, { algorithms: ['HS256'] });
    assert.equal(p.exp, undefined);
    assert.equal(p.td, 't');
    assert.throws(() => verify(t, key), dst.MissingClaimError);
    assert.equal(verify(t, key, { expOptional: true }).td, 't');
  }
  assert.throws(() => new Claims().teamId('t').room('r').noExpiry().noExpiry(false).sign(key), (e) => e.reason === 'NO_EXPIRY');
  assert.throws(() => mint({ teamId: 't', room: 'r', noExpiry: 'yes' }, key), TypeError);
  assert.throws(() => new Claims().noExpiry(1), TypeError);
  key.close();
});

test('verify: now and leeway conversions; expected team and room; required claims; unknown options refused', () => {
  const key = new Key(KEY);
  const t = mint({ teamId: 't', room: 'r', userName: 'u', issuedAt: NOW, notBefore: NOW, expiresAt: NOW + 60, now: NOW }, key);
  assert.equal(verify(t, key, { now: new Date((NOW + 30) * 1000) }).rd, 'r');
  assert.equal(verify(t, key, { now: NOW + 60, leeway: 1 }).td, 't');
  assert.throws(() => verify(t, key), dst.TokenExpiredError); // the clock is long past 2023
  throwsStatus(() => verify(t, key, { leeway: -1 }), 'DST_ERR_INVALID_ARGUMENT', /leeway/);
  throwsStatus(() => verify(t, key, { leeway: 2 ** 32 }), 'DST_ERR_INVALID_ARGUMENT', /leeway/);
  assert.deepEqual(verify(t, key, { now: NOW, teamId: 't', room: 'r', requiredClaims: ['u', 'iat'] }),
    { td: 't', rd: 'r', u: 'u', iat: NOW, nbf: NOW, exp: NOW + 60 });
  assert.throws(() => verify(t, key, { now: NOW, teamId: 't', room: 'other' }), (e) => e instanceof dst.ClaimMismatchError &&
    e.code === 'ERR_DSTOKEN_CLAIM_MISMATCH' && e.argument === 'room' && e.claim === 'rd' && e.text === 'r');
  assert.throws(() => verify(t, key, { now: NOW, requiredClaims: ['role'] }), (e) => e instanceof dst.MissingClaimError && e.claim === 'role' && e.argument === 'role');
  assert.throws(() => verify(t, key, { now: NOW, requiredClaims: 'u' }), TypeError);
  throwsStatus(() => verify(t, key, { now: NOW, ignoreExpiration: true }), 'DST_ERR_INVALID_ARGUMENT', /unknown option "ignoreExpiration"/);
  // Many required names (the array of pointers and the strings share one scratch block).
  const many = Array.from({ length: 300 }, (_, i) => `c${i}`);
  assert.throws(() => verify(t, key, { now: NOW, requiredClaims: ['u', ...many] }), (e) => e.claim === 'c0');
  // Verification accepts every time a token may carry, beyond the signing range too.
  const far = jwt.sign({ td: 't', iat: -5, exp: 2 ** 53 - 1 }, KEY, { algorithm: 'HS256' });
  assert.equal(verify(far, key).exp, 2 ** 53 - 1);
  assert.throws(() => verify(42, key), TypeError);
  assert.throws(() => verify(t, key, 5), TypeError);
  key.close();
});

test('decodeUnverified reads any well-formed token, signed or not, and proves nothing', () => {
  const forged = jwt.sign({ td: 't', rd: 'r', exp: 1 }, 'not our key', { algorithm: 'HS384', noTimestamp: true });
  assert.deepEqual(dst.decodeUnverified(forged), { header: { alg: 'HS384', typ: 'JWT' }, claims: { td: 't', rd: 'r', exp: 1 } });
  assert.throws(() => dst.decodeUnverified('abc'), (e) => e instanceof dst.MalformedTokenError && e.reason === 'NOT_THREE_PARTS');
  assert.throws(() => dst.decodeUnverified(null), TypeError);
});

test('keys: bytes used as given, close() is idempotent, a closed key is refused', () => {
  const bytes = Buffer.from(Array.from({ length: 100 }, (_, i) => (i * 37) & 0xff));
  const k1 = new Key(bytes);
  const k2 = new Key(new Uint8Array(bytes));
  const k3 = new Key(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const fields = { teamId: 't', room: 'r', issuedAt: NOW, noExpiry: true };
  const t = mint(fields, k1);
  assert.equal(mint(fields, k2), t);
  assert.equal(mint(fields, k3), t);
  assert.equal(mint(fields, bytes), t); // a raw secret makes a temporary key
  // A view into a larger buffer uses only its own bytes.
  const big = Buffer.concat([Buffer.from('XX'), bytes, Buffer.from('YY')]);
  assert.equal(mint(fields, big.subarray(2, 102)), t);
  assert.equal(String(k1), 'Key(HS256)');
  assert.equal(k1.closed, false);
  k1.close();
  k1.close();
  assert.equal(k1.closed, true);
  assert.equal(String(k1), 'Key(closed)');
  throwsStatus(() => mint(fields, k1), 'DST_ERR_INVALID_ARGUMENT', /closed/);
  throwsStatus(() => new Key(''), 'DST_ERR_INVALID_ARGUMENT');
  throwsStatus(() => new Key(Buffer.alloc(0)), 'DST_ERR_INVALID_ARGUMENT');
  assert.throws(() => new Key(123), TypeError);
  assert.throws(() => mint(fields, 123), TypeError);
  const k4 = new Key(KEY);
  k4[Symbol.dispose]();
  assert.equal(k4.closed, true);
  k2.close();
  k3.close();
});

// Code a call runs itself (here a replaced Date.now, which the mint reads for its times) may
// close the Key: the call then refuses it as closed; it never hands the library the freed
// handle (which signed with freed memory: a wrong token, or a crash).
test('a Key closed by code the call itself runs is refused, never used after free', () => {
  const realNow = Date.now;
  const fields = { teamId: 't', room: 'r', expiresIn: 60 };
  const calls = {
    mint: (k) => mint(fields, k),
    mintUrl: (k) => mintUrl(fields, k, 'acme'),
    'Claims.sign': (k) => new Claims().teamId('t').room('r').expiresIn(60).sign(k),
    'Claims.sign, custom claim': (k) => new Claims().teamId('t').room('r').expiresIn(60).claim('n', 1).sign(k),
    sign: (k) => sign(new Claims().teamId('t').room('r').expiresIn(60), k),
  };
  for (const [name, call] of Object.entries(calls)) {
    const key = new Key(KEY);
    let closedByNow = false;
    Date.now = () => {
      key.close();
      closedByNow = true;
      return realNow();
    };
    try {
      throwsStatus(() => call(key), 'DST_ERR_INVALID_ARGUMENT', /closed/);
    } finally {
      Date.now = realNow;
    }
    assert.ok(closedByNow, `${name}: Date.now was not called`);
    assert.equal(key.closed, true);
  }
});

// The module keeps scratch buffers (the dst_room_token struct, its strings, the output buffer)
// that every call reuses: a call that runs inside another (through a replaced Date.now) must not
// change the outer call's token. The inner token's strings outgrow the scratch buffer, which is
// then replaced and dropped.
test('a call nested in another does not change the outer call\'s token', () => {
  const realNow = Date.now;
  const key = new Key(KEY);
  for (const size of [10, 2000, 30000]) {
    for (const outerCall of [
      () => mint({ teamId: 't', room: 'r', userName: 'outer', expiresIn: 60 }, key),
      () => new Claims().teamId('t').room('r').userName('outer').expiresIn(60).claim('n', 1).sign(key),
      () => new URL(mintUrl({ teamId: 't', room: 'r', userName: 'outer', expiresIn: 60 }, key, 'acme')).searchParams.get('token'),
    ]) {
      let inner;
      Date.now = () => {
        Date.now = realNow;
        inner = mint({ teamId: 'inner-team', room: 'inner-room', userName: 'x'.repeat(size), expiresIn: 60 }, key);
        return realNow();
      };
      let outer;
      try {
        outer = outerCall();
      } finally {
        Date.now = realNow;
      }
      assert.ok(inner, 'the nested call ran');
      const o = jwt.verify(outer, KEY, { algorithms: ['HS256'] });
      assert.equal(o.td, 't');
      assert.equal(o.rd, 'r');
      assert.equal(o.u, 'outer');
      const i = jwt.verify(inner, KEY, { algorithms: ['HS256'] });
      assert.equal(i.td, 'inner-team');
      assert.equal(i.u.length, size);
    }
  }
  key.close();
});

// Without --expose-gc (npm test and scripts/test.sh pass it) this test cannot run: it is skipped,
// except under CI or DSTOKEN_STRICT_TESTS, where nothing may be skipped and it fails instead.
const strict = Boolean(process.env.CI || process.env.DSTOKEN_STRICT_TESTS);
test('keys left to the garbage collector are freed by it', { skip: typeof global.gc !== 'function' && !strict && 'needs --expose-gc' }, async () => {
  assert.equal(typeof global.gc, 'function', 'run node with --expose-gc');
  // Count, through the table of native functions, the keys this test makes and which of them
  // dst_key_free receives: every forgotten Key must reach it once unreachable. A registry that
  // never frees, or a Key kept reachable, leaves some unfreed and fails here. (The registry's
  // callback looks dst_key_free up in the table when it runs, so the wrapper sees it.)
  const native = Claims._native();
  const saved = { keyNewText: native.keyNewText, keyFree: native.keyFree };
  const live = new Map(); // handle -> how many of this test's keys hold it, not yet freed
  let made = 0;
  let freed = 0;
  native.keyNewText = (buf, len, out) => {
    const st = saved.keyNewText(buf, len, out);
    if (st === 0) {
      made++;
      live.set(out[0], (live.get(out[0]) ?? 0) + 1);
    }
    return st;
  };
  native.keyFree = (p) => {
    const n = live.get(p) ?? 0;
    if (n > 0) {
      freed++;
      if (n === 1) live.delete(p); else live.set(p, n - 1);
    }
    return saved.keyFree(p);
  };
  const n = 2000;
  try {
    for (let i = 0; i < n; i++) mint({ teamId: 't', room: 'r', expiresIn: 60 }, new Key(`key ${i}`));
    assert.equal(made, n);
    const deadline = Date.now() + 20000;
    while (freed < made && Date.now() < deadline) {
      global.gc();
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(freed, made, `the garbage collector freed ${freed} of ${made} forgotten keys`);
  } finally {
    Object.assign(native, saved);
  }
  assert.ok(mint({ teamId: 't', room: 'r', expiresIn: 60 }, new Key(KEY)));
});

test('tokens longer than the reused buffer', () => {
  const key = new Key(KEY);
  const name = 'n'.repeat(20000);
  const t = mint({ teamId: 't', room: 'r', expiresIn: 60, now: NOW, userName: name }, key);
  assert.equal(verify(t, key, { now: NOW }).u, name);
  assert.equal(new Claims().teamId('t').room('r').expiresIn(60).now(NOW).userName(name).claim('x', 1).sign(key),
    new Claims().teamId('t').room('r').expiresIn(60).now(NOW).userName(name).claim('x', 1).sign(key));
  // ... and a short one afterwards is not polluted by the long one.
  assert.deepEqual(payload(mint({ teamId: 't', room: 'r', noExpiry: true }, key)), { td: 't', rd: 'r' });
  // Up to the largest token verification accepts (DST_MAX_TOKEN_LENGTH, 64 KiB) ...
  const accents = 'é'.repeat(12000);
  const h = mint({ teamId: 't', room: 'r', expiresIn: 60, now: NOW, userName: accents, avatar: accents }, key);
  assert.ok(h.length > 60000 && h.length <= 65536, `token length ${h.length}`);
  assert.deepEqual(payload(h), { td: 't', rd: 'r', u: accents, avatar: accents, iat: NOW, exp: NOW + 60 });
  assert.equal(mintUrl({ teamId: 't', room: 'r', expiresIn: 60, now: NOW, userName: accents, avatar: accents }, key, 'acme'), joinUrl('acme', 'r', h));
  // ... and past it the library refuses to sign what it would refuse to verify.
  const huge = '李'.repeat(300000);
  throwsStatus(() => mint({ teamId: 't', room: 'r', expiresIn: 60, now: NOW, userName: huge }, key), 'DST_ERR_INVALID_ARGUMENT', /over the 65536-byte limit/);
  throwsStatus(() => new Claims().teamId('t').room('r').expiresIn(60).now(NOW).userName(huge).claim('x', 1).sign(key), 'DST_ERR_INVALID_ARGUMENT', /over the 65536-byte limit/);
  assert.deepEqual(payload(mint({ teamId: 't', room: 'r', expiresIn: 60, now: NOW, userName: 'x' }, key)), { td: 't', rd: 'r', u: 'x', iat: NOW, exp: NOW + 60 });
  key.close();
});

test('joinUrl and mintUrl on a custom domain', () => {
  const jsonwebtoken = require('jsonwebtoken');
  const key = new Key(KEY);
  assert.equal(joinUrl('Meet.Example.com', 'my room'), 'https://meet.example.com/my%20room');
  assert.equal(joinUrl('ACME', 'r'), 'https://acme.digitalsamba.com/r');
  const url = mintUrl({ teamId: 't', room: 'r', expiresIn: 3600 }, key, 'meet.example.com');
  const prefix = 'https://meet.example.com/r?token=';
  assert.ok(url.startsWith(prefix), url);
  const claims = jsonwebtoken.verify(url.slice(prefix.length), KEY, { algorithms: ['HS256'] });
  assert.equal(claims.td, 't');
  assert.equal(claims.rd, 'r');
  for (const team of ['127.0.0.1:8080', 'meet.example.com:8443', '10.0.0.1']) {
    throwsStatus(() => joinUrl(team, 'r'), 'DST_ERR_INVALID_ARGUMENT');
  }
  key.close();
});

test('joinUrl and mintUrl', () => {
  const key = new Key(KEY);
  const t = mint({ teamId: 't', room: 'my room', issuedAt: NOW, expiresAt: NOW + 60, now: NOW }, key);
  assert.equal(joinUrl('acme', 'my room', t), `https://acme.digitalsamba.com/my%20room?token=${t}`);
  // A team's custom domain (lowercased); a port only when allowed; never an IP address.
  assert.equal(joinUrl('Meet.Example.COM', 'daily'), 'https://meet.example.com/daily');
  assert.equal(joinUrl('ACME', 'daily'), 'https://acme.digitalsamba.com/daily');
  throwsStatus(() => joinUrl('meet.example.com:8443', 'daily'), 'DST_ERR_INVALID_ARGUMENT',
    /^joinUrl: team "meet\.example\.com:8443" has a port.*\(allowPort\)$/);
  assert.equal(joinUrl('meet.example.com:8443', 'daily', null, { allowPort: true }), 'https://meet.example.com:8443/daily');
  throwsStatus(() => joinUrl('127.0.0.1:8080', 'daily', null, { allowPort: true }), 'DST_ERR_INVALID_ARGUMENT', /joinUrl: /);
  throwsStatus(() => joinUrl('acme', 'daily', null, { port: 1 }), 'DST_ERR_INVALID_ARGUMENT', /unknown option "port"/);
  const f = { teamId: 't', room: 'my room', expiresIn: 60, now: NOW };
  const mt = mint(f, key);
  assert.equal(mintUrl(f, key, 'meet.example.com:8443', { allowPort: true }), `https://meet.example.com:8443/my%20room?token=${mt}`);
  assert.equal(mintUrl(f, key, 'Meet.Example.com'), `https://meet.example.com/my%20room?token=${mt}`);
  assert.deepEqual(jwt.verify(mt, KEY, { algorithms: ['HS256'], clockTimestamp: NOW }), { td: 't', rd: 'my room', iat: NOW, exp: NOW + 60 });
  throwsStatus(() => mintUrl(f, key, 'meet.example.com:8443'), 'DST_ERR_INVALID_ARGUMENT', /^mintUrl: team .* has a port/);
  assert.equal(joinUrl('acme', 'daily', null), 'https://acme.digitalsamba.com/daily');
  assert.equal(mintUrl({ teamId: 't', room: 'my room', issuedAt: NOW, expiresAt: NOW + 60, now: NOW }, key, 'acme'), joinUrl('acme', 'my room', t));
  throwsStatus(() => joinUrl('bad host!', 'r'), 'DST_ERR_INVALID_ARGUMENT', /joinUrl: team/);
  throwsStatus(() => joinUrl('acme', '..'), 'DST_ERR_INVALID_ARGUMENT');
  throwsStatus(() => joinUrl('acme', 'r', 'a b'), 'DST_ERR_INVALID_ARGUMENT');
  assert.throws(() => joinUrl('acme'), TypeError);
  key.close();
});

test('status names match the library', () => {
  assert.deepEqual(Object.keys(dst.Status).length, 15);
  for (const [name, number] of Object.entries(dst.Status)) {
    assert.equal(Claims._native().statusName(number), name);
    const e = new DstokenError(number, 'm');
    assert.equal(e.status, name);
    assert.equal(e.statusNumber, number);
    assert.equal(e.code, name === 'DST_OK' ? 'ERR_DSTOKEN_OK' : name.replace('DST_ERR_', 'ERR_DSTOKEN_'));
  }
  assert.equal(Claims._native().statusName(15), 'unknown status');
  assert.equal(new DstokenError(15, 'm').status, 'unknown status 15');
});

test('two copies of the package can be loaded side by side (no global koffi type names)', () => {
  const id = require.resolve('..');
  const first = require.cache[id];
  delete require.cache[id];
  try {
    const second = require('..');
    assert.notEqual(second, dst);
    const f = { teamId: 't', room: 'r', issuedAt: NOW, noExpiry: true };
    assert.equal(second.mint(f, KEY), mint(f, KEY));
  } finally {
    require.cache[id] = first;
  }
});

test('a claim time of exactly 0 is a real time, not "absent" (dst_room_token reads 0 as absent); a now of 0 is the clock', () => {
  const key = new Key(KEY);
  const t = mint({ teamId: 't', room: 'r', issuedAt: 0, notBefore: 0n, expiresAt: new Date(2000), now: 1 }, key);
  assert.deepEqual(payload(t), { td: 't', rd: 'r', iat: 0, nbf: 0, exp: 2 });
  assert.equal(new Claims().teamId('t').room('r').issuedAt(0).notBefore(0).expiresAt(2).now(1).sign(key), t);
  const z = mint({ teamId: 't', room: 'r', issuedAt: 0, noExpiry: true }, key);
  assert.deepEqual(payload(z), { td: 't', rd: 'r', iat: 0 });
  assert.equal(new Claims().teamId('t').room('r').issuedAt(0).noExpiry().sign(key), z);
  const e = mint({ teamId: 't', room: 'r', expiresIn: 60, now: 1 }, key);
  assert.deepEqual(payload(e), { td: 't', rd: 'r', iat: 1, exp: 61 });
  assert.equal(mintUrl({ teamId: 't', room: 'r', expiresIn: 60, now: 1 }, key, 'acme'), joinUrl('acme', 'r', e));
  // now: 0 is the system clock, as in every front end (never 1970).
  const before = Math.floor(Date.now() / 1000);
  const c = payload(mint({ teamId: 't', room: 'r', expiresIn: 60, now: 0 }, key));
  assert.ok(c.iat >= before && c.iat <= before + 2 && c.exp === c.iat + 60, JSON.stringify(c));
  throwsStatus(() => mint({ teamId: 't', room: 'r', expiresAt: 60, now: 0 }, key), 'DST_ERR_INVALID_ARGUMENT', /expired/);
  // A skew of 0 means no nbf, as dst_claims_set_expires_in.
  assert.deepEqual(payload(mint({ teamId: 't', room: 'r', expiresIn: 5, notBeforeSkew: 0, now: NOW }, key)),
    { td: 't', rd: 'r', iat: NOW, exp: NOW + 5 });
  key.close();
});

test('one native call per token on the mint and builder paths', () => {
  const native = Claims._native();
  const counts = new Map();
  const saved = { ...native };
  for (const name of Object.keys(saved)) {
    native[name] = (...args) => {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return saved[name](...args);
    };
  }
  try {
    const key = new Key(KEY);
    counts.clear();
    for (let i = 0; i < 10; i++) {
      mint({ teamId: 't', room: 'r', userName: 'n', userId: `u${i}`, initials: 'i', role: 'moderator', breakoutId: 'b',
        avatar: 'a', expiresIn: 60 }, key);
      new Claims().teamId('t').room('r').userName('n').userId(`u${i}`).initials('i').role('moderator').breakoutId('b')
        .avatar('a').issuedAt(NOW).notBefore(NOW).expiresAt(NOW + 1).now(NOW).sign(key);
    }
    assert.deepEqual([...counts], [['mintInto', 20]]);
    counts.clear();
    // noExpiry reaches the library as dst_room_token's no_expiry (version 2 of the struct).
    mint({ teamId: 't', room: 'r', noExpiry: true }, key);
    new Claims().teamId('t').room('r').noExpiry().sign(key);
    assert.deepEqual([...counts], [['mintInto', 2]]);
    counts.clear();
    mintUrl({ teamId: 't', room: 'r', expiresIn: 60 }, key, 'acme');
    assert.deepEqual([...counts], [['mintUrl', 1], ['stringFree', 1]]);
    key.close();
  } finally {
    Object.assign(native, saved);
  }
});

test('worker threads each mint and verify with their own keys, concurrently', async () => {
  const { Worker } = require('node:worker_threads');
  const code = `
    const d = require(${JSON.stringify(require.resolve('..'))});
    const { parentPort, workerData } = require('node:worker_threads');
    const key = new d.Key('${KEY}');
    const tokens = [];
    for (let i = 0; i < 2000; i++) {
      const t = d.mint({ teamId: 't', room: 'r', userId: workerData + '-' + i, issuedAt: ${NOW}, noExpiry: true }, key);
      if (d.verify(t, key, { now: ${NOW}, expOptional: true }).ud !== workerData + '-' + i) throw new Error('wrong claims');
      if (i % 500 === 0) tokens.push(t);
    }
    key.close();
    parentPort.postMessage(tokens);`;
  const results = await Promise.all([0, 1, 2, 3].map((w) => new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: `w${w}` });
    worker.once('message', resolve);
    worker.once('error', reject);
  })));
  const key = new Key(KEY);
  results.forEach((tokens, w) => tokens.forEach((t, j) =>
    assert.equal(t, mint({ teamId: 't', room: 'r', userId: `w${w}-${j * 500}`, issuedAt: NOW, noExpiry: true }, key))));
  key.close();
});
