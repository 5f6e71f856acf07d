'use strict';
// The two backends: the C library through koffi ("native") and the WebAssembly core run by Node
// ("wasm"). DSTOKEN_BACKEND chooses one; scripts/test.sh runs the whole suite under each. These
// tests check that the choice is honoured, that both mint the same bytes, and what each backend
// promises about the key's bytes.
const test = require('node:test');
const assert = require('node:assert/strict');
const { KEY } = require('./helpers');

const id = require.resolve('..');
const strict = Boolean(process.env.CI || process.env.DSTOKEN_STRICT_TESTS);

// A fresh copy of the package loaded with `env` set (the backend is chosen when it loads).
function loadWith(env) {
  const saved = {};
  for (const k of Object.keys(env)) {
    saved[k] = process.env[k];
    if (env[k] === undefined) delete process.env[k];
    else process.env[k] = env[k];
  }
  const first = require.cache[id];
  delete require.cache[id];
  try {
    return require('..');
  } finally {
    if (first) require.cache[id] = first;
    else delete require.cache[id];
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const needWasm = !process.env.DSTOKEN_WASM && !strict && 'needs DSTOKEN_WASM (the wasm32 build of the core)';

test('DSTOKEN_BACKEND chooses the backend libraryInfo() reports', () => {
  const want = process.env.DSTOKEN_BACKEND;
  const dst = require('..');
  if (want === 'native' || want === 'wasm') assert.equal(dst.libraryInfo().backend, want);
  else assert.ok(['native', 'wasm'].includes(dst.libraryInfo().backend));
  assert.throws(() => loadWith({ DSTOKEN_BACKEND: 'rust' }), /DSTOKEN_BACKEND is "rust"; it must be native, wasm or auto/);
});

test('the WebAssembly core and the native library mint the same bytes and verify each other', { skip: needWasm }, () => {
  assert.ok(process.env.DSTOKEN_WASM, 'set DSTOKEN_WASM to the wasm32 build of the core (see scripts/test.sh)');
  const wasm = loadWith({ DSTOKEN_BACKEND: 'wasm' });
  const native = loadWith({ DSTOKEN_BACKEND: 'native' });
  assert.equal(wasm.libraryInfo().backend, 'wasm');
  assert.equal(wasm.libraryInfo().source, 'DSTOKEN_WASM');
  assert.equal(native.libraryInfo().backend, 'native');
  assert.equal(wasm.libraryVersion(), native.libraryVersion());
  const f = { teamId: 't', room: 'r', userName: 'Ñandú 🎉', role: 'moderator', avatar: 'x'.repeat(40000), expiresIn: 60, now: 1700000000 };
  const a = wasm.mint(f, KEY);
  assert.equal(a, native.mint(f, KEY));
  assert.deepEqual(native.verify(a, KEY, { now: 1700000001 }), wasm.verify(a, KEY, { now: 1700000001 }));
  const c = (d) => new d.Claims().teamId('t').room('r').claim('n', { deep: [1, 2] }).issuedAt(5).expiresAt(1900000000).now(10);
  assert.equal(c(wasm).sign(KEY), c(native).sign(KEY));
  assert.equal(wasm.mintUrl(f, KEY, 'acme'), native.mintUrl(f, KEY, 'acme'));
  assert.equal(wasm.joinUrl('Meet.Example.com:8443', 'r', null, { allowPort: true }),
    native.joinUrl('Meet.Example.com:8443', 'r', null, { allowPort: true }));
  // A now of 0 is the clock on both (the module has no clock: the binding reads it).
  const fresh = wasm.mint({ teamId: 't', room: 'r', expiresIn: 60 }, KEY);
  assert.equal(wasm.verify(fresh, KEY, { now: 0 }).rd, 'r');
  for (const d of [wasm, native]) {
    assert.throws(() => d.verify(a.slice(0, -2) + (a.endsWith('AA') ? 'BB' : 'AA'), KEY, { now: 1700000001 }),
      (e) => e.status === 'DST_ERR_BAD_SIGNATURE' && /signature does not match/.test(e.message));
  }
});

test('the binding wipes its UTF-8 copy of a string key once the library has it', () => {
  const dst = require('..');
  const native = dst.Claims._native();
  const saved = native.keyNewText;
  const seen = [];
  native.keyNewText = (buf, len, out) => {
    seen.push(buf);
    return saved(buf, len, out);
  };
  try {
    const secret = 'a-string-key-whose-copy-is-wiped';
    const k = new dst.Key(secret);
    k.close();
    assert.equal(seen.length, 1);
    assert.equal(seen[0].length, Buffer.byteLength(secret));
    assert.ok(seen[0].every((b) => b === 0), 'the UTF-8 copy still holds the key');
    // Bytes the caller owns are the caller's: left as they are.
    const mine = Buffer.from('caller-owned-key-bytes');
    new dst.Key(mine).close();
    assert.equal(mine.toString(), 'caller-owned-key-bytes');
  } finally {
    native.keyNewText = saved;
  }
});

test('WebAssembly: no copy of the key bytes stays in the module\'s memory', { skip: needWasm }, () => {
  assert.ok(process.env.DSTOKEN_WASM, 'set DSTOKEN_WASM to the wasm32 build of the core (see scripts/test.sh)');
  const wasm = loadWith({ DSTOKEN_BACKEND: 'wasm' });
  const mem = wasm.Claims._backend()._memoryBytes;
  const secret = Buffer.from('k3y-that-must-not-linger-in-linear-memory-0123456789');
  const find = () => Buffer.from(mem().buffer).indexOf(secret);
  const key = new wasm.Key(secret);
  // The argument copy is wiped after the call; the key itself is kept as HMAC state, not as
  // the raw bytes.
  assert.equal(find(), -1, 'the key bytes are in the module memory after new Key');
  const t = wasm.mint({ teamId: 't', room: 'r', expiresIn: 60, now: 1700000000 }, key);
  assert.equal(wasm.verify(t, key, { now: 1700000001 }).rd, 'r');
  key.close();
  // A string key: the same.
  wasm.mint({ teamId: 't', room: 'r', expiresIn: 60 }, secret.toString());
  assert.equal(find(), -1, 'the key bytes are in the module memory after a mint with a string key');
});

test('WebAssembly: a trap in the core is a DST_ERR_INTERNAL error, and the core is not used again', { skip: needWasm }, () => {
  assert.ok(process.env.DSTOKEN_WASM, 'set DSTOKEN_WASM to the wasm32 build of the core (see scripts/test.sh)');
  const wasm = loadWith({ DSTOKEN_BACKEND: 'wasm' });
  const key = new wasm.Key(KEY);
  const t = wasm.mint({ teamId: 't', room: 'r', expiresIn: 60 }, key);
  // dst_verify_opts without options (now = 0) reads the clock, which wasm32-unknown-unknown has
  // not: Rust's std panics, and a panic traps (the binding itself always passes a now; this
  // calls the C function).
  const N = wasm.Claims._native();
  assert.throws(() => N.verifyOpts(t, key._handle(), null, [null]),
    (e) => e instanceof wasm.DstokenError && e.code === 'ERR_DSTOKEN_INTERNAL' && /trapped in dst_verify_opts/.test(e.message));
  assert.throws(() => wasm.mint({ teamId: 't', room: 'r', expiresIn: 60 }, key),
    (e) => e.status === 'DST_ERR_INTERNAL' && /stopped after a trap/.test(e.message));
});
