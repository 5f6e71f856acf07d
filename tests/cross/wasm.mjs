// dstoken.wasm (wasm32-unknown-unknown) as a WebAssembly host sees it, in Node with no glue:
//   - the module imports nothing, and exports its memory, dst_wasm_alloc, dst_wasm_free and
//     every function of include/dstoken.h (the C ABI), and nothing else;
//   - the shared sign vectors (tests/vectors/vectors.json) minted through dst_mint (and
//     dst_sign for the one with custom claims) give the vectors' exact bytes, and every verify
//     vector gives its status through dst_verify;
//   - the memory contract of docs/src/wasm.md: arguments in blocks from dst_wasm_alloc, returned
//     strings freed with dst_string_free, the last error read as a NUL-terminated string.
// usage: node tests/cross/wasm.mjs DSTOKEN_WASM [REPO_ROOT]
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const [file, root = '.'] = process.argv.slice(2);
const module = new WebAssembly.Module(readFileSync(file));

// -- the module's interface -----------------------------------------------------------------------
const imports = WebAssembly.Module.imports(module);
assert.deepEqual(imports, [], `dstoken.wasm must import nothing, imports ${JSON.stringify(imports)}`);
const header = readFileSync(`${root}/include/dstoken.h`, 'utf8');
// the prototypes: a return type at the start of a line, then the name
const cFunctions = [...new Set([...header.matchAll(/^(?:const )?[a-z_0-9]+ \**(dst_[a-z0-9_]+)\(/gm)].map((m) => m[1]))];
const exported = WebAssembly.Module.exports(module);
const want = new Map([['memory', 'memory'], ['dst_wasm_alloc', 'function'], ['dst_wasm_free', 'function'],
  ...cFunctions.map((n) => [n, 'function'])]);
for (const [name, kind] of want) {
  assert.ok(exported.some((e) => e.name === name && e.kind === kind), `dstoken.wasm does not export ${kind} ${name}`);
}
const extra = exported.filter((e) => !want.has(e.name)).map((e) => `${e.kind} ${e.name}`);
assert.deepEqual(extra, [], `dstoken.wasm exports more than the C ABI and its allocator: ${extra.join(', ')}`);
console.log(`wasm: no imports; exports memory, dst_wasm_alloc, dst_wasm_free and the header's ${cFunctions.length} functions`);

const x = new WebAssembly.Instance(module, {}).exports;
const u8 = () => new Uint8Array(x.memory.buffer);
const dv = () => new DataView(x.memory.buffer);
const enc = new TextEncoder(), dec = new TextDecoder('utf-8', { fatal: true });

// -- host-side helpers: every block the host writes comes from dst_wasm_alloc ------------------
const blocks = [];
const alloc = (n) => { const p = x.dst_wasm_alloc(n); assert.notEqual(p, 0, 'dst_wasm_alloc'); blocks.push(p); return p; };
const freeAll = () => { while (blocks.length) x.dst_wasm_free(blocks.pop()); };
const bytes = (b) => { const p = alloc(b.length || 1); u8().set(b, p); return p; };
const cstr = (s) => bytes(enc.encode(s + '\0'));
const readc = (p) => { const a = u8(); let e = p; while (a[e]) e++; return dec.decode(a.subarray(p, e)); };
const statusName = (s) => readc(x.dst_status_name(s));
const check = (s, what) => {
  if (s !== 0) throw new Error(`${what}: ${statusName(s)}: ${readc(x.dst_last_error_message())}`);
};
const outPtr = () => { const p = alloc(4); dv().setUint32(p, 0, true); return p; };
const takeString = (p) => { const q = dv().getUint32(p, true); const s = readc(q); x.dst_string_free(q); return s; };
const newKey = (hex) => { const out = outPtr(); const k = Buffer.from(hex, 'hex');
  check(x.dst_key_new(bytes(k), k.length, out), 'dst_key_new'); return dv().getUint32(out, true); };

// The allocator: blocks are 8-aligned, distinct, reusable; NULL frees nothing.
{
  const a = x.dst_wasm_alloc(0), b = x.dst_wasm_alloc(13);
  assert.ok(a !== 0 && b !== 0 && a !== b && a % 8 === 0 && b % 8 === 0, `dst_wasm_alloc gave ${a}, ${b}`);
  x.dst_wasm_free(a); x.dst_wasm_free(b); x.dst_wasm_free(0);
  // freed blocks are reused: 2000 pairs of 64 KiB may grow the memory once, a leak 2000 times
  const before = x.memory.buffer.byteLength;
  for (let i = 0; i < 2000; i++) x.dst_wasm_free(x.dst_wasm_alloc(64 * 1024));
  assert.ok(x.memory.buffer.byteLength - before <= 2 * 65536 * 2, `memory grew by ${x.memory.buffer.byteLength - before} bytes over 2000 alloc/free pairs`);
}
console.log(`wasm: dst_version ${readc(x.dst_version())}`);

// dst_room_token on wasm32: size_t and 8 pointers (4 bytes each), int64s from offset 40, bool at 88.
const ROOM_TOKEN_SIZE = 96;
const STRINGS = ['team_id', 'room', 'user_name', 'user_id', 'initials', 'role', 'breakout_id', 'avatar'];
const TIMES = ['issued_at', 'not_before', 'expires_at', 'lifetime_seconds', 'not_before_skew_seconds', 'now'];
function roomToken(fields) {
  const t = alloc(ROOM_TOKEN_SIZE);
  u8().fill(0, t, t + ROOM_TOKEN_SIZE);
  check(x.dst_room_token_init_size(t, ROOM_TOKEN_SIZE), 'dst_room_token_init_size');
  for (const [name, value] of Object.entries(fields)) {
    let i;
    if ((i = STRINGS.indexOf(name)) >= 0) dv().setUint32(t + 4 + 4 * i, cstr(value), true);
    else if ((i = TIMES.indexOf(name)) >= 0) dv().setBigInt64(t + 40 + 8 * i, BigInt(value), true);
    else if (name === 'no_expiry') dv().setUint8(t + 88, value ? 1 : 0);
    else throw new Error(`vector field ${name} has no place in dst_room_token`);
  }
  return t;
}

const vectors = JSON.parse(readFileSync(`${root}/tests/vectors/vectors.json`, 'utf8'));
let minted = 0;
for (const v of vectors.sign) {
  const key = newKey(v.key_hex), out = outPtr();
  if (v.custom) {
    // The builder: the registered claims by their setters, then the custom ones as JSON.
    const c = x.dst_claims_new();
    const t = v.token;
    const set = { team_id: 'dst_claims_set_team_id', room: 'dst_claims_set_room', user_name: 'dst_claims_set_user_name',
      user_id: 'dst_claims_set_user_id', initials: 'dst_claims_set_initials', role: 'dst_claims_set_role',
      breakout_id: 'dst_claims_set_breakout_id', avatar: 'dst_claims_set_avatar' };
    const setTime = { issued_at: 'dst_claims_set_issued_at', not_before: 'dst_claims_set_not_before', expires_at: 'dst_claims_set_expires_at' };
    // relative times as the explicit ones they stand for (the builder's own relative setter
    // reads the clock, which wasm32 does not have)
    const times = { ...t };
    if ('lifetime_seconds' in times) {
      times.issued_at = times.now;
      times.expires_at = times.now + times.lifetime_seconds;
      if (times.not_before_skew_seconds) times.not_before = times.now - times.not_before_skew_seconds;
    }
    for (const [k, val] of Object.entries(set)) if (k in t) check(x[val](c, cstr(t[k])), val);
    for (const [k, val] of Object.entries(setTime)) if (k in times) check(x[val](c, BigInt(times[k])), val);
    for (const [name, json] of v.custom) check(x.dst_claims_set_json(c, cstr(name), cstr(json)), `set_json ${name}`);
    check(x.dst_sign(c, key, out), `dst_sign ${v.name}`);
    x.dst_claims_free(c);
  } else {
    check(x.dst_mint(roomToken(v.token), key, out), `dst_mint ${v.name}`);
  }
  assert.equal(takeString(out), v.jwt, `sign vector ${v.name}: token bytes differ`);
  x.dst_key_free(key);
  freeAll();
  minted++;
}
assert.equal(minted, vectors.sign.length);

let verified = 0;
for (const v of vectors.verify) {
  const key = newKey(v.key_hex), out = outPtr();
  const s = x.dst_verify(cstr(v.jwt), key, BigInt(v.now), v.leeway, out);
  assert.equal(statusName(s), v.status, `verify vector ${v.name}: ${readc(x.dst_last_error_message())}`);
  if (s === 0) x.dst_claims_free(dv().getUint32(out, true));
  else assert.ok(readc(x.dst_last_error_message()).length > 0, `verify vector ${v.name}: no last error message`);
  x.dst_key_free(key);
  freeAll();
  verified++;
}
// A failing call leaves its message readable; a NULL argument is refused, not a trap.
assert.equal(statusName(x.dst_key_new(0, 4, outPtr())), 'DST_ERR_NULL_ARGUMENT');
assert.match(readc(x.dst_last_error_message()), /secret/);
freeAll();
// No clock: now = 0 ("read the system clock") traps, as docs/src/wasm.md says. (The instance is
// not used again after its trap.)
{
  const v = vectors.verify.find((w) => w.status === 'DST_OK');
  const key = newKey(v.key_hex);
  assert.throws(() => x.dst_verify(cstr(v.jwt), key, 0n, 0, outPtr()), WebAssembly.RuntimeError,
    'dst_verify with now = 0 on wasm32 must trap (there is no clock)');
}
console.log(`wasm: ${minted} sign vectors byte for byte, ${verified} verify vectors: passed`);
