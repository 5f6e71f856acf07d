'use strict';
// The binding's own API: builder, mint, sign, verify, joinUrl, keys, errors, argument checks.
const test = require('node:test');
const assert = require('node:assert/strict');
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
    assert.equal(e.name, 'DstokenError');
    assert.equal(e.status, status);
    assert.equal(e.code, dst.Status[status]);
    assert.ok(e.message.startsWith(`${status}: `), e.message);
    if (re) assert.match(e.message, re);
    return true;
  });
}

test('the builder signs the claims in the documented payload order', () => {
  const key = new Key(KEY);
  const token = new Claims().role('moderator').userName('John Smith').room('daily').teamId('team-1')
    .userId('u-42').initials('JS').breakoutId('b1').avatar('https://x.test/a.png')
    .issuedAt(NOW).notBefore(NOW - 30).expiresAt(NOW + 3600).sign(key);
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

test('times accept BigInt and Date (whole seconds)', () => {
  const key = new Key(KEY);
  // Times are limited to +/-(2^53 - 1) seconds (DST_MAX_TIME_SECONDS), which every JSON reader
  // takes exactly; BigInt reaches the whole range.
  const t = new Claims().teamId('t').room('r').issuedAt(new Date(NOW * 1000 + 999)).expiresAt(2n ** 53n - 1n).sign(key);
  assert.match(Buffer.from(t.split('.')[1], 'base64url').toString(), /"iat":1700000000,"exp":9007199254740991}$/);
  const neg = mint({ teamId: 't', room: 'r', issuedAt: -(2n ** 53n - 1n), expiresAt: 2n ** 53n - 1n }, key);
  assert.match(Buffer.from(neg.split('.')[1], 'base64url').toString(), /"iat":-9007199254740991,"exp":9007199254740991}$/);
  throwsStatus(() => mint({ teamId: 't', room: 'r', expiresAt: 2n ** 53n }, key), 'DST_ERR_INVALID_ARGUMENT', /time range/);
  throwsStatus(() => new Claims().teamId('t').room('r').expiresAt(-(2n ** 53n)).sign(key), 'DST_ERR_INVALID_ARGUMENT', /time range/);
  throwsStatus(() => mint({ teamId: 't', room: 'r', expiresAt: 2n ** 63n }, key), 'DST_ERR_INVALID_ARGUMENT', /64-bit/);
  throwsStatus(() => new Claims().expiresAt(1.5), 'DST_ERR_INVALID_ARGUMENT', /whole number/);
  throwsStatus(() => new Claims().expiresAt(2 ** 60), 'DST_ERR_INVALID_ARGUMENT', /safe integer/);
  throwsStatus(() => new Claims().issuedAt(new Date('nope')), 'DST_ERR_INVALID_ARGUMENT', /invalid Date/);
  assert.throws(() => new Claims().expiresAt('1700000000'), TypeError);
  key.close();
});

test('custom claims keep their order and JSON; registered names are refused', () => {
  const key = new Key(KEY);
  const token = new Claims().teamId('t').room('r').claim('z', { a: [1, 'two', null] }).claim('big', 2n ** 63n - 1n)
    .claimJson('raw', '[1.50, {"k" : true}]').claim('flag', false).issuedAt(NOW).sign(key);
  assert.equal(Buffer.from(token.split('.')[1], 'base64url').toString(),
    '{"td":"t","rd":"r","iat":1700000000,"z":{"a":[1,"two",null]},"big":9223372036854775807,"raw":[1.50,{"k":true}],"flag":false}');  // numbers kept exactly as written
  throwsStatus(() => new Claims().claim('u', 'x'), 'DST_ERR_INVALID_ARGUMENT', /"u" is a registered claim; set it with userName\(\)/);
  throwsStatus(() => new Claims().claim('exp', 1), 'DST_ERR_INVALID_ARGUMENT', /expiresAt\(\)/);
  throwsStatus(() => new Claims().teamId('t').room('r').claimJson('bad', '{"a":1,"a":2}').sign(key),
    'DST_ERR_INVALID_ARGUMENT', /dst_claims_set_json/);
  throwsStatus(() => new Claims().teamId('t').room('r').claimJson('bad', '{').sign(key), 'DST_ERR_INVALID_ARGUMENT');
  assert.throws(() => new Claims().claim('f', () => 1), TypeError);
  assert.throws(() => new Claims().claim('f', { b: 1n }), TypeError);
  const c = new Claims().teamId('t').room('r').claim('a', 1);
  assert.equal(c.removeClaim('a'), true);
  assert.equal(c.removeClaim('a'), false);
  assert.deepEqual(payload(c.sign(key)), { td: 't', rd: 'r' });
  key.close();
});

test('a builder is a reusable template; clone() is independent; null removes a claim', () => {
  const key = new Key(KEY);
  const base = new Claims().teamId('t').room('r').role('attendee').issuedAt(NOW);
  const a = base.clone().userId('a').userName('A');
  const b = base.clone().userId('b');
  assert.deepEqual(payload(a.sign(key)), { td: 't', rd: 'r', u: 'A', ud: 'a', role: 'attendee', iat: NOW });
  assert.deepEqual(payload(b.sign(key)), { td: 't', rd: 'r', ud: 'b', role: 'attendee', iat: NOW });
  assert.deepEqual(payload(base.sign(key)), { td: 't', rd: 'r', role: 'attendee', iat: NOW });
  a.userName(null).issuedAt(undefined);
  assert.deepEqual(payload(a.sign(key)), { td: 't', rd: 'r', ud: 'a', role: 'attendee' });
  assert.deepEqual(a.toObject(), { teamId: 't', room: 'r', role: 'attendee', userId: 'a' });
  key.close();
});

test('signing errors carry the library status and message', () => {
  const key = new Key(KEY);
  throwsStatus(() => new Claims().room('r').sign(key), 'DST_ERR_MISSING_CLAIM', /"td"/);
  throwsStatus(() => mint({ teamId: 't' }, key), 'DST_ERR_MISSING_CLAIM', /"rd"/);
  throwsStatus(() => mint({ teamId: 't', room: 'r', issuedAt: NOW, expiresAt: NOW - 1 }, key), 'DST_ERR_INVALID_ARGUMENT');
  throwsStatus(() => new Claims().teamId(''), 'DST_ERR_INVALID_ARGUMENT', /teamId must not be empty/);
  throwsStatus(() => mint({ teamId: 't', room: '' }, key), 'DST_ERR_INVALID_ARGUMENT', /room must not be empty/);
  throwsStatus(() => mint({ teamId: 't', room: 'r', expiresIn: 0 }, key), 'DST_ERR_INVALID_ARGUMENT');
  throwsStatus(() => mint({ teamId: 't', room: 'r', expiresIn: -5 }, key), 'DST_ERR_INVALID_ARGUMENT');
  throwsStatus(() => mint({ teamId: 't', room: 'r', expiresIn: 10, notBeforeSkew: -1 }, key), 'DST_ERR_INVALID_ARGUMENT');
  throwsStatus(() => mint({ teamId: 't', room: 'r', expiresIn: 10, expiresAt: NOW }, key), 'DST_ERR_INVALID_ARGUMENT');
  throwsStatus(() => mint({ teamId: 't', room: 'r', notBeforeSkew: 10 }, key), 'DST_ERR_INVALID_ARGUMENT');
  throwsStatus(() => mint({ teamId: 't', room: 'r', expiresIn: 2n ** 63n - 1n, now: NOW }, key), 'DST_ERR_INVALID_ARGUMENT');
  throwsStatus(() => new Claims().teamId('t').room('r').expiresIn(10).issuedAt(NOW).sign(key), 'DST_ERR_INVALID_ARGUMENT', /exclude each other/);
  throwsStatus(() => mint({ team_id: 't', room: 'r' }, key), 'DST_ERR_INVALID_ARGUMENT', /unknown field "team_id".*teamId/);
  assert.throws(() => mint('t', key), TypeError);
  assert.throws(() => mint({ teamId: 5, room: 'r' }, key), TypeError);
  assert.throws(() => sign({ teamId: 't' }, key), TypeError);
  key.close();
});

test('strings that cannot cross to C unchanged are refused, naming the field', () => {
  const key = new Key(KEY);
  throwsStatus(() => new Claims().userName('a\0b'), 'DST_ERR_INVALID_ARGUMENT', /userName contains U\+0000/);
  throwsStatus(() => new Claims().userName('a\uD800b'), 'DST_ERR_INVALID_UTF8', /userName contains an unpaired/);
  throwsStatus(() => mint({ teamId: 't', room: 'r\uDC00' }, key), 'DST_ERR_INVALID_UTF8', /room/);
  throwsStatus(() => verify('a\0b', key), 'DST_ERR_INVALID_ARGUMENT', /token/);
  throwsStatus(() => joinUrl('acme', 'r', 'x\uD800'), 'DST_ERR_INVALID_UTF8', /token/);
  // Awkward but valid text survives byte for byte.
  const name = 'q"uo\\te \n\t\u0001 ‏עברית‎ 🎉 ' + 'x'.repeat(3000);
  const t = mint({ teamId: 't', room: 'r', userName: name }, key);
  assert.equal(verify(t, key).u, name);
  key.close();
});

test('verify: statuses for bad tokens, now and leeway', () => {
  const key = new Key(KEY);
  const t = mint({ teamId: 't', room: 'r', issuedAt: NOW, notBefore: NOW, expiresAt: NOW + 60 }, key);
  assert.equal(verify(t, key, { now: NOW }).rd, 'r');
  assert.equal(verify(t, key, { now: new Date((NOW + 30) * 1000) }).rd, 'r');
  throwsStatus(() => verify(t, key, { now: NOW + 60 }), 'DST_ERR_EXPIRED');
  assert.equal(verify(t, key, { now: NOW + 60, leeway: 1 }).td, 't');
  throwsStatus(() => verify(t, key, { now: NOW - 1 }), 'DST_ERR_NOT_YET_VALID');
  assert.equal(verify(t, key, { now: NOW - 1, leeway: 1 }).td, 't');
  throwsStatus(() => verify(t, key), 'DST_ERR_EXPIRED'); // the clock is long past 2023
  throwsStatus(() => verify(t, 'another key', { now: NOW }), 'DST_ERR_BAD_SIGNATURE');
  throwsStatus(() => verify(t.slice(0, -1), key, { now: NOW }), 'DST_ERR_MALFORMED_TOKEN');
  throwsStatus(() => verify('not a token', key), 'DST_ERR_MALFORMED_TOKEN');
  throwsStatus(() => verify('', key), 'DST_ERR_MALFORMED_TOKEN');
  const none = Buffer.from('{"alg":"none"}').toString('base64url') + '.' + t.split('.')[1] + '.';
  throwsStatus(() => verify(none, key, { now: NOW }), 'DST_ERR_UNSUPPORTED_ALGORITHM');
  const hs512 = Buffer.from('{"alg":"HS512"}').toString('base64url') + '.' + t.split('.').slice(1).join('.');
  throwsStatus(() => verify(hs512, key, { now: NOW }), 'DST_ERR_UNSUPPORTED_ALGORITHM');
  throwsStatus(() => verify(t, key, { leeway: -1 }), 'DST_ERR_INVALID_ARGUMENT', /leeway/);
  throwsStatus(() => verify(t, key, { leeway: 2 ** 32 }), 'DST_ERR_INVALID_ARGUMENT', /leeway/);
  assert.throws(() => verify(42, key), TypeError);
  assert.throws(() => verify(t, key, 5), TypeError);
  key.close();
});

test('keys: bytes used as given, close() is idempotent, a closed key is refused', () => {
  const bytes = Buffer.from(Array.from({ length: 100 }, (_, i) => (i * 37) & 0xff));
  const k1 = new Key(bytes);
  const k2 = new Key(new Uint8Array(bytes));
  const k3 = new Key(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const fields = { teamId: 't', room: 'r', issuedAt: NOW };
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

test('keys left to the garbage collector are freed without harm', { skip: typeof global.gc !== 'function' && 'needs --expose-gc' }, async () => {
  for (let i = 0; i < 2000; i++) mint({ teamId: 't', room: 'r' }, new Key(`key ${i}`));
  global.gc();
  await new Promise((r) => setTimeout(r, 10));
  global.gc();
  assert.ok(mint({ teamId: 't', room: 'r' }, new Key(KEY)));
});

test('tokens longer than the reused buffer', () => {
  const key = new Key(KEY);
  const name = 'n'.repeat(20000);
  const t = mint({ teamId: 't', room: 'r', userName: name }, key);
  assert.equal(verify(t, key).u, name);
  assert.equal(new Claims().teamId('t').room('r').userName(name).claim('x', 1).sign(key),
    new Claims().teamId('t').room('r').userName(name).claim('x', 1).sign(key));
  // ... and a short one afterwards is not polluted by the long one.
  assert.deepEqual(payload(mint({ teamId: 't', room: 'r' }, key)), { td: 't', rd: 'r' });
  // Up to the largest token verification accepts (DST_MAX_TOKEN_LENGTH, 64 KiB) ...
  const accents = 'é'.repeat(12000);
  const h = mint({ teamId: 't', room: 'r', userName: accents, avatar: accents }, key);
  assert.ok(h.length > 60000 && h.length <= 65536, `token length ${h.length}`);
  assert.deepEqual(payload(h), { td: 't', rd: 'r', u: accents, avatar: accents });
  assert.equal(mintUrl({ teamId: 't', room: 'r', userName: accents, avatar: accents }, key, 'acme'), joinUrl('acme', 'r', h));
  // ... and past it the library refuses to sign what it would refuse to verify.
  const huge = '李'.repeat(300000);
  throwsStatus(() => mint({ teamId: 't', room: 'r', userName: huge }, key), 'DST_ERR_INVALID_ARGUMENT', /DST_MAX_TOKEN_LENGTH/);
  throwsStatus(() => new Claims().teamId('t').room('r').userName(huge).claim('x', 1).sign(key), 'DST_ERR_INVALID_ARGUMENT', /DST_MAX_TOKEN_LENGTH/);
  assert.deepEqual(payload(mint({ teamId: 't', room: 'r', userName: 'x' }, key)), { td: 't', rd: 'r', u: 'x' });
  key.close();
});

test('joinUrl and mintUrl on a custom domain (issue 16 item 10)', () => {
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
  const t = mint({ teamId: 't', room: 'my room', issuedAt: NOW }, key);
  assert.equal(joinUrl('acme', 'my room', t), `https://acme.digitalsamba.com/my%20room?token=${t}`);
  // A port is refused by default since issue 16 item 10 (see the custom-domain test below).
  throwsStatus(() => joinUrl('meet.example.com:8443', 'daily'), 'DST_ERR_INVALID_ARGUMENT', /port/);
  assert.equal(joinUrl('acme', 'daily', null), 'https://acme.digitalsamba.com/daily');
  assert.equal(mintUrl({ teamId: 't', room: 'my room', issuedAt: NOW }, key, 'acme'), joinUrl('acme', 'my room', t));
  throwsStatus(() => joinUrl('bad host!', 'r'), 'DST_ERR_INVALID_ARGUMENT', /dst_join_url/);
  throwsStatus(() => joinUrl('acme', '..'), 'DST_ERR_INVALID_ARGUMENT');
  throwsStatus(() => joinUrl('acme', 'r', 'a b'), 'DST_ERR_INVALID_ARGUMENT');
  assert.throws(() => joinUrl('acme'), TypeError);
  key.close();
});

test('status names match the library', () => {
  assert.deepEqual(Object.keys(dst.Status).length, 14);
  for (const [name, code] of Object.entries(dst.Status)) {
    assert.equal(Claims._native().statusName(code), name);
    const e = new DstokenError(code, 'm');
    assert.equal(e.status, name);
    assert.equal(e.code, code);
  }
  assert.equal(Claims._native().statusName(14), 'unknown status');
  assert.equal(new DstokenError(14, 'm').status, 'unknown status 14');
});

test('two copies of the package can be loaded side by side (no global koffi type names)', () => {
  const id = require.resolve('..');
  const first = require.cache[id];
  delete require.cache[id];
  try {
    const second = require('..');
    assert.notEqual(second, dst);
    assert.equal(second.mint({ teamId: 't', room: 'r', issuedAt: NOW }, KEY), mint({ teamId: 't', room: 'r', issuedAt: NOW }, KEY));
  } finally {
    require.cache[id] = first;
  }
});

test('a time of exactly 0 is a real time, not "absent" (dst_room_token reads 0 as absent)', () => {
  const key = new Key(KEY);
  const t = mint({ teamId: 't', room: 'r', issuedAt: 0, notBefore: 0n, expiresAt: new Date(0) }, key);
  assert.deepEqual(payload(t), { td: 't', rd: 'r', iat: 0, nbf: 0, exp: 0 });
  assert.equal(new Claims().teamId('t').room('r').issuedAt(0).notBefore(0).expiresAt(0).sign(key), t);
  const e = mint({ teamId: 't', room: 'r', expiresIn: 60, now: 0 }, key);
  assert.deepEqual(payload(e), { td: 't', rd: 'r', iat: 0, exp: 60 });
  assert.equal(mintUrl({ teamId: 't', room: 'r', expiresIn: 60, now: 0 }, key, 'acme'), joinUrl('acme', 'r', e));
  // A lifetime of 0 is refused, never a token without exp.
  throwsStatus(() => mint({ teamId: 't', room: 'r', expiresIn: 0 }, key), 'DST_ERR_INVALID_ARGUMENT', /expiresIn must be > 0/);
  throwsStatus(() => new Claims().expiresIn(0n), 'DST_ERR_INVALID_ARGUMENT', /expiresIn must be > 0/);
  throwsStatus(() => new Claims().validity(-1, 10), 'DST_ERR_INVALID_ARGUMENT', /skewSeconds must be >= 0/);
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
        .avatar('a').issuedAt(NOW).notBefore(NOW).expiresAt(NOW + 1).sign(key);
    }
    assert.deepEqual([...counts], [['mintInto', 20]]);
    counts.clear();
    mintUrl({ teamId: 't', room: 'r' }, key, 'acme');
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
      const t = d.mint({ teamId: 't', room: 'r', userId: workerData + '-' + i, issuedAt: ${NOW} }, key);
      if (d.verify(t, key, { now: ${NOW} }).ud !== workerData + '-' + i) throw new Error('wrong claims');
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
    assert.equal(t, mint({ teamId: 't', room: 'r', userId: `w${w}-${j * 500}`, issuedAt: NOW }, key))));
  key.close();
});
