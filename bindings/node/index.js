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
// Statuses and errors. The library reports every failure as data (dst_last_error(): status,
// reason, argument, numbers, a claim name and a text); this binding words it with the message
// templates and the Node spellings of schema.js, generated from schema/dstoken.json.

const SCHEMA = require('./schema.js');

/** dst_status values by name (numbers are stable, only appended to). */
const Status = Object.freeze(Object.fromEntries(SCHEMA.STATUSES.map((s, i) => [s === 'OK' ? 'DST_OK' : `DST_ERR_${s}`, i])));
const STATUS_NAMES = Object.keys(Status);

/**
 * Every failure dstoken reports. `code` is a stable string (`'ERR_DSTOKEN_EXPIRED'`, as jose's
 * `'ERR_JWT_EXPIRED'`), `status` the status name (`'DST_ERR_EXPIRED'`) and `statusNumber` its
 * number; `reason` says which rule refused (`'EXPIRED'`, a reason of schema/dstoken.json, or
 * `'NONE'`), `argument` the option, field or method at fault as this API spells it, and,
 * where the reason has them: `other` (a second argument), `claim` (a claim's JSON name),
 * `text`, `value`, `limit`, `suggested` (numbers) and `time` (a Date).
 */
class DstokenError extends Error {
  constructor(status, message, parts = {}) {
    const number = typeof status === 'number' ? status : Status[status];
    const name = STATUS_NAMES[number] ?? `unknown status ${status}`;
    super(message || name);
    this.name = new.target.name;
    this.code = `ERR_DSTOKEN_${name.replace(/^DST_(ERR_)?/, '')}`;
    this.status = name;
    this.statusNumber = number;
    this.reason = parts.reason ?? 'NONE';
    this.argument = parts.argument ?? '';
    for (const k of ['other', 'claim', 'text', 'value', 'limit', 'suggested', 'time']) {
      if (parts[k] !== undefined) this[k] = parts[k];
    }
  }
}

// A subclass per status a caller tells apart, named as jsonwebtoken's where it has one (with
// its date field); index.d.ts documents each.
const CLASSES = {};
for (const [status, name, dateField] of [
  ['EXPIRED', 'TokenExpiredError', 'expiredAt'], ['NOT_YET_VALID', 'NotBeforeError', 'date'],
  ['BAD_SIGNATURE', 'InvalidSignatureError'], ['MALFORMED_TOKEN', 'MalformedTokenError'],
  ['UNSUPPORTED_ALGORITHM', 'UnsupportedAlgorithmError'], ['MISSING_CLAIM', 'MissingClaimError'],
  ['CLAIM_MISMATCH', 'ClaimMismatchError'], ['INVALID_ARGUMENT', 'InvalidArgumentError'],
]) {
  CLASSES[`DST_ERR_${status}`] = { [name]: class extends DstokenError {
    constructor(st, message, parts = {}) {
      super(st, message, parts);
      if (dateField) this[dateField] = parts.time;
    }
  } }[name];
}
CLASSES.DST_ERR_NULL_ARGUMENT = CLASSES.DST_ERR_INVALID_UTF8 = CLASSES.DST_ERR_INVALID_ARGUMENT;
const {
  DST_ERR_EXPIRED: TokenExpiredError, DST_ERR_NOT_YET_VALID: NotBeforeError, DST_ERR_BAD_SIGNATURE: InvalidSignatureError,
  DST_ERR_MALFORMED_TOKEN: MalformedTokenError, DST_ERR_UNSUPPORTED_ALGORITHM: UnsupportedAlgorithmError,
  DST_ERR_MISSING_CLAIM: MissingClaimError, DST_ERR_CLAIM_MISMATCH: ClaimMismatchError, DST_ERR_INVALID_ARGUMENT: InvalidArgumentError,
} = CLASSES;

// An error of the class its status calls for.
function makeError(status, message, parts) {
  const C = CLASSES[STATUS_NAMES[status] ?? status] ?? DstokenError;
  return new C(status, message, parts);
}

// An error this binding finds in a value before it reaches C (a NUL, an unpaired surrogate,
// a number C cannot hold): `argument` spelled as the user wrote it.
function fail(status, argument, message) {
  return makeError(Status[status], `${argument}: ${message}`, { argument });
}

// RFC 3339 UTC, whole seconds.
function rfc3339(t) {
  const d = new Date(Number(t) * 1000);
  return Number.isNaN(d.getTime()) ? String(t) : d.toISOString().replace('.000Z', 'Z');
}

// 93784 -> "1 d 2 h 3 min 4 s": leading zero units left out, seconds always.
function span(s) {
  let n = Math.abs(Number(s));
  const parts = [];
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['min', 60]]) {
    const q = Math.floor(n / size);
    n -= q * size;
    if (q || parts.length) parts.push(`${q} ${unit}`);
  }
  parts.push(`${n} s`);
  return (Number(s) < 0 ? '-' : '') + parts.join(' ');
}

// dst_error's parts, read into an error object worded from the reason's template.
function errorFrom(e, op) {
  const [reason, template, numbers] = SCHEMA.REASONS[e.reason] ?? ['NONE', '', []];
  const arg = SCHEMA.ARGUMENTS[e.argument] ?? '';
  const other = e.other ? SCHEMA.ARGUMENTS[e.other] : undefined;
  const text = reason === 'NONE' ? STATUS_NAMES[e.status] ?? `status ${e.status}` : template.replace(
    /\{(\w+)(?::(\w+))?\}/g, (_, field, fmt) => {
      if (field === 'arg') return arg;
      if (field === 'other') return other ?? '';
      if (field === 'name' || field === 'text') return e[field];
      const v = e[field];
      if (fmt === 'time') return rfc3339(v);
      if (fmt === 'span') return span(v);
      if (fmt === 'type') return SCHEMA.TYPES[Number(v)] ?? `type ${v}`;
      return String(v);
    });
  const parts = { reason, argument: arg, other };
  if (e.name) parts.claim = e.name;
  if (e.text) parts.text = e.text;
  for (const k of numbers) parts[k] = k === 'time' ? new Date(Number(e.time) * 1000) : e[k];
  return makeError(e.status, `${op}: ${text}`, parts);
}

// ---------------------------------------------------------------------------------------------
// The C functions this binding calls, as C prototypes. Both backends read this one table: the
// native one (native.js) hands each line to koffi, the WebAssembly one (wasm.js) reads the same
// line to convert the arguments; a C function added here is available in both. Structs are
// passed as bytes laid out by layout() (see fillRoomToken() for why).

const C_FUNCTIONS = {
  mintInto: 'int dst_mint_into(const void *token, const void *key, uint8_t *buf, size_t cap, uint64_t *len_out)',
  mintUrl: 'int dst_mint_url(const void *token, const void *key, const char *team, _Out_ void **url_out)',
  version: 'const char *dst_version(void)',
  statusName: 'const char *dst_status_name(int status)',
  lastError: 'bool dst_last_error(_Inout_ uint8_t *out)',
  stringFree: 'void dst_string_free(void *s)',
  keyNew: 'int dst_key_new(const uint8_t *secret, size_t len, _Out_ void **out)',
  keyNewText: 'int dst_key_new_text(const uint8_t *text, size_t len, _Out_ void **out)',
  keyFree: 'void dst_key_free(void *key)',
  claimsNew: 'void *dst_claims_new(void)',
  claimsFree: 'void dst_claims_free(void *claims)',
  setIssuedAt: 'int dst_claims_set_issued_at(void *claims, int64_t t)',
  setNotBefore: 'int dst_claims_set_not_before(void *claims, int64_t t)',
  setCustomJson: 'int dst_claims_set_custom_json(void *claims, const char *name, const char *json_text)',
  toJson: 'int dst_claims_to_json(const void *claims, _Out_ void **out)',
  signInto: 'int dst_sign_into(const void *claims, const void *key, uint8_t *buf, size_t cap, uint64_t *len_out)',
  verifyOpts: 'int dst_verify_opts(const char *token, const void *key, const void *options, _Out_ void **claims_out)',
  decodeUnverified: 'int dst_decode_unverified(const char *token, _Out_ void **header_out, _Out_ void **claims_out)',
  joinUrl: 'int dst_join_url(const char *team, const char *room, const char *token, _Out_ void **url_out)',
  joinUrlOpts: 'int dst_join_url_opts(const char *team, const char *room, const char *token, uint32_t flags, _Out_ void **url_out)',
};

// The structs this binding lays out itself, as [member, C type] in declaration order.
// dst_room_token, version 3 (the struct only grows at the end; struct_size says which version).
const ROOM_TOKEN_FIELDS = [
  ['struct_size', 'size_t'], ['team_id', 'ptr'], ['room', 'ptr'], ['user_name', 'ptr'],
  ['user_id', 'ptr'], ['initials', 'ptr'], ['role', 'ptr'], ['breakout_id', 'ptr'],
  ['avatar', 'ptr'], ['issued_at', 'int64_t'], ['not_before', 'int64_t'], ['expires_at', 'int64_t'],
  ['lifetime_seconds', 'int64_t'], ['not_before_skew_seconds', 'int64_t'], ['now', 'int64_t'], ['no_expiry', 'bool'],
  ['max_lifetime_seconds', 'int64_t'], ['lifetime_nanos', 'uint32_t'],
];
const VERIFY_OPTIONS_FIELDS = [
  ['struct_size', 'size_t'], ['now', 'int64_t'], ['leeway_seconds', 'uint32_t'], ['exp_optional', 'bool'],
  ['team_id', 'ptr'], ['room', 'ptr'], ['required', 'ptr'], ['required_len', 'size_t'],
];
const ERROR_FIELDS = [
  ['struct_size', 'size_t'], ['status', 'int32_t'], ['reason', 'uint32_t'], ['argument', 'uint32_t'],
  ['other', 'uint32_t'], ['value', 'int64_t'], ['limit', 'int64_t'], ['time', 'int64_t'], ['suggested', 'int64_t'],
  ['name', 'char[128]'], ['text', 'char[256]'],
];

// C layout (natural alignment, as every C ABI the backends run on uses) for pointers and
// size_t of ptrSize bytes: { size, offsets }.
function layout(fields, ptrSize) {
  const offsets = {};
  let off = 0;
  let align = 1;
  for (const [name, type] of fields) {
    const arr = /^char\[(\d+)\]$/.exec(type);
    const size = arr ? Number(arr[1]) : { size_t: ptrSize, ptr: ptrSize, int64_t: 8, int32_t: 4, uint32_t: 4, bool: 1 }[type];
    const a = arr ? 1 : size;
    off = Math.ceil(off / a) * a;
    offsets[name] = off;
    off += size;
    align = Math.max(align, a);
  }
  return { size: Math.ceil(off / align) * align, offsets };
}

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
  const b = wasm.create(C_FUNCTIONS, { internal: (m) => makeError(Status.DST_ERR_INTERNAL, m, { reason: 'INTERNAL' }) });
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
const B = loaded; // the backend: its string buffer, pointer size, decodeString
const PTR_SIZE = B.ptrSize;

// dst_last_error() into a reused buffer, its struct_size set once.
const ERR = layout(ERROR_FIELDS, PTR_SIZE);
const errBuf = Buffer.alloc(ERR.size);
const errView = new DataView(errBuf.buffer, errBuf.byteOffset, ERR.size);

function cString(off, cap) {
  const end = errBuf.indexOf(0, off);
  return errBuf.toString('utf8', off, end < 0 || end > off + cap ? off + cap : end);
}

function i64At(off) {
  const v = errView.getBigInt64(off, true);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

// The error of the call that just failed (`op` is the JavaScript function the user called).
function lastError(op) {
  errBuf.fill(0);
  putSize(errView, 0, ERR.size);
  if (!N.lastError(errBuf)) return makeError(Status.DST_ERR_INTERNAL, `${op}: the library reported no error`, {});
  const o = ERR.offsets;
  return errorFrom({
    status: errView.getInt32(o.status, true), reason: errView.getUint32(o.reason, true),
    argument: errView.getUint32(o.argument, true), other: errView.getUint32(o.other, true),
    value: i64At(o.value), limit: i64At(o.limit), time: i64At(o.time), suggested: i64At(o.suggested),
    name: cString(o.name, 128), text: cString(o.text, 256),
  }, op);
}

function check(status, op) {
  if (status !== 0) throw lastError(op);
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
// Value conversion: each JavaScript value is checked for what C cannot carry unchanged (its
// type, a NUL, an unpaired surrogate, a number outside int64 or with a fraction); every rule
// about the values themselves is the library's.

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

function str(value, what) {
  if (typeof value !== 'string') {
    throw new TypeError(`dstoken: ${what} must be a string, got ${describe(value)}`);
  }
  if (!value.isWellFormed()) {
    throw fail('DST_ERR_INVALID_UTF8', what, 'contains an unpaired UTF-16 surrogate, which has no UTF-8 form; fix the string');
  }
  if (value.includes('\0')) {
    throw fail('DST_ERR_INVALID_ARGUMENT', what, 'contains U+0000 (a NUL character), which the native library cannot take; remove it');
  }
  return value;
}

function optStr(value, what) {
  return value === undefined || value === null ? undefined : str(value, what);
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// A whole number of seconds for an int64_t: an integer Number (a BigInt when beyond 2^53), a
// BigInt in range, or (for instants) a Date, taken to whole seconds (rounded down).
function i64(value, what, date = false) {
  if (date && value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw fail('DST_ERR_INVALID_ARGUMENT', what, 'is an invalid Date');
    return Math.floor(ms / 1000);
  }
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value;
    if (Number.isInteger(value)) value = BigInt(value);
    else throw fail('DST_ERR_INVALID_ARGUMENT', what, `must be a whole number of seconds, got ${value}`);
  }
  if (typeof value === 'bigint') {
    if (value < I64_MIN || value > I64_MAX) throw fail('DST_ERR_INVALID_ARGUMENT', what, `${value} does not fit in a signed 64-bit integer`);
    return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value;
  }
  throw new TypeError(`dstoken: ${what} must be a number${date ? ', BigInt or Date' : ' or BigInt'}, got ${describe(value)}`);
}

function optTime(value, what) {
  return value === undefined || value === null ? undefined : i64(value, what, true);
}

function optInt(value, what) {
  return value === undefined || value === null ? undefined : i64(value, what);
}

// jsonwebtoken's duration strings ('1h', '30m', '2d', '10s', '1.5 hours'), in seconds; a
// number string is seconds.
const UNITS = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31557600 };
const DURATION = /^(-?(?:\d+(?:\.\d*)?|\.\d+))\s*(ms|msecs?|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|y|yrs?|years?)?$/i;

// A lifetime: { seconds, nanos }. A fraction of a second is passed on as nanoseconds (never
// rounded), which the library refuses: token times are whole seconds.
function duration(value, what) {
  if (typeof value === 'string') {
    const m = DURATION.exec(value.trim());
    if (!m) {
      throw fail('DST_ERR_INVALID_ARGUMENT', what,
        `"${value}" is not a duration; pass a number of seconds (e.g. 3600) or a string such as '1h', '30m', '2d' or '10s'`);
    }
    const unit = (m[2] ?? 's').toLowerCase();
    const key = unit === 'ms' || unit.startsWith('msec') || unit.startsWith('milli') ? 'ms'
      : unit.startsWith('mo') ? 'mo' : unit[0];
    value = Number(m[1]) * UNITS[key];
  }
  if (typeof value === 'number' && Number.isFinite(value) && !Number.isInteger(value)) {
    const seconds = Math.trunc(value);
    const nanos = Math.min(999999999, Math.max(1, Math.round(Math.abs(value - seconds) * 1e9)));
    return { seconds, nanos };
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw fail('DST_ERR_INVALID_ARGUMENT', what, `must be a finite number of seconds, got ${value}`);
  }
  return { seconds: i64(value, what), nanos: 0 };
}

function optDuration(value, what) {
  return value === undefined || value === null ? undefined : duration(value, what);
}

function optBool(value, what) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new TypeError(`dstoken: ${what} must be true or false, got ${describe(value)}`);
  return value;
}

// "now" given as 0 or not at all is the clock, read here: the WebAssembly core has none.
function nowOr(t) {
  return t === undefined || t === 0 || t === 0n ? Math.floor(Date.now() / 1000) : t;
}

// ---------------------------------------------------------------------------------------------
// Writing structs: words into a DataView, strings into the backend's string buffer (a
// non-pooled buffer V8 never moves, or a block of the WebAssembly module's memory), used only
// for the duration of one synchronous call; each isolate (worker) has its own.

const TWO32 = 2 ** 32;

function putWord(view, slot, v) {
  // v: a safe integer (an address, a count or a time) or an int64 BigInt; little-endian.
  if (typeof v === 'bigint') {
    view.setBigInt64(slot, v, true);
  } else {
    const hi = Math.floor(v / TWO32);
    view.setUint32(slot, v - hi * TWO32, true);
    view.setInt32(slot + 4, hi, true);
  }
}

// A pointer or size_t member: 8 bytes (native) or 4 (wasm32).
function putSize(view, slot, v) {
  if (PTR_SIZE === 4) view.setUint32(slot, v, true);
  else putWord(view, slot, v);
}

// Writes `strings` (undefined: NULL) as NUL-terminated UTF-8 after `skip` bytes of the string
// buffer; returns their addresses (0 for NULL) and the buffer.
function placeStrings(strings, skip = 0) {
  let need = skip;
  for (const v of strings) if (v !== undefined) need += v.length * 3 + 1; // UTF-8 bound per UTF-16 unit
  const { buf, base } = B.strings(need);
  const addrs = new Array(strings.length);
  let off = skip;
  for (let i = 0; i < strings.length; i++) {
    const v = strings[i];
    if (v === undefined) {
      addrs[i] = 0;
    } else {
      addrs[i] = base + off;
      off += buf.write(v, off, 'utf8'); // exact: checked well-formed and NUL-free
      buf[off++] = 0;
    }
  }
  return { addrs, buf, base };
}

// ---------------------------------------------------------------------------------------------
// Keys

const keyRegistry = new FinalizationRegistry((ptr) => N.keyFree(ptr));

function secretBytes(secret) {
  if (typeof secret === 'string') return Buffer.from(str(secret, 'key'), 'utf8');
  if (ArrayBuffer.isView(secret)) return new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength);
  if (secret instanceof ArrayBuffer) return new Uint8Array(secret);
  throw new TypeError(`dstoken: key must be a string, Buffer, Uint8Array or ArrayBuffer, got ${describe(secret)}`);
}

// keyPtr(key): the Key's native handle, or an error when it is closed. Set in Key's static
// block so that it reads the private field: unlike a method, it cannot be overridden, so no
// user code runs where it is called (between the scratch buffers being filled and the native
// call that reads them).
let keyPtr;

/**
 * An HS256 signing key (the team's developer key). A string is the key as text (the library
 * refuses whitespace at either end, which a developer key never has); bytes are used as they
 * are. Holds the native key (its precomputed HMAC state); close() wipes and frees it, and a
 * FinalizationRegistry frees it if you forget.
 */
class Key {
  #ptr;

  static {
    keyPtr = (key) => {
      if (!key.#ptr) throw fail('DST_ERR_INVALID_ARGUMENT', 'key', 'the Key is closed; make a new Key');
      return key.#ptr;
    };
  }

  constructor(secret) {
    const bytes = secretBytes(secret);
    // The library refuses an empty key, and NULL even with a length of 0: never hand it a
    // 0-length view's possibly-null pointer.
    const buf = bytes.length === 0 ? Buffer.alloc(1) : bytes;
    const out = [null];
    try {
      const st = typeof secret === 'string' ? N.keyNewText(buf, bytes.length, out) : N.keyNew(buf, bytes.length, out);
      check(st, 'new Key');
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
// the argument list of the native call itself, after every step that can run user code (a
// replaced Date.now could close the Key): a handle taken earlier could be freed by then.
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

// JSON.stringify writes NaN and +/-Infinity as null: refuse them instead of changing the value.
function finiteOnly(key, value) {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError(`${value} has no JSON form (JSON.stringify would write null)`);
  }
  return value;
}

function jsonOf(value, what) {
  if (typeof value === 'bigint') return value.toString();
  let text;
  try {
    text = JSON.stringify(value, finiteOnly);
  } catch (e) {
    if (e instanceof RangeError) throw fail('DST_ERR_INVALID_ARGUMENT', what, e.message);
    throw new TypeError(`dstoken: ${what} cannot be written as JSON (${e.message})`);
  }
  if (text === undefined) throw new TypeError(`dstoken: ${what} cannot be written as JSON (${describe(value)})`);
  return text;
}

// The fields of mint() and the Claims methods of the same names, each with its conversion.
const FIELDS = {
  teamId: optStr, room: optStr, userName: optStr, userId: optStr, initials: optStr, role: optStr,
  breakoutId: optStr, avatar: optStr, issuedAt: optTime, notBefore: optTime, expiresAt: optTime,
  expiresIn: optDuration, notBeforeSkew: optInt, now: optTime, noExpiry: optBool, maxLifetime: optDuration,
};
const FIELD_NAMES = Object.keys(FIELDS);

// A room token's claims, built by chaining (index.d.ts documents the methods). Values stay in
// JavaScript until sign(); every rule is the library's, applied at sign(), but a custom
// claim's name and JSON are checked when set.
class Claims {
  #f = {};
  #custom = new Map(); // name -> JSON text, in first-set order

  static {
    // teamId(v), room(v), ..., issuedAt(t), ..., now(t), maxLifetime(d): null/undefined clears.
    for (const k of FIELD_NAMES) {
      if (k === 'expiresIn' || k === 'notBeforeSkew' || k === 'noExpiry') continue;
      Claims.prototype[k] = function set(value) {
        this.#f[k] = FIELDS[k](value, k);
        return this;
      };
    }
  }

  noExpiry(value = true) {
    this.#f.noExpiry = optBool(value, 'noExpiry');
    return this;
  }

  // Relative mode: iat = now, exp = now + lifetime; clears a validity() skew.
  expiresIn(lifetime) {
    this.#f.expiresIn = optDuration(lifetime, 'expiresIn');
    this.#f.notBeforeSkew = undefined;
    return this;
  }

  // Relative mode with nbf = now - skewSeconds.
  validity(skewSeconds, lifetime) {
    this.#f.notBeforeSkew = i64(skewSeconds, 'notBeforeSkew');
    this.#f.expiresIn = duration(lifetime, 'expiresIn');
    return this;
  }

  claim(name, value) {
    return this.claimJson(name, jsonOf(value, `claim "${name}"`));
  }

  claimJson(name, jsonText) {
    str(name, 'name');
    str(jsonText, 'value');
    const c = N.claimsNew();
    if (!c) throw lastError('Claims.claim');
    try {
      check(N.setCustomJson(c, name, jsonText), 'Claims.claim');
    } finally {
      N.claimsFree(c);
    }
    this.#custom.set(name, jsonText);
    return this;
  }

  removeClaim(name) {
    return this.#custom.delete(name);
  }

  clone() {
    const c = new Claims();
    c.#f = { ...this.#f };
    c.#custom = new Map(this.#custom);
    return c;
  }

  toObject() {
    const o = {};
    for (const [k, v] of Object.entries(this.#f)) {
      if (v !== undefined) o[k] = (k === 'expiresIn' || k === 'maxLifetime') ? v.seconds + v.nanos / 1e9 : v;
    }
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

  sign(key) {
    return withKey(key, (k) => (this.#custom.size === 0 && mintable(this.#f)
      ? mintNative('Claims.sign', this.#f, k) : signClaims('Claims.sign', this.#f, this.#custom, k)));
  }
}

// With custom claims (or a time of exactly 0, which dst_room_token reads as absent): the
// library mints the registered claims under every rule of the one-call mint, then the
// claims are read back (dst_decode_unverified), the custom claims added with
// dst_claims_set_custom_json, and the whole signed (dst_sign_into).
function signClaims(op, f, custom, k) {
  const token = mintNative(op, f, k);
  const out = [null];
  check(N.decodeUnverified(token, null, out), op);
  const c = out[0];
  try {
    if (f.issuedAt === 0) check(N.setIssuedAt(c, 0), op);
    if (f.notBefore === 0) check(N.setNotBefore(c, 0), op);
    for (const [name, json] of custom) check(N.setCustomJson(c, name, json), op);
    return intoBuffer(op, (buf, cap, len) => N.signInto(c, keyPtr(k), buf, cap, len));
  } finally {
    N.claimsFree(c);
  }
}

function mintable(f) {
  return f.issuedAt !== 0 && f.notBefore !== 0;
}

// ---------------------------------------------------------------------------------------------
// One-call mint

function mintFields(fields, op) {
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
    throw new TypeError(`dstoken: ${op} fields must be an object, got ${describe(fields)}`);
  }
  for (const k in fields) {
    if (!Object.hasOwn(FIELDS, k)) {
      throw fail('DST_ERR_INVALID_ARGUMENT', k,
        `${op}: unknown field "${k}"; the fields are ${FIELD_NAMES.join(', ')} (custom claims need a Claims builder)`);
    }
  }
  // One fixed shape, so the hot path stays monomorphic.
  return {
    teamId: optStr(fields.teamId, 'teamId'), room: optStr(fields.room, 'room'),
    userName: optStr(fields.userName, 'userName'), userId: optStr(fields.userId, 'userId'),
    initials: optStr(fields.initials, 'initials'), role: optStr(fields.role, 'role'),
    breakoutId: optStr(fields.breakoutId, 'breakoutId'), avatar: optStr(fields.avatar, 'avatar'),
    issuedAt: optTime(fields.issuedAt, 'issuedAt'), notBefore: optTime(fields.notBefore, 'notBefore'),
    expiresAt: optTime(fields.expiresAt, 'expiresAt'), expiresIn: optDuration(fields.expiresIn, 'expiresIn'),
    notBeforeSkew: optInt(fields.notBeforeSkew, 'notBeforeSkew'), now: optTime(fields.now, 'now'),
    noExpiry: optBool(fields.noExpiry, 'noExpiry'), maxLifetime: optDuration(fields.maxLifetime, 'maxLifetime'),
  };
}

/**
 * Mints a room token in one native call. `fields`: teamId and room (required), userName,
 * userId, initials, role, breakoutId, avatar; an expiry, either relative (expiresIn: seconds
 * or a duration string such as '1h'; optional notBeforeSkew seconds) or explicit (expiresAt,
 * optional issuedAt, notBefore), or noExpiry: true for a token that never expires; optional
 * now (the minting time, default the clock) and maxLifetime (the longest expiresIn accepted,
 * default 30 days).
 */
function mint(fields, key) {
  const f = mintFields(fields, 'mint');
  return withKey(key, (k) => (mintable(f) ? mintNative('mint', f, k) : signClaims('mint', f, NO_CUSTOM, k)));
}
const NO_CUSTOM = new Map();

/**
 * Mints a room token and returns its join URL (`team` and `options` as in joinUrl()); one
 * native call without options.
 */
function mintUrl(fields, key, team, options) {
  const f = mintFields(fields, 'mintUrl');
  str(team, 'team');
  const flags = urlFlags(options, 'mintUrl');
  return withKey(key, (k) => {
    if (flags !== 0 || !mintable(f)) {
      return joinUrlAs('mintUrl', team, f.room, mintable(f) ? mintNative('mintUrl', f, k) : signClaims('mintUrl', f, NO_CUSTOM, k), flags);
    }
    const out = [null];
    check(N.mintUrl(fillRoomToken(f), keyPtr(k), team, out), 'mintUrl');
    return takeString(out[0]);
  });
}

// The one-call mint's struct, laid out by hand in a reused buffer: koffi's conversion of a JS
// object with eight string members costs about twice the mint itself, while writing the
// strings' UTF-8 into one scratch buffer and their addresses into the struct costs a fraction.
const ROOM_TOKEN = layout(ROOM_TOKEN_FIELDS, PTR_SIZE);
const RT = ROOM_TOKEN.offsets;
const STRING_SLOTS = ['team_id', 'room', 'user_name', 'user_id', 'initials', 'role', 'breakout_id', 'avatar'].map((m) => RT[m]);
const rtBuf = Buffer.allocUnsafeSlow(ROOM_TOKEN.size).fill(0);
const rtView = new DataView(rtBuf.buffer, rtBuf.byteOffset, ROOM_TOKEN.size);

function fillRoomToken(f) {
  // Date.now first: it may be replaced by code that mints too, which reuses the string buffer.
  const now = nowOr(f.now);
  const { addrs } = placeStrings([f.teamId, f.room, f.userName, f.userId, f.initials, f.role, f.breakoutId, f.avatar]);
  putSize(rtView, 0, ROOM_TOKEN.size);
  for (let i = 0; i < 8; i++) putSize(rtView, STRING_SLOTS[i], addrs[i]);
  putWord(rtView, RT.issued_at, f.issuedAt ?? 0);
  putWord(rtView, RT.not_before, f.notBefore ?? 0);
  putWord(rtView, RT.expires_at, f.expiresAt ?? 0);
  putWord(rtView, RT.lifetime_seconds, f.expiresIn?.seconds ?? 0);
  putWord(rtView, RT.not_before_skew_seconds, f.notBeforeSkew ?? 0);
  putWord(rtView, RT.now, now);
  rtBuf[RT.no_expiry] = f.noExpiry ? 1 : 0;
  // A maximum below a second is passed as it is; its whole seconds are what the library reads.
  putWord(rtView, RT.max_lifetime_seconds, f.maxLifetime?.seconds ?? 0);
  rtView.setUint32(RT.lifetime_nanos, f.expiresIn?.nanos ?? 0, true);
  return rtBuf;
}

// Signs mint fields (no custom claims): one native call, dst_mint_into into the reused buffer.
function mintNative(op, f, k) {
  try {
    const s = fillRoomToken(f);
    return intoBuffer(op, (buf, cap, len) => N.mintInto(s, keyPtr(k), buf, cap, len));
  } finally {
    B.releaseStrings();
  }
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

const VERIFY_OPTIONS = ['now', 'leeway', 'expOptional', 'teamId', 'room', 'requiredClaims'];
const VO = layout(VERIFY_OPTIONS_FIELDS, PTR_SIZE);
const voBuf = Buffer.allocUnsafeSlow(VO.size).fill(0);
const voView = new DataView(voBuf.buffer, voBuf.byteOffset, VO.size);
const verifyOut = [null];

/**
 * Verifies a token and returns its claims as a plain object. Options: `now` (unix seconds or a
 * Date, default the clock), `leeway` (seconds, default 0), `expOptional` (accept a token
 * without `exp`; by default one is refused), `teamId` and `room` (the `td` and `rd` the token
 * must carry: ClaimMismatchError otherwise), `requiredClaims` (names of further claims the
 * token must carry, as jose's option).
 */
function verify(token, key, options = {}) {
  str(token, 'token');
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`dstoken: verify options must be an object, got ${describe(options)}`);
  }
  for (const k in options) {
    if (!VERIFY_OPTIONS.includes(k)) {
      throw fail('DST_ERR_INVALID_ARGUMENT', k, `verify: unknown option "${k}"; the options are ${VERIFY_OPTIONS.join(', ')}`);
    }
  }
  const now = nowOr(optTime(options.now, 'now'));
  const leeway = options.leeway ?? 0;
  if (!Number.isInteger(leeway) || leeway < 0 || leeway > 0xffffffff) {
    throw fail('DST_ERR_INVALID_ARGUMENT', 'leeway', `must be a whole number of seconds from 0 to 4294967295, got ${leeway}`);
  }
  const expOptional = optBool(options.expOptional, 'expOptional') ?? false;
  const teamId = optStr(options.teamId, 'teamId');
  const room = optStr(options.room, 'room');
  const required = options.requiredClaims ?? [];
  if (!Array.isArray(required)) throw new TypeError(`dstoken: requiredClaims must be an array of claim names, got ${describe(required)}`);
  required.forEach((n, i) => str(n, `requiredClaims[${i}]`));
  return withKey(key, (k) => {
    // The strings after the array of pointers to the required names.
    const skip = required.length * PTR_SIZE;
    const { addrs, buf, base } = placeStrings([teamId, room, ...required], skip);
    const names = new DataView(buf.buffer, buf.byteOffset, skip || 1);
    for (let i = 0; i < required.length; i++) putSize(names, i * PTR_SIZE, addrs[2 + i]);
    putSize(voView, 0, VO.size);
    putWord(voView, VO.offsets.now, now);
    voView.setUint32(VO.offsets.leeway_seconds, leeway, true);
    voBuf[VO.offsets.exp_optional] = expOptional ? 1 : 0;
    putSize(voView, VO.offsets.team_id, addrs[0]);
    putSize(voView, VO.offsets.room, addrs[1]);
    putSize(voView, VO.offsets.required, required.length ? base : 0);
    putSize(voView, VO.offsets.required_len, required.length);
    const out = verifyOut;
    try {
      check(N.verifyOpts(token, keyPtr(k), voBuf, out), 'verify');
    } finally {
      B.releaseStrings();
    }
    N.claimsFree(out[0]);
    out[0] = null;
    // The library has checked the token strictly (base64url, UTF-8, one JSON object without
    // duplicate names, the signature): its payload segment is the claims' JSON exactly as
    // written, so it is decoded here rather than re-serialised by the library (two native
    // calls and a string copy fewer).
    return JSON.parse(Buffer.from(token.slice(token.indexOf('.') + 1, token.lastIndexOf('.')), 'base64url').toString('utf8'));
  });
}

/**
 * Reads a token's header and claims WITHOUT checking its signature or its times: the result
 * proves nothing about who made the token (anyone can write one). For choosing a key, routing
 * or logging before verify(). Only a malformed token is refused (MalformedTokenError).
 * Returns { header, claims }.
 */
function decodeUnverified(token) {
  str(token, 'token');
  const h = [null];
  const c = [null];
  check(N.decodeUnverified(token, h, c), 'decodeUnverified');
  try {
    const header = JSON.parse(takeString(h[0]));
    const j = [null];
    check(N.toJson(c[0], j), 'decodeUnverified');
    return { header, claims: JSON.parse(takeString(j[0])) };
  } finally {
    N.claimsFree(c[0]);
  }
}

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
    if (k !== 'allowPort') throw fail('DST_ERR_INVALID_ARGUMENT', k, `${op}: unknown option "${k}"; the option is allowPort`);
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
  ClaimMismatchError,
  DstokenError,
  InvalidArgumentError,
  InvalidSignatureError,
  Key,
  MalformedTokenError,
  MissingClaimError,
  NotBeforeError,
  TokenExpiredError,
  UnsupportedAlgorithmError,
  Status,
  decodeUnverified,
  joinUrl,
  libraryInfo,
  libraryVersion,
  mint,
  mintUrl,
  sign,
  verify,
  version: PACKAGE_VERSION,
};
