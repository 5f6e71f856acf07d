'use strict';
// dstoken for Node.js: mint and verify Digital Samba room tokens (HS256 JWTs) through the
// dstoken C library, called through koffi (a maintained FFI whose npm package ships prebuilt
// binaries, so `npm install` needs no compiler), or, where no native library fits, through the
// same core built as WebAssembly and run by Node itself (wasm.js). See README.md, "Node.js".
//
// Values stay on the JavaScript side until a token is made: `mint()` and `Claims#sign()`
// (without custom claims) cost one native call per token, into a reused buffer.


const PACKAGE_VERSION = require('./package.json').version;

// ---------------------------------------------------------------------------------------------
// Statuses and errors

/** dst_status values by name (numbers are stable, only appended to). */
const Status = Object.freeze({
  DST_OK: 0,
  DST_ERR_NULL_ARGUMENT: 1,
  DST_ERR_INVALID_UTF8: 2,
  DST_ERR_INVALID_ARGUMENT: 3,
  DST_ERR_MISSING_CLAIM: 4,
  DST_ERR_BUFFER_TOO_SMALL: 5,
  DST_ERR_MALFORMED_TOKEN: 6,
  DST_ERR_UNSUPPORTED_ALGORITHM: 7,
  DST_ERR_BAD_SIGNATURE: 8,
  DST_ERR_EXPIRED: 9,
  DST_ERR_NOT_YET_VALID: 10,
  DST_ERR_NOT_FOUND: 11,
  DST_ERR_WRONG_TYPE: 12,
  DST_ERR_INTERNAL: 13,
});
const STATUS_NAMES = Object.keys(Status);

/**
 * Every failure dstoken reports: `status` is the status name (e.g. "DST_ERR_EXPIRED"), `code`
 * its number, `message` the library's description naming the function and argument at fault.
 */
class DstokenError extends Error {
  constructor(status, message) {
    const code = typeof status === 'number' ? status : Status[status];
    const name = typeof status === 'number' ? (STATUS_NAMES[status] ?? `unknown status ${status}`) : status;
    super(message ? `${name}: ${message}` : name);
    this.name = 'DstokenError';
    this.status = name;
    this.code = code;
  }
}

function fail(status, message) {
  return new DstokenError(status, message);
}

// ---------------------------------------------------------------------------------------------
// The C functions this binding calls, as C prototypes. Both backends read this one table: the
// native one (native.js) hands each line to koffi, the WebAssembly one (wasm.js) reads the same
// line to convert the arguments; a C function added here is available in both.

const C_FUNCTIONS = {
  // The struct is passed as bytes laid out by fillStruct() (see there for why).
  mintInto: 'int dst_mint_into(const void *token, const void *key, uint8_t *buf, size_t cap, uint64_t *len_out)',
  mintUrl: 'int dst_mint_url(const void *token, const void *key, const char *team, _Out_ void **url_out)',
  version: 'const char *dst_version(void)',
  statusName: 'const char *dst_status_name(int status)',
  lastError: 'const char *dst_last_error_message(void)',
  stringFree: 'void dst_string_free(void *s)',
  keyNew: 'int dst_key_new(const uint8_t *secret, size_t len, _Out_ void **out)',
  keyFree: 'void dst_key_free(void *key)',
  claimsNew: 'void *dst_claims_new(void)',
  claimsFree: 'void dst_claims_free(void *claims)',
  setTeamId: 'int dst_claims_set_team_id(void *claims, const char *value)',
  setRoom: 'int dst_claims_set_room(void *claims, const char *value)',
  setUserName: 'int dst_claims_set_user_name(void *claims, const char *value)',
  setUserId: 'int dst_claims_set_user_id(void *claims, const char *value)',
  setInitials: 'int dst_claims_set_initials(void *claims, const char *value)',
  setRole: 'int dst_claims_set_role(void *claims, const char *value)',
  setBreakoutId: 'int dst_claims_set_breakout_id(void *claims, const char *value)',
  setAvatar: 'int dst_claims_set_avatar(void *claims, const char *value)',
  setIssuedAt: 'int dst_claims_set_issued_at(void *claims, int64_t t)',
  setNotBefore: 'int dst_claims_set_not_before(void *claims, int64_t t)',
  setExpiresAt: 'int dst_claims_set_expires_at(void *claims, int64_t t)',
  setJson: 'int dst_claims_set_json(void *claims, const char *name, const char *json)',
  toJson: 'int dst_claims_to_json(const void *claims, _Out_ void **out)',
  signInto: 'int dst_sign_into(const void *claims, const void *key, uint8_t *buf, size_t cap, uint64_t *len_out)',
  verify: 'int dst_verify(const char *token, const void *key, int64_t now, uint32_t leeway, _Out_ void **claims_out)',
  joinUrl: 'int dst_join_url(const char *team, const char *room, const char *token, _Out_ void **url_out)',
  joinUrlOpts: 'int dst_join_url_opts(const char *team, const char *room, const char *token, uint32_t flags, _Out_ void **url_out)',
};

// dst_room_token, version 2 (the struct only grows at the end; struct_size says which version).
const ROOM_TOKEN_FIELDS = [
  ['struct_size', 'size_t'], ['team_id', 'const char *'], ['room', 'const char *'], ['user_name', 'const char *'],
  ['user_id', 'const char *'], ['initials', 'const char *'], ['role', 'const char *'], ['breakout_id', 'const char *'],
  ['avatar', 'const char *'], ['issued_at', 'int64_t'], ['not_before', 'int64_t'], ['expires_at', 'int64_t'],
  ['lifetime_seconds', 'int64_t'], ['not_before_skew_seconds', 'int64_t'], ['now', 'int64_t'], ['no_expiry', 'bool'],
];

// ---------------------------------------------------------------------------------------------
// Choosing the backend. DSTOKEN_BACKEND=native: the C library through koffi (DSTOKEN_LIBRARY,
// else the copy bundled in this package, else the system's); =wasm: the WebAssembly core
// (DSTOKEN_WASM, else dstoken.wasm in this package) run by Node itself; unset or "auto": the
// native library when one loads, else the WebAssembly core.

function versionOk(v) {
  const want = PACKAGE_VERSION.split('.').slice(0, 2).join('.');
  return v.split('.').slice(0, 2).join('.') === want ? null : `library version ${v}, this package needs ${want}.x`;
}

function loadWasm() {
  const wasm = require('./wasm.js');
  const b = wasm.create(C_FUNCTIONS, { internal: (m) => new DstokenError(Status.DST_ERR_INTERNAL, m) });
  b.version = b.api.version();
  const why = versionOk(b.version);
  if (why) {
    const err = new Error(`dstoken: ${b.path}: ${why}`);
    err.code = 'DSTOKEN_LOAD_FAILED';
    throw err;
  }
  return b;
}

function load() {
  const choice = process.env.DSTOKEN_BACKEND || 'auto';
  if (choice === 'wasm') return loadWasm();
  if (choice !== 'native' && choice !== 'auto') {
    const err = new Error(`dstoken: DSTOKEN_BACKEND is "${choice}"; it must be native, wasm or auto (or unset)`);
    err.code = 'DSTOKEN_LOAD_FAILED';
    throw err;
  }
  try {
    return require('./native.js').create(C_FUNCTIONS, versionOk);
  } catch (e) {
    // An explicit library or backend that fails is an error, never a silent fallback.
    if (choice === 'native' || process.env.DSTOKEN_LIBRARY || e.code !== 'DSTOKEN_LOAD_FAILED') throw e;
    try {
      return loadWasm();
    } catch (w) {
      e.tried.push(`WebAssembly core: ${String(w.message).replace(/^dstoken: /, '')}`);
      e.message = `dstoken: cannot load the dstoken C library. Tried, in order:\n  - ${e.tried.join('\n  - ')}\n` +
        'Set DSTOKEN_LIBRARY=/absolute/path/to/libdstoken.so to choose a library explicitly, or install ' +
        'dstoken\'s system package (libdstoken.so.0.1 on the library path), or DSTOKEN_WASM=/path/to/dstoken.wasm.';
      throw e;
    }
  }
}

const loaded = load();
const N = loaded.api;
const B = loaded; // the backend: layout of dst_room_token, its string buffer, decodeString

// The library's messages name its C functions and fields (`dst_mint_into: ... lifetime_seconds`);
// the user called a JavaScript method with JavaScript names: say those instead.
const C_WORDS = [
  [/claim "td" \(team id\)/g, 'teamId (claim "td")'], [/claim "rd" \(room\)/g, 'room (claim "rd")'],
  [/\bteam_id\b/g, 'teamId'], [/\buser_name\b/g, 'userName'], [/\buser_id\b/g, 'userId'],
  [/\bbreakout_id\b/g, 'breakoutId'], [/\bissued_at\b/g, 'issuedAt'],
  [/\bnot_before_skew_seconds\b/g, 'notBeforeSkew'], [/\bskew_seconds\b/g, 'notBeforeSkew'],
  [/\bnot_before\b/g, 'notBefore'], [/\bexpires_at\b/g, 'expiresAt'], [/\blifetime_seconds\b/g, 'expiresIn'],
  [/\bno_expiry\b/g, 'noExpiry'], [/DST_URL_ALLOW_PORT \/ the binding's allow-port option/g, '{ allowPort: true }'], [/\bjson_text\b/g, 'the JSON text'], [/\bsecret\b/g, 'the key'],
];

function userMessage(op, message) {
  let m = String(message ?? '').replace(/^dst_[a-z_]+: /, '');
  for (const [re, js] of C_WORDS) m = m.replace(re, js);
  return `${op}: ${m}`;
}

// Throws for a failed status, with the library's message in the caller's words (`op` is the
// JavaScript method the user called, e.g. "mint" or "Claims.sign").
function check(status, op) {
  if (status !== 0) throw new DstokenError(status, userMessage(op, N.lastError()));
}

// Reads a library-owned string out of an out-pointer and frees it.
function takeString(ptr) {
  try {
    return B.decodeString(ptr);
  } finally {
    N.stringFree(ptr);
  }
}

// ---------------------------------------------------------------------------------------------
// Argument conversion: every value is checked here, so nothing silently changes on its way to C.

function str(value, what, { allowEmpty = true } = {}) {
  if (typeof value !== 'string') {
    throw new TypeError(`dstoken: ${what} must be a string, got ${describe(value)}`);
  }
  if (!value.isWellFormed()) {
    throw fail('DST_ERR_INVALID_UTF8', `${what} contains an unpaired UTF-16 surrogate, which has no UTF-8 form; fix the string`);
  }
  if (value.includes('\0')) {
    throw fail('DST_ERR_INVALID_ARGUMENT', `${what} contains U+0000, which a C string cannot carry; remove it`);
  }
  if (!allowEmpty && value.length === 0) {
    throw fail('DST_ERR_INVALID_ARGUMENT', `${what} must not be empty`);
  }
  return value;
}

function optStr(value, what, opts) {
  return value === undefined || value === null ? undefined : str(value, what, opts);
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

// A time or a count of seconds: a safe integer Number, a BigInt in int64 range, or (for
// instants) a Date, taken to whole seconds (rounded down).
function i64(value, what, { date = false } = {}) {
  if (date && value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw fail('DST_ERR_INVALID_ARGUMENT', `${what} is an invalid Date`);
    return Math.floor(ms / 1000);
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw fail('DST_ERR_INVALID_ARGUMENT',
        `${what} must be a whole number of seconds (a safe integer, or a BigInt), got ${value}`);
    }
    return value;
  }
  if (typeof value === 'bigint') {
    if (value < I64_MIN || value > I64_MAX) {
      throw fail('DST_ERR_INVALID_ARGUMENT', `${what} does not fit in a signed 64-bit integer`);
    }
    return value;
  }
  throw new TypeError(`dstoken: ${what} must be a number${date ? ', BigInt or Date' : ' or BigInt'}, got ${describe(value)}`);
}

// Signing-side time range: RFC 3339's years 1970..9999, in unix seconds (catches milliseconds).
const MAX_TIME = 253402300799;

function iso(t) {
  return new Date(Number(t) * 1000).toISOString().replace('.000Z', 'Z');
}

// A time a token will carry (or the "now" it is minted at): unix seconds in [0, MAX_TIME],
// returned as a Number.
function tokenTime(value, what) {
  // A whole Number beyond 2^53 is out of range rather than merely imprecise.
  const v = typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)
    ? value : i64(value, what, DATE_OK);
  if (v > MAX_TIME) {
    const ms = v / (typeof v === 'bigint' ? 1000n : 1000);
    const hint = ms <= MAX_TIME
      ? '; it looks like milliseconds (Date.now() counts milliseconds): pass seconds, Math.floor(ms / 1000), or a Date'
      : '';
    throw fail('DST_ERR_INVALID_ARGUMENT',
      `${what} is ${v}, after 9999-12-31T23:59:59Z (${MAX_TIME}), the latest time a token may carry${hint}`);
  }
  if (v < 0) {
    throw fail('DST_ERR_INVALID_ARGUMENT',
      `${what} is ${v}, before 1970-01-01T00:00:00Z; times are unix seconds from 0 to ${MAX_TIME}`);
  }
  return Number(v);
}

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

// expiresIn > 0, a fraction rounded up to whole seconds (a lifetime of 0 is refused, never a
// token without exp); at most MAX_TIME. Returned as a Number.
function lifetime(value, what) {
  let v = value;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw fail('DST_ERR_INVALID_ARGUMENT', `${what} must be a finite number of seconds, got ${v}`);
    v = Math.ceil(v);
  } else {
    v = i64(v, what);
  }
  if (v <= 0) throw fail('DST_ERR_INVALID_ARGUMENT', `${what} must be > 0 seconds, got ${value}`);
  if (v > MAX_TIME) {
    throw fail('DST_ERR_INVALID_ARGUMENT', `${what} is ${value} seconds, longer than any token may last (the latest expiry is 9999-12-31T23:59:59Z)`);
  }
  return Number(v);
}

// notBeforeSkew >= 0 whole seconds, at most MAX_TIME. Returned as a Number.
function skew(value, what) {
  const v = i64(value, what);
  if (v < 0) throw fail('DST_ERR_INVALID_ARGUMENT', `${what} must be >= 0 seconds, got ${v}`);
  if (v > MAX_TIME) throw fail('DST_ERR_INVALID_ARGUMENT', `${what} is ${v} seconds, more than the time range allows`);
  return Number(v);
}

function optBool(value, what) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new TypeError(`dstoken: ${what} must be true or false, got ${describe(value)}`);
  return value;
}

function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

// ---------------------------------------------------------------------------------------------
// Keys

const keyRegistry = new FinalizationRegistry((ptr) => N.keyFree(ptr));

function secretBytes(secret, what) {
  if (typeof secret === 'string') {
    return Buffer.from(str(secret, what), 'utf8');
  }
  if (ArrayBuffer.isView(secret)) {
    return new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength);
  }
  if (secret instanceof ArrayBuffer) return new Uint8Array(secret);
  throw new TypeError(`dstoken: ${what} must be a string, Buffer, Uint8Array or ArrayBuffer, got ${describe(secret)}`);
}

// keyPtr(key): the Key's native handle, or a DstokenError when it is closed. Set in Key's static
// block so that it reads the private field: unlike a method, it cannot be overridden, so no
// user code runs where it is called (between the scratch buffers being filled and the native
// call that reads them).
let keyPtr;

/**
 * An HS256 signing key (the team's developer key). Holds the native key (its precomputed HMAC
 * state); close() wipes and frees it, and a FinalizationRegistry frees it if you forget.
 */
class Key {
  #ptr;

  static {
    keyPtr = (key) => {
      if (!key.#ptr) throw fail('DST_ERR_INVALID_ARGUMENT', 'the Key is closed; make a new Key');
      return key.#ptr;
    };
  }

  constructor(secret) {
    const bytes = secretBytes(secret, 'Key secret');
    // dst_key_new refuses an empty key; it also refuses NULL, so never hand it a 0-length view's
    // possibly-null pointer.
    const buf = bytes.length === 0 ? Buffer.alloc(1) : bytes;
    const out = [null];
    try {
      check(N.keyNew(buf, bytes.length, out), 'new Key');
    } finally {
      // The UTF-8 copy of a string secret is this binding's own: wipe it (the string itself is
      // immutable and cannot be). Bytes the caller passed are the caller's, left as they are.
      if (typeof secret === 'string') bytes.fill(0);
    }
    this.#ptr = out[0];
    keyRegistry.register(this, this.#ptr, this);
  }

  /** Wipes and frees the native key. Idempotent. */
  close() {
    if (this.#ptr) {
      keyRegistry.unregister(this);
      const p = this.#ptr;
      this.#ptr = null;
      N.keyFree(p);
    }
  }

  [Symbol.dispose]() {
    this.close();
  }

  /** True after close(). */
  get closed() {
    return !this.#ptr;
  }

  /** @internal */
  _handle() {
    return keyPtr(this);
  }

  toString() {
    return this.#ptr ? 'Key(HS256)' : 'Key(closed)';
  }

  [Symbol.for('nodejs.util.inspect.custom')]() {
    return this.toString();
  }
}

// Runs fn with a Key: the one given, or a secret turned into a temporary Key. A closed Key is
// refused here, before any other check; fn still takes the native handle (keyPtr(key)) only in
// the argument list of the native call itself, after every step that can run user code
// (Date.now, which resolve() reads, may be replaced, and could close the Key): a handle taken
// earlier could be freed by then.
function withKey(key, fn) {
  if (key instanceof Key) {
    keyPtr(key);
    return fn(key);
  }
  if (typeof key === 'string' || ArrayBuffer.isView(key) || key instanceof ArrayBuffer) {
    const k = new Key(key);
    try {
      return fn(k);
    } finally {
      k.close();
    }
  }
  throw new TypeError(`dstoken: key must be a Key, a string or bytes, got ${describe(key)}`);
}

// ---------------------------------------------------------------------------------------------
// Signing into a reused buffer (dst_sign_into's size protocol)

let outBuf = Buffer.allocUnsafe(2048);
// size_t: 8 bytes natively (koffi's prebuilds are 64-bit); wasm32's 4-byte size_t is written into
// its low half, the high half staying 0 (wasm.js zeroes an output before the call).
const outLen = new BigUint64Array(1);

// Buffers grown past this are used once and dropped rather than kept for the next token.
const KEEP_BYTES = 65536;

function intoBuffer(op, call) {
  let st = call(outBuf, outBuf.length, outLen);
  if (st !== Status.DST_ERR_BUFFER_TOO_SMALL) {
    check(st, op);
    return outBuf.latin1Slice(0, Number(outLen[0]));
  }
  const need = Number(outLen[0]) + 1;
  const buf = Buffer.allocUnsafe(need);
  if (need <= KEEP_BYTES) outBuf = buf;
  st = call(buf, buf.length, outLen);
  check(st, op);
  return buf.latin1Slice(0, Number(outLen[0]));
}

// ---------------------------------------------------------------------------------------------
// The claims builder

const REGISTERED = new Set(['td', 'rd', 'u', 'ud', 'initials', 'role', 'breakoutId', 'avatar', 'iat', 'nbf', 'exp']);
const REGISTERED_METHOD = {
  td: 'teamId()', rd: 'room()', u: 'userName()', ud: 'userId()', initials: 'initials()', role: 'role()',
  breakoutId: 'breakoutId()', avatar: 'avatar()', iat: 'issuedAt()', nbf: 'notBefore()', exp: 'expiresAt()',
};

// JSON.stringify writes NaN and +/-Infinity as null: refuse them instead of changing the value.
function finiteOnly(key, value) {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw fail('DST_ERR_INVALID_ARGUMENT', `${value} has no JSON form (JSON.stringify would write null)`);
  }
  return value;
}

function jsonOf(value, what) {
  if (typeof value === 'bigint') return value.toString();
  let text;
  try {
    text = JSON.stringify(value, finiteOnly);
  } catch (e) {
    if (e instanceof DstokenError) throw fail('DST_ERR_INVALID_ARGUMENT', `${what}: ${e.message.replace(/^DST_ERR_INVALID_ARGUMENT: /, '')}`);
    throw new TypeError(`dstoken: ${what} cannot be written as JSON (${e.message})`);
  }
  if (text === undefined) throw new TypeError(`dstoken: ${what} cannot be written as JSON (${describe(value)})`);
  return text;
}

/**
 * A room token's claims, built by chaining. Values stay in JavaScript; sign() makes the token in
 * one native call (dst_mint) when there are no custom claims. A Claims may be signed any number
 * of times (relative times are recomputed from the clock each time) and reused as a template.
 */
class Claims {
  #f = {};
  #custom = new Map(); // name -> JSON text, in first-set order

  static #string(self, field, what, value, opts) {
    self.#f[field] = optStr(value, what, opts);
    return self;
  }

  /** `td`, the team id (required). */
  teamId(value) { return Claims.#string(this, 'teamId', 'teamId', value, { allowEmpty: false }); }
  /** `rd`, the room name or id (required). */
  room(value) { return Claims.#string(this, 'room', 'room', value, { allowEmpty: false }); }
  /** `u`, the user's display name. */
  userName(value) { return Claims.#string(this, 'userName', 'userName', value); }
  /** `ud`, the external user id. */
  userId(value) { return Claims.#string(this, 'userId', 'userId', value); }
  /** `initials`. */
  initials(value) { return Claims.#string(this, 'initials', 'initials', value); }
  /** `role`, e.g. "moderator". */
  role(value) { return Claims.#string(this, 'role', 'role', value); }
  /** `breakoutId`. */
  breakoutId(value) { return Claims.#string(this, 'breakoutId', 'breakoutId', value); }
  /** `avatar`, a picture URL. */
  avatar(value) { return Claims.#string(this, 'avatar', 'avatar', value); }

  static #time(self, field, value) {
    self.#f[field] = value === undefined || value === null ? undefined : tokenTime(value, field);
    return self;
  }

  /** `iat` (unix seconds, BigInt or Date). Not combinable with expiresIn()/validity(). */
  issuedAt(t) { return Claims.#time(this, 'issuedAt', t); }
  /** `nbf` (unix seconds, BigInt or Date). */
  notBefore(t) { return Claims.#time(this, 'notBefore', t); }
  /** `exp` (unix seconds, BigInt or Date). */
  expiresAt(t) { return Claims.#time(this, 'expiresAt', t); }

  /**
   * Signs without `exp`: a token that never expires. sign() refuses a token without an expiry
   * unless this is set (true by default; false or null clears it).
   */
  noExpiry(value = true) {
    this.#f.noExpiry = optBool(value, 'noExpiry');
    return this;
  }

  /** Relative mode: iat = now, exp = now + seconds (seconds > 0). */
  expiresIn(seconds) {
    this.#f.expiresIn = seconds === undefined || seconds === null ? undefined : lifetime(seconds, 'expiresIn');
    this.#f.notBeforeSkew = undefined;
    return this;
  }

  /** Relative mode: iat = now, nbf = now - skewSeconds, exp = now + lifetimeSeconds. */
  validity(skewSeconds, lifetimeSeconds) {
    const sk = skew(skewSeconds, 'validity skewSeconds');
    this.#f.expiresIn = lifetime(lifetimeSeconds, 'validity lifetimeSeconds');
    this.#f.notBeforeSkew = sk;
    return this;
  }

  /**
   * The time the token is minted at (default: the clock at each sign()): iat/exp of
   * expiresIn()/validity() count from it, and an expiresAt() at or before it is refused.
   */
  now(t) { return Claims.#time(this, 'now', t); }

  /** A custom claim: any JSON-serialisable value (a BigInt is written as an integer). */
  claim(name, value) {
    return this.claimJson(name, jsonOf(value, `claim "${name}"`));
  }

  /** A custom claim given as JSON text (validated and stored compactly by the library). */
  claimJson(name, jsonText) {
    str(name, 'claim name', { allowEmpty: false });
    if (REGISTERED.has(name)) {
      throw fail('DST_ERR_INVALID_ARGUMENT',
        `Claims.claim: "${name}" is a registered claim; set it with ${REGISTERED_METHOD[name]}, not as a custom claim`);
    }
    str(jsonText, `claim "${name}" JSON text`);
    this.#custom.set(name, jsonText);
    return this;
  }

  /** Removes a custom claim; returns whether it was present. */
  removeClaim(name) {
    return this.#custom.delete(name);
  }

  /** A copy that can be changed independently. */
  clone() {
    const c = new Claims();
    c.#f = { ...this.#f };
    c.#custom = new Map(this.#custom);
    return c;
  }

  /** The builder's fields as a plain object (the mint() fields, plus `claims` for custom ones). */
  toObject() {
    const o = {};
    for (const [k, v] of Object.entries(this.#f)) if (v !== undefined) o[k] = v;
    if (this.#custom.size) o.claims = Object.fromEntries([...this.#custom].map(([k, v]) => [k, JSON.parse(v)]));
    return o;
  }

  // For the tests: the table of native functions (calls go through it, so they can be counted).
  static _native() {
    return N;
  }

  // For the tests: the backend (native.js or wasm.js).
  static _backend() {
    return B;
  }

  // For the tests: sign through the dst_claims path even without custom claims.
  static _signViaClaims(claims, key) {
    return withKey(key, (k) => signClaims('Claims.sign', claims.#f, claims.#custom, k));
  }

  /** Signs with `key`; see sign(). */
  sign(key) {
    return withKey(key, (k) => (this.#custom.size === 0
      ? mintNative('Claims.sign', this.#f, k) : signClaims('Claims.sign', this.#f, this.#custom, k)));
  }
}

// The dst_claims path (needed for custom claims): one native call per claim, then dst_sign_into.
function signClaims(op, f, custom, k) {
  const t = resolve(op, f);
  const c = N.claimsNew();
  if (!c) throw new DstokenError(Status.DST_ERR_INTERNAL, userMessage(op, N.lastError()));
  try {
    if (f.teamId !== undefined) check(N.setTeamId(c, f.teamId), op);
    if (f.room !== undefined) check(N.setRoom(c, f.room), op);
    if (f.userName !== undefined) check(N.setUserName(c, f.userName), op);
    if (f.userId !== undefined) check(N.setUserId(c, f.userId), op);
    if (f.initials !== undefined) check(N.setInitials(c, f.initials), op);
    if (f.role !== undefined) check(N.setRole(c, f.role), op);
    if (f.breakoutId !== undefined) check(N.setBreakoutId(c, f.breakoutId), op);
    if (f.avatar !== undefined) check(N.setAvatar(c, f.avatar), op);
    if (t.iat !== undefined) check(N.setIssuedAt(c, t.iat), op);
    if (t.nbf !== undefined) check(N.setNotBefore(c, t.nbf), op);
    if (t.exp !== undefined) check(N.setExpiresAt(c, t.exp), op);
    for (const [name, json] of custom) check(N.setJson(c, name, json), op);
    return intoBuffer(op, (buf, cap, len) => N.signInto(c, keyPtr(k), buf, cap, len));
  } finally {
    N.claimsFree(c);
  }
}

function setter(op, field) {
  return op === 'Claims.sign' ? `${field}()` : field;
}

// The rules every mint and sign applies before the library is called, so that the messages name
// the JavaScript method and fields: explicit times (issuedAt/notBefore/expiresAt) exclude
// relative ones (expiresIn/validity/notBeforeSkew); teamId and room are required; an expiry is
// required unless noExpiry is set; times stay in [0, MAX_TIME]; a token is not minted already
// expired. Returns the token's times { iat, nbf, exp, now } (Numbers or undefined; `now` is the
// minting time the relative times were computed from, or the clock).
function resolve(op, f) {
  const explicit = f.issuedAt !== undefined || f.notBefore !== undefined || f.expiresAt !== undefined;
  const relative = f.expiresIn !== undefined || f.notBeforeSkew !== undefined;
  const claims = op === 'Claims.sign';
  if (relative && explicit) {
    throw fail('DST_ERR_INVALID_ARGUMENT', `${op}: explicit times (${claims ? 'issuedAt()/notBefore()/expiresAt()' : 'issuedAt/notBefore/expiresAt'}) ` +
      `and relative times (${claims ? 'expiresIn()/validity()' : 'expiresIn/notBeforeSkew'}) exclude each other; use one or the other`);
  }
  if (f.notBeforeSkew !== undefined && f.expiresIn === undefined) {
    throw fail('DST_ERR_INVALID_ARGUMENT', `${op}: notBeforeSkew needs expiresIn (relative mode); for an explicit nbf set notBefore`);
  }
  for (const field of ['teamId', 'room']) {
    if (f[field] === undefined) {
      throw fail('DST_ERR_MISSING_CLAIM', `${op}: ${field} (claim "${field === 'teamId' ? 'td' : 'rd'}") is required; set ${setter(op, field)}`);
    }
  }
  const hasExpiry = f.expiresAt !== undefined || f.expiresIn !== undefined;
  if (!hasExpiry && !f.noExpiry) {
    throw fail('DST_ERR_INVALID_ARGUMENT', claims
      ? `${op}: the token has no expiry; call expiresIn(seconds), validity() or expiresAt(), or noExpiry() to sign a token that never expires`
      : `${op}: the token has no expiry; set expiresIn (seconds) or expiresAt, or noExpiry: true to sign a token that never expires`);
  }
  if (hasExpiry && f.noExpiry) {
    throw fail('DST_ERR_INVALID_ARGUMENT', `${op}: noExpiry is set but so is an expiry (${f.expiresIn !== undefined ? 'expiresIn' : 'expiresAt'}); set one or the other`);
  }
  const now = f.now || nowSeconds(); // a now of 0 is the system clock, as in every front end
  if (relative) {
    const exp = now + f.expiresIn;
    if (exp > MAX_TIME) {
      throw fail('DST_ERR_INVALID_ARGUMENT', `${op}: now (${now}) + expiresIn (${f.expiresIn}) is after 9999-12-31T23:59:59Z, the latest time a token may carry`);
    }
    const skew = f.notBeforeSkew ?? 0;
    if (now - skew < 0) {
      throw fail('DST_ERR_INVALID_ARGUMENT', `${op}: now (${now}) - notBeforeSkew (${skew}) is before 1970-01-01T00:00:00Z`);
    }
    return { iat: now, nbf: skew === 0 ? undefined : now - skew, exp, now, relative };
  }
  const { issuedAt: iat, notBefore: nbf, expiresAt: exp } = f;
  if (exp !== undefined) {
    for (const [t, name] of [[nbf, 'notBefore'], [iat, 'issuedAt']]) {
      if (t !== undefined && exp < t) {
        throw fail('DST_ERR_INVALID_ARGUMENT', `${op}: expiresAt (${exp}) is earlier than ${name} (${t})`);
      }
    }
    if (exp <= now) {
      throw fail('DST_ERR_INVALID_ARGUMENT',
        `${op}: the token would be expired when minted: expiresAt is ${exp} (${iso(exp)}), not after now ${now} (${iso(now)}${!f.now ? ', the clock' : ''}); ` +
        'set an expiresAt in the future, or expiresIn (seconds)');
    }
  }
  return { iat, nbf, exp, now, relative };
}

// ---------------------------------------------------------------------------------------------
// One-call mint

const MINT_FIELDS = {
  teamId: 'str', room: 'str', userName: 'str', userId: 'str', initials: 'str', role: 'str',
  breakoutId: 'str', avatar: 'str', issuedAt: 'time', notBefore: 'time', expiresAt: 'time',
  expiresIn: 'int', notBeforeSkew: 'int', now: 'time', noExpiry: 'bool',
};

function mintFields(fields, op) {
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
    throw new TypeError(`dstoken: ${op} fields must be an object, got ${describe(fields)}`);
  }
  for (const k in fields) {
    if (!Object.hasOwn(MINT_FIELDS, k)) {
      throw fail('DST_ERR_INVALID_ARGUMENT',
        `${op}: unknown field "${k}"; the fields are ${Object.keys(MINT_FIELDS).join(', ')} (custom claims need a Claims builder)`);
    }
  }
  // One fixed shape, so the hot path stays monomorphic.
  return {
    teamId: optStr(fields.teamId, 'teamId', NON_EMPTY),
    room: optStr(fields.room, 'room', NON_EMPTY),
    userName: optStr(fields.userName, 'userName'),
    userId: optStr(fields.userId, 'userId'),
    initials: optStr(fields.initials, 'initials'),
    role: optStr(fields.role, 'role'),
    breakoutId: optStr(fields.breakoutId, 'breakoutId'),
    avatar: optStr(fields.avatar, 'avatar'),
    issuedAt: optTime(fields.issuedAt, 'issuedAt'),
    notBefore: optTime(fields.notBefore, 'notBefore'),
    expiresAt: optTime(fields.expiresAt, 'expiresAt'),
    expiresIn: fields.expiresIn === undefined || fields.expiresIn === null ? undefined : lifetime(fields.expiresIn, 'expiresIn'),
    notBeforeSkew: fields.notBeforeSkew === undefined || fields.notBeforeSkew === null ? undefined : skew(fields.notBeforeSkew, 'notBeforeSkew'),
    now: optTime(fields.now, 'now'),
    noExpiry: optBool(fields.noExpiry, 'noExpiry'),
  };
}

const NON_EMPTY = { allowEmpty: false };

function optTime(value, what) {
  return value === undefined || value === null ? undefined : tokenTime(value, what);
}
const DATE_OK = { date: true };

/**
 * Mints a room token in one native call. `fields`: teamId and room (required), userName,
 * userId, initials, role, breakoutId, avatar; an expiry, either relative (expiresIn seconds,
 * optional notBeforeSkew seconds) or explicit (expiresAt, optional issuedAt, notBefore), or
 * noExpiry: true for a token that never expires; optional now (the minting time, default the
 * clock).
 */
function mint(fields, key) {
  const f = mintFields(fields, 'mint');
  return withKey(key, (k) => mintNative('mint', f, k));
}

/**
 * Mints a room token and returns its join URL (`team` and `options` as in joinUrl()); one
 * native call without options.
 */
function mintUrl(fields, key, team, options) {
  const f = mintFields(fields, 'mintUrl');
  str(team, 'team');
  const flags = urlFlags(options, 'mintUrl');
  return withKey(key, (k) => (flags === 0
    ? mintUrlNative('mintUrl', f, k, team)
    : joinUrlAs('mintUrl', team, f.room, mintNative('mintUrl', f, k), flags)));
}

// The one-call mint's struct, laid out by hand in a reused buffer: koffi's conversion of a JS
// object with eight string members costs about twice the mint itself, while writing the
// strings' UTF-8 into one scratch buffer and their addresses into the struct costs a fraction.
// Layout, size and the string buffer come from the backend (B): koffi's own description of
// dst_room_token and a non-pooled buffer V8 never moves (native), or the wasm32 layout and a
// block of the module's memory (wasm); either is used only for the duration of one synchronous
// call, and each isolate (worker) has its own.
const ROOM_TOKEN = B.roomToken(ROOM_TOKEN_FIELDS);
const ROOM_TOKEN_SIZE = ROOM_TOKEN.size;
const STRING_SLOTS = ['team_id', 'room', 'user_name', 'user_id', 'initials', 'role', 'breakout_id', 'avatar']
  .map((m) => ROOM_TOKEN.offsets[m]);
const [OFF_IAT, OFF_NBF, OFF_EXP, OFF_LIFE, OFF_SKEW, OFF_NOW, OFF_NO_EXPIRY] =
  ['issued_at', 'not_before', 'expires_at', 'lifetime_seconds', 'not_before_skew_seconds', 'now', 'no_expiry']
    .map((m) => ROOM_TOKEN.offsets[m]);
const PTR_SIZE = B.ptrSize;
const structBuf = Buffer.allocUnsafeSlow(ROOM_TOKEN_SIZE).fill(0);
const structView = new DataView(structBuf.buffer, structBuf.byteOffset, ROOM_TOKEN_SIZE);
const TWO32 = 2 ** 32;

function putWord(slot, v) {
  // v: a safe integer (an address, a count or a time) or an int64 BigInt; little-endian.
  if (typeof v === 'bigint') {
    structView.setBigInt64(slot, v, true);
  } else {
    const hi = Math.floor(v / TWO32);
    structView.setUint32(slot, v - hi * TWO32, true);
    structView.setInt32(slot + 4, hi, true);
  }
}

// A pointer or size_t member: 8 bytes (native) or 4 (wasm32).
function putPtr(slot, v) {
  if (PTR_SIZE === 4) structView.setUint32(slot, v, true);
  else putWord(slot, v);
}

function fillStruct(f, t) {
  const strings = [f.teamId, f.room, f.userName, f.userId, f.initials, f.role, f.breakoutId, f.avatar];
  let need = 0;
  for (const v of strings) if (v !== undefined) need += v.length * 3 + 1; // UTF-8 bound per UTF-16 unit
  // Stays referenced by the backend through the native call; releaseStrings() drops a large one after.
  const { buf: strBuf, base: strBase } = B.strings(need);
  putPtr(0, ROOM_TOKEN_SIZE);
  let off = 0;
  for (let i = 0; i < 8; i++) {
    const v = strings[i];
    if (v === undefined) {
      putPtr(STRING_SLOTS[i], 0);
    } else {
      putPtr(STRING_SLOTS[i], strBase + off);
      off += strBuf.write(v, off, 'utf8'); // exact: checked well-formed and NUL-free
      strBuf[off++] = 0;
    }
  }
  if (t.relative) {
    putWord(OFF_IAT, 0);
    putWord(OFF_NBF, 0);
    putWord(OFF_EXP, 0);
    putWord(OFF_LIFE, f.expiresIn);
    putWord(OFF_SKEW, f.notBeforeSkew ?? 0);
    putWord(OFF_NOW, t.now); // the now the checks used
  } else {
    putWord(OFF_IAT, t.iat ?? 0);
    putWord(OFF_NBF, t.nbf ?? 0);
    putWord(OFF_EXP, t.exp ?? 0);
    putWord(OFF_LIFE, 0);
    putWord(OFF_SKEW, 0);
    putWord(OFF_NOW, t.now); // the time exp must be after, as checked here
  }
  structBuf[OFF_NO_EXPIRY] = f.noExpiry ? 1 : 0;
  return structBuf;
}

// After a call: a string buffer grown past KEEP_BYTES is not kept.
function releaseStrings() {
  B.releaseStrings();
}

// dst_room_token reads 0 as "absent" (and now = 0 as "the clock"); a time of exactly 0 goes
// through the dst_claims path instead, which can express it.
const NO_CUSTOM = new Map();
function mintable(t) {
  return t.now !== 0 && !(t.iat === 0 || t.nbf === 0 || t.exp === 0);
}

// Signs mint fields (no custom claims): one native call, dst_mint_into into the reused buffer.
function mintNative(op, f, k) {
  const t = resolve(op, f);
  if (!mintable(t)) return signClaims(op, f, NO_CUSTOM, k);
  const s = fillStruct(f, t);
  try {
    return intoBuffer(op, (buf, cap, len) => N.mintInto(s, keyPtr(k), buf, cap, len));
  } finally {
    releaseStrings();
  }
}

function mintUrlNative(op, f, k, team) {
  const t = resolve(op, f);
  if (!mintable(t)) return joinUrlAs(op, team, f.room, signClaims(op, f, NO_CUSTOM, k));
  const out = [null];
  try {
    check(N.mintUrl(fillStruct(f, t), keyPtr(k), team, out), op);
  } finally {
    releaseStrings();
  }
  return takeString(out[0]);
}

// ---------------------------------------------------------------------------------------------
// Top-level API

/** Signs `claims` (a Claims) with `key` (a Key, or the developer key as string/bytes). */
function sign(claims, key) {
  if (!(claims instanceof Claims)) {
    throw new TypeError(`dstoken: sign() needs a Claims (or use mint() with an object), got ${describe(claims)}`);
  }
  return claims.sign(key);
}

/**
 * Verifies a token and returns its claims as a plain object. Options: `now` (unix seconds,
 * default the clock), `leeway` (seconds, default 0).
 */
function verify(token, key, options = {}) {
  str(token, 'token');
  if (/^https?:\/\//i.test(token) || token.includes('?token=')) {
    throw fail('DST_ERR_MALFORMED_TOKEN',
      'verify: this is a URL, not a token; pass the token alone (a join URL carries it in its token parameter: ' +
      "new URL(url).searchParams.get('token'))");
  }
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`dstoken: verify options must be an object, got ${describe(options)}`);
  }
  const now = options.now === undefined ? nowSeconds() : i64(options.now, 'now', { date: true });
  const leeway = options.leeway ?? 0;
  if (!Number.isInteger(leeway) || leeway < 0 || leeway > 0xffffffff) {
    throw fail('DST_ERR_INVALID_ARGUMENT', `leeway must be a whole number of seconds from 0 to 4294967295, got ${leeway}`);
  }
  return withKey(key, (k) => {
    const out = verifyOut;
    // A now of 0 is the clock (the library's reading, which the WebAssembly core, having no
    // clock, cannot make: it is read here for both backends).
    check(N.verify(token, keyPtr(k), now || nowSeconds(), leeway, out), 'verify');
    N.claimsFree(out[0]);
    out[0] = null;
    // The library has checked the token strictly (base64url, UTF-8, one JSON object without
    // duplicate names, the signature): its payload segment is the claims' JSON exactly as
    // written, so it is decoded here rather than re-serialised by the library (two native
    // calls and a string copy fewer).
    return JSON.parse(Buffer.from(token.slice(token.indexOf('.') + 1, token.lastIndexOf('.')), 'base64url').toString('utf8'));
  });
}
const verifyOut = [null];
/**
 * The URL that opens a room: https://<team>.digitalsamba.com/<room>?token=<token>, where
 * `team` is the team's subdomain, or (with a dot) its custom domain, lowercased. `token` may be
 * omitted for a public room. `options.allowPort: true` accepts a custom domain with a port
 * (`meet.example.com:8443`), which is refused otherwise.
 */
function joinUrl(team, room, token, options) {
  return joinUrlAs('joinUrl', team, room, token, urlFlags(options, 'joinUrl'));
}

const URL_ALLOW_PORT = 1; // DST_URL_ALLOW_PORT

function urlFlags(options, op) {
  if (options === undefined || options === null) return 0;
  if (typeof options !== 'object') throw new TypeError(`dstoken: ${op} options must be an object, got ${describe(options)}`);
  for (const k in options) {
    if (k !== 'allowPort') throw fail('DST_ERR_INVALID_ARGUMENT', `${op}: unknown option "${k}"; the option is allowPort`);
  }
  return optBool(options.allowPort, 'allowPort') ? URL_ALLOW_PORT : 0;
}

function joinUrlAs(op, team, room, token, flags = 0) {
  str(team, 'team');
  str(room, 'room');
  const t = optStr(token, 'token');
  const out = [null];
  check(flags === 0 ? N.joinUrl(team, room, t ?? null, out) : N.joinUrlOpts(team, room, t ?? null, flags, out), op);
  return takeString(out[0]);
}

/** The native library's version, e.g. "0.1.0". */
function libraryVersion() {
  return loaded.version;
}

/**
 * Where the library was loaded from: { path, source, version, backend }. backend is "native"
 * (the C library through koffi; source "DSTOKEN_LIBRARY", "bundled" or "system library path")
 * or "wasm" (the WebAssembly core; source "DSTOKEN_WASM" or "bundled wasm").
 */
function libraryInfo() {
  return { path: loaded.path, source: loaded.source, version: loaded.version, backend: loaded.kind };
}

module.exports = {
  Claims,
  DstokenError,
  Key,
  Status,
  joinUrl,
  libraryInfo,
  libraryVersion,
  mint,
  mintUrl,
  sign,
  verify,
  version: PACKAGE_VERSION,
};
