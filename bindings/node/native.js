'use strict';
// The native backend: libdstoken (the C library) called through koffi. Loads DSTOKEN_LIBRARY,
// else the copy bundled in this package (native/<platform>-<arch>/), else the system's. Gives
// index.js the same interface as wasm.js: { kind, api, path, source, version, ptrSize,
// strings(need), releaseStrings(), decodeString(ptr) }.

const fs = require('node:fs');
const path = require('node:path');

const LIB_FILE = { linux: 'libdstoken.so', darwin: 'libdstoken.dylib', win32: 'dstoken.dll' }[process.platform]
  ?? 'libdstoken.so';
const SYSTEM_NAMES = process.platform === 'linux' ? ['libdstoken.so.0.1', 'libdstoken.so']
  : process.platform === 'darwin' ? ['libdstoken.dylib'] : process.platform === 'win32' ? ['dstoken.dll'] : ['libdstoken.so'];

function bundledPath() {
  return path.join(__dirname, 'native', `${process.platform}-${process.arch}`, LIB_FILE);
}

/**
 * Loads the library and binds `prototypes` (name -> C prototype). Returns the backend, or throws
 * an Error with code DSTOKEN_LOAD_FAILED and `tried` (what was tried, in order).
 * `versionOk(v)` returns null when the library's version fits, else why not.
 */
function create(prototypes, versionOk) {
  const tried = [];
  let koffi;
  try {
    koffi = require('koffi');
  } catch (e) {
    tried.push(`koffi: ${String(e.message).split('\n')[0]}`);
    throw loadError(tried);
  }
  const bind = (lib) => {
    const api = {};
    // _Inout_ (a buffer the library reads and writes) is wasm.js's mark; koffi passes a Buffer
    // by its address either way.
    for (const [k, proto] of Object.entries(prototypes)) api[k] = lib.func(proto.replace(/_Inout_\s*/g, ''));
    return api;
  };
  const attempt = (where, spec) => {
    let lib;
    try {
      lib = koffi.load(spec);
    } catch (e) {
      tried.push(`${where}: ${spec} (${String(e.message).split('\n')[0]})`);
      return null;
    }
    try {
      const api = bind(lib);
      const v = api.version();
      const why = versionOk(v);
      if (why) {
        tried.push(`${where}: ${spec} (${why})`);
        lib.unload?.();
        return null;
      }
      return { api, path: spec, source: where, version: v };
    } catch (e) {
      tried.push(`${where}: ${spec} (${String(e.message).split('\n')[0]})`);
      lib.unload?.();
      return null;
    }
  };
  let found = null;
  const explicit = process.env.DSTOKEN_LIBRARY;
  if (explicit) {
    // An explicit choice that fails must not silently fall back to another library.
    found = attempt('DSTOKEN_LIBRARY', explicit);
  } else {
    const bundled = bundledPath();
    if (fs.existsSync(bundled)) {
      found = attempt('bundled', bundled);
    } else {
      tried.push(`bundled: ${bundled} (not present: no copy for ${process.platform}-${process.arch} in this package)`);
    }
    for (const name of SYSTEM_NAMES) {
      if (found) break;
      found = attempt('system library path', name);
    }
  }
  if (!found) throw loadError(tried, !!explicit);
  if (koffi.sizeof('size_t') !== 8 || koffi.sizeof('void *') !== 8 || !(new Uint8Array(new Uint16Array([1]).buffer)[0])) {
    tried.push(`${found.path} (this backend supports 64-bit little-endian platforms only)`);
    throw loadError(tried, !!explicit);
  }

  // Strings of dst_room_token: a non-pooled buffer (its own backing store, which V8 never
  // moves), referenced here through the native call that reads it.
  let strBuf = Buffer.allocUnsafeSlow(4096);
  let strBase = Number(koffi.address(strBuf)); // user-space addresses fit in 2^53
  let cur = { buf: strBuf, base: strBase };
  return {
    kind: 'native',
    ...found,
    ptrSize: 8,
    strings(need) {
      if (need > strBuf.length) {
        strBuf = Buffer.allocUnsafeSlow(Math.max(need, strBuf.length * 2));
        strBase = Number(koffi.address(strBuf));
        cur = { buf: strBuf, base: strBase };
      }
      return cur;
    },
    // After a call: a string buffer grown past 64 KiB is not kept.
    releaseStrings() {
      if (strBuf.length > 65536) {
        strBuf = Buffer.allocUnsafeSlow(4096);
        strBase = Number(koffi.address(strBuf));
        cur = { buf: strBuf, base: strBase };
      }
    },
    decodeString: (ptr) => koffi.decode(ptr, 'char', -1),
  };
}

function loadError(tried, explicit = false) {
  const err = new Error(
    `dstoken: cannot load the dstoken C library. Tried, in order:\n  - ${tried.join('\n  - ')}\n` +
    'Set DSTOKEN_LIBRARY=/absolute/path/to/libdstoken.so to choose a library explicitly, or install ' +
    'dstoken\'s system package (libdstoken.so.0.1 on the library path)' +
    (explicit ? '.' : ', or DSTOKEN_BACKEND=wasm to use the WebAssembly core.'));
  err.code = 'DSTOKEN_LOAD_FAILED';
  err.tried = tried;
  return err;
}

module.exports = { create, bundledPath };
