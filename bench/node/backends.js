#!/usr/bin/env node
'use strict';
// The Node binding's two backends side by side, in one process: dstoken through koffi (the C
// library) and through the WebAssembly core (Node's own engine), beside jsonwebtoken, on the
// shared workload (bench/README: key 0123456789abcdef0123456789abcdef; td, rd "daily-standup",
// u "John Smith", ud "user-%06d" new every token, role "moderator", iat/exp). Mint and verify
// run in interleaved rounds; each figure is the median over the rounds. Prints JSON.
//   node bench/node/backends.js [N] [ROUNDS]   (default N = 50000, ROUNDS = 7)
// Needs bindings/node's dependencies (npm ci there), the library (DSTOKEN_LIBRARY or bundled)
// and the WebAssembly core (DSTOKEN_WASM, or dstoken.wasm in bindings/node).
const path = require('node:path');
const os = require('node:os');
const crypto = require('node:crypto');
const { createRequire } = require('node:module');

const pkg = path.join(__dirname, '..', '..', 'bindings', 'node');
const req = createRequire(path.join(pkg, 'package.json'));
const jwt = req('jsonwebtoken');

const N = Number(process.argv[2] ?? 50000);
const ROUNDS = Number(process.argv[3] ?? 7);
if (!Number.isSafeInteger(N) || N < 1 || !Number.isSafeInteger(ROUNDS) || ROUNDS < 1) {
  throw new Error('usage: backends.js [N] [ROUNDS] (positive integers)');
}

// A copy of the package per backend (the backend is chosen when the package loads).
function load(backend) {
  const id = req.resolve('./index.js');
  const saved = process.env.DSTOKEN_BACKEND;
  process.env.DSTOKEN_BACKEND = backend;
  delete require.cache[id];
  try {
    return req('./index.js');
  } finally {
    delete require.cache[id];
    if (saved === undefined) delete process.env.DSTOKEN_BACKEND;
    else process.env.DSTOKEN_BACKEND = saved;
  }
}

const SECRET = '0123456789abcdef0123456789abcdef';
const TEAM = 'b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f';
const IAT = 1700000000;
const EXP = IAT + 3600;
const userId = (i) => `user-${String(i % 1000000).padStart(6, '0')}`;
const SECRET_KEY_OBJECT = crypto.createSecretKey(Buffer.from(SECRET));

const paths = [];
for (const backend of ['native', 'wasm']) {
  const d = load(backend);
  const key = new d.Key(SECRET);
  const fields = (i) => ({ teamId: TEAM, room: 'daily-standup', userName: 'John Smith', userId: userId(i),
    role: 'moderator', issuedAt: IAT, expiresAt: EXP, now: IAT });
  const token = d.mint(fields(0), key);
  paths.push({ name: `dstoken ${backend === 'native' ? 'koffi (native library)' : 'WebAssembly core'}`, backend,
    info: d.libraryInfo(), mint: (i) => d.mint(fields(i), key), verify: () => d.verify(token, key, { now: IAT + 1 }), token });
}
const jwtToken = jwt.sign({ td: TEAM, rd: 'daily-standup', u: 'John Smith', ud: userId(0), role: 'moderator', iat: IAT, exp: EXP },
  SECRET_KEY_OBJECT, { algorithm: 'HS256' });
paths.push({ name: 'jsonwebtoken', backend: null, info: null, token: jwtToken,
  mint: (i) => jwt.sign({ td: TEAM, rd: 'daily-standup', u: 'John Smith', ud: userId(i), role: 'moderator', iat: IAT, exp: EXP },
    SECRET_KEY_OBJECT, { algorithm: 'HS256' }),
  verify: () => jwt.verify(jwtToken, SECRET_KEY_OBJECT, { algorithms: ['HS256'], clockTimestamp: IAT + 1 }) });

// Every path makes the same token (same claims, same key, same order), or the comparison is void.
for (const p of paths) {
  if (p.token !== paths[0].token) throw new Error(`${p.name} minted ${p.token}, not ${paths[0].token}`);
}

function time(fn, n) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return Number(process.hrtime.bigint() - t0) / n;
}

const samples = paths.map(() => ({ mint: [], verify: [] }));
for (const p of paths) { time(p.mint, Math.min(N, 5000)); time(p.verify, Math.min(N, 5000)); } // warm-up
for (let r = 0; r < ROUNDS; r++) {
  paths.forEach((p, i) => {
    samples[i].mint.push(time(p.mint, N));
    samples[i].verify.push(time(p.verify, N));
  });
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

console.log(JSON.stringify({
  benchmark: 'node-backends',
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cpus: os.cpus().length,
  n: N,
  rounds: ROUNDS,
  statistic: 'median over rounds',
  unit: 'ns/token',
  results: paths.map((p, i) => ({
    path: p.name,
    backend: p.backend,
    library: p.info && { source: p.info.source, path: p.info.path, version: p.info.version },
    mint_ns_per_token: Math.round(median(samples[i].mint)),
    verify_ns_per_token: Math.round(median(samples[i].verify)),
  })),
}, null, 2));
