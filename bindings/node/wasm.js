'use strict';
// The WebAssembly backend: dstoken's core built for wasm32-unknown-unknown (dstoken.wasm, a
// module with no imports whose exports are the C ABI of include/dstoken.h), run by Node's own
// WebAssembly engine. It gives index.js the same functions the koffi backend gives: each is made
// from the same C prototype string, so a C function added to index.js's table works here with no
// other change.
//
// How values cross (the C prototype decides, as it does for koffi):
//   const char *        a JS string: its UTF-8 and a NUL are copied into scratch memory;
//                       null/undefined: NULL; a number: an address in the module (a handle).
//   const T * (T not char), a Buffer/TypedArray: its bytes are copied in (an input);
//   _Inout_ T *         a Buffer/TypedArray: copied in, and back after the call;
//   T * (non-const)     a Buffer/TypedArray: an output: the module writes zeroed scratch
//                       memory of the same size, which is copied back after the call;
//                       a number: a handle, passed as it is; null: NULL.
//   _Out_ T **          a one-element array: out[0] is set to the pointer written (null for NULL);
//                       null: NULL (an output the caller does not want).
//   int64_t, uint64_t   a Number or BigInt (wasm i64); other integers and bool: wasm i32.
//   returns             int and other integers: a Number; const char *: the string (copied out);
//                       T *: the address as a Number, or null.
// Scratch memory is a block of pages grown from JavaScript: Rust's allocator in the module only
// ever uses pages it grew itself, so the two never overlap. Every input a call copied in is
// zeroed when the call returns (so a key's bytes, copied in for dst_key_new, do not stay there);
// outputs (what the module wrote: tokens, lengths, pointers) are copied out and left.
//
// A Rust panic in the module cannot unwind on this target: it traps (a WebAssembly.RuntimeError).
// The core's state may then be inconsistent, so the backend refuses every later call.

const fs = require('node:fs');
const path = require('node:path');

const PAGE = 65536;

/** Where the module is looked for: DSTOKEN_WASM, else dstoken.wasm beside this file. */
function defaultWasmPath() {
  return path.join(__dirname, 'dstoken.wasm');
}

// "int dst_mint_into(const void *token, ...)" -> { ret, name, params: [{ type, out, konst }] }
function parsePrototype(proto) {
  const m = /^\s*(.+?)\s*\b(dst_\w+)\s*\((.*)\)\s*$/.exec(proto);
  if (!m) throw new Error(`dstoken: cannot read the C prototype "${proto}"`);
  const params = m[3].trim() === 'void' || m[3].trim() === '' ? [] : m[3].split(',').map((p) => {
    let t = p.trim();
    const out = t.startsWith('_Out_');
    if (out) t = t.slice(5).trim();
    const inout = t.startsWith('_Inout_');
    if (inout) t = t.slice(7).trim();
    t = t.replace(/\s*\b[A-Za-z_]\w*$/, (name) => (/^(void|char|int|bool|size_t|u?int\d+_t)$/.test(name.trim()) ? name : ''));
    t = t.replace(/\s+/g, ' ').replace(/\s*\*/g, ' *').trim();
    return { type: t, out, inout, konst: t.startsWith('const '), pointer: t.endsWith('*') };
  });
  return { ret: m[1].replace(/\s+/g, ' ').replace(/\s*\*/g, ' *').trim(), name: m[2], params };
}

const I64 = new Set(['int64_t', 'uint64_t']);
const I32 = new Set(['int', 'uint32_t', 'int32_t', 'size_t', 'bool', 'uint8_t', 'uint16_t', 'int8_t', 'int16_t']);

/**
 * Instantiates the module and returns the backend: { kind, api, path, source, version, ptrSize,
 * strings(need), releaseStrings(), decodeString(ptr) }.
 * `opts.internal(message)` makes the error thrown after a trap.
 */
function create(prototypes, opts) {
  const explicit = process.env.DSTOKEN_WASM;
  const file = explicit || defaultWasmPath();
  let bytes;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const err = new Error(`dstoken: cannot read the WebAssembly core ${file}${explicit ? ' (DSTOKEN_WASM)' : ''}: ${e.code ?? e.message}`);
    err.code = 'DSTOKEN_LOAD_FAILED';
    throw err;
  }
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  const x = instance.exports;
  const memory = x.memory;
  if (!(memory instanceof WebAssembly.Memory)) throw new Error(`dstoken: ${file} exports no memory; it is not dstoken's wasm32 build`);

  let ab = memory.buffer;
  let u8 = new Uint8Array(ab);
  let dv = new DataView(ab);
  const refresh = () => {
    if (memory.buffer !== ab) {
      ab = memory.buffer;
      u8 = new Uint8Array(ab);
      dv = new DataView(ab);
    }
  };

  // Scratch for the arguments of one call: [scratch, scratch + scratchSize), bump-allocated.
  let scratchSize = 4 * PAGE;
  let scratch = memory.grow(scratchSize / PAGE) * PAGE;
  let top = scratch;
  const alloc = (n) => {
    const p = (top + 7) & ~7;
    if (p + n > scratch + scratchSize) return -1;
    top = p + n;
    return p;
  };
  // A call that needs more scratch than there is gets a new, larger block (the old one is
  // never used again; this happens a few times at most, for very large inputs).
  const growScratch = (need) => {
    const pages = Math.ceil((need + 64 * 1024) / PAGE);
    scratch = memory.grow(pages) * PAGE;
    scratchSize = pages * PAGE;
    top = scratch;
    refresh();
  };

  let broken = null;
  const encoder = new TextEncoder();

  function decodeString(p) {
    refresh();
    const end = u8.indexOf(0, p);
    return Buffer.from(ab, p, end - p).toString('utf8');
  }

  function bindOne(proto) {
    const sig = parsePrototype(proto);
    const fn = x[sig.name];
    if (typeof fn !== 'function') throw new Error(`dstoken: ${file} has no function ${sig.name}`);
    if (fn.length !== sig.params.length) {
      throw new Error(`dstoken: ${sig.name} takes ${fn.length} arguments in ${file}, ${sig.params.length} in the binding`);
    }
    const kinds = sig.params.map((p) => {
      if (p.out) return 'out';
      if (p.inout) return 'inout';
      if (p.pointer) return p.type === 'const char *' ? 'cstr' : p.konst ? 'in' : 'io';
      if (I64.has(p.type)) return 'i64';
      if (I32.has(p.type)) return 'i32';
      throw new Error(`dstoken: ${sig.name}: no WebAssembly form for the C type ${p.type}`);
    });
    const ret = sig.ret === 'void' ? 'void' : sig.ret === 'const char *' ? 'str' : sig.ret.endsWith('*') ? 'ptr' : 'int';
    const n = kinds.length;
    const args = new Array(n);
    // Copies back after the call: [kind, jsValue, address] triples.
    const back = [];
    // Inputs to zero after the call: [address, length] pairs.
    const wipe = [];

    // Places one argument; returns false when scratch ran out (the call is then retried).
    function place(i, v) {
      switch (kinds[i]) {
        case 'i32': args[i] = typeof v === 'boolean' ? (v ? 1 : 0) : Number(v); return true;
        case 'i64': args[i] = BigInt(v); return true;
        case 'out': {
          if (v === null) { args[i] = 0; return true; } // the caller does not want it
          const p = alloc(8);
          if (p < 0) return false;
          dv.setUint32(p, 0, true);
          dv.setUint32(p + 4, 0, true);
          args[i] = p;
          back.push(0, v, p);
          return true;
        }
        default:
          if (v === null || v === undefined) { args[i] = 0; return true; }
          if (typeof v === 'number') { args[i] = v; return true; }
          if (typeof v === 'string') {
            if (kinds[i] !== 'cstr') throw new TypeError(`dstoken: ${sig.name}: a string for ${sig.params[i].type}`);
            const p = alloc(v.length * 3 + 1);
            if (p < 0) return false;
            const { written } = encoder.encodeInto(v, u8.subarray(p, p + v.length * 3));
            u8[p + written] = 0;
            wipe.push(p, written + 1);
            args[i] = p;
            return true;
          }
          if (ArrayBuffer.isView(v)) {
            const p = alloc(v.byteLength);
            if (p < 0) return false;
            if (kinds[i] === 'inout') {
              // Read and written: copied in, and back after the call.
              u8.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), p);
              back.push(1, v, p);
            } else if (kinds[i] === 'io') {
              // An output, copied back after the call. A small one starts zeroed: a 4-byte
              // size_t written into an 8-byte uint64_t slot leaves the high half as it was.
              back.push(1, v, p);
              if (v.byteLength <= 16) u8.fill(0, p, p + v.byteLength);
            } else {
              u8.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), p);
              wipe.push(p, v.byteLength);
            }
            args[i] = p;
            return true;
          }
          throw new TypeError(`dstoken: ${sig.name}: cannot pass ${typeof v} as ${sig.params[i].type}`);
      }
    }

    function wipeInputs() {
      for (let j = 0; j < wipe.length; j += 2) u8.fill(0, wipe[j], wipe[j] + wipe[j + 1]);
      wipe.length = 0;
    }

    function need(vals) {
      let t = 64;
      for (let i = 0; i < n; i++) {
        const v = vals[i];
        if (typeof v === 'string') t += v.length * 3 + 8;
        else if (ArrayBuffer.isView(v)) t += v.byteLength + 8;
        else t += 8;
      }
      return t;
    }

    return function call(...vals) {
      if (broken) throw opts.internal(`the WebAssembly core stopped after a trap (${broken.message}); restart the process`);
      refresh();
      back.length = 0;
      wipe.length = 0;
      top = scratch;
      let ok = true;
      for (let i = 0; i < n && ok; i++) ok = place(i, vals[i]);
      if (!ok) {
        wipeInputs();
        growScratch(need(vals));
        back.length = 0;
        wipe.length = 0;
        for (let i = 0; i < n; i++) place(i, vals[i]);
      }
      let r;
      try {
        r = fn(...args);
      } catch (e) {
        if (e instanceof WebAssembly.RuntimeError) {
          broken = e;
          refresh();
          wipeInputs();
          throw opts.internal(`the WebAssembly core trapped in ${sig.name} (${e.message}); it cannot be used again in this process`);
        }
        throw e;
      }
      refresh();
      for (let j = 0; j < back.length; j += 3) {
        const v = back[j + 1];
        const p = back[j + 2];
        if (back[j] === 0) {
          const a = dv.getUint32(p, true);
          v[0] = a === 0 ? null : a;
        } else {
          new Uint8Array(v.buffer, v.byteOffset, v.byteLength).set(u8.subarray(p, p + v.byteLength));
        }
      }
      wipeInputs();
      top = scratch;
      if (ret === 'int') return r;
      if (ret === 'str') return r === 0 ? null : decodeString(r);
      if (ret === 'ptr') return r === 0 ? null : r;
      return undefined;
    };
  }

  const api = {};
  for (const [k, proto] of Object.entries(prototypes)) api[k] = bindOne(proto);

  // Strings of dst_room_token live in their own block (the struct itself is copied in as an
  // input and holds their addresses), kept from one call to the next.
  let strSize = 0;
  let strAddr = 0;
  let strView = null;
  let strAb = null;
  function strings(needBytes) {
    refresh();
    if (needBytes > strSize) {
      const pages = Math.ceil(Math.max(needBytes, 4096) / PAGE);
      strAddr = memory.grow(pages) * PAGE;
      strSize = pages * PAGE;
      refresh();
      strAb = null;
    }
    if (strAb !== ab) {
      strAb = ab;
      strView = Buffer.from(ab, strAddr, strSize);
    }
    return { buf: strView, base: strAddr };
  }

  return {
    kind: 'wasm',
    api,
    path: file,
    source: explicit ? 'DSTOKEN_WASM' : 'bundled wasm',
    ptrSize: 4,
    strings,
    releaseStrings() {},
    decodeString,
    // For the tests: the module's memory, to check what stays in it.
    _memoryBytes: () => new Uint8Array(memory.buffer),
  };
}

module.exports = { create, defaultWasmPath, parsePrototype };
