#!/usr/bin/env node
'use strict';
// Node benchmark: the README's paths of the Node binding beside what a Node developer would
// otherwise use, on the shared workload (bench/README: key 0123456789abcdef0123456789abcdef;
// td, rd "daily-standup", u "John Smith", ud "user-%06d" new every token, role "moderator",
// iat/exp). All paths run in this one process and print ns/token and ratios; never a timed test.
// Then two tables from interleaved rounds (median): dstoken verify beside jsonwebtoken.verify
// on the same token, and mint throughput with 1 and 2 worker threads (each worker holds a Key
// made from the same secret: a JavaScript object cannot be shared between isolates).
//   node bench/node/bench.js [N] [ROUNDS]  (default N = 100000, ROUNDS = 9; the suite runs it with a tiny N)
// Needs bindings/node's dependencies (npm ci there) and the library (DSTOKEN_LIBRARY or bundled).
const path = require('node:path');
const crypto = require('node:crypto');
const { createRequire } = require('node:module');
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');

const pkg = path.join(__dirname, '..', '..', 'bindings', 'node');
const req = createRequire(path.join(pkg, 'package.json'));
const dst = req('./index.js');
const jwt = req('jsonwebtoken');

const N = Number((isMainThread ? process.argv[2] : workerData.n) ?? 100000);
if (!Number.isSafeInteger(N) || N < 1) throw new Error(`N must be a positive integer, got ${process.argv[2]}`);
const ROUNDS = Number(process.argv[3] ?? 9);
if (!Number.isSafeInteger(ROUNDS) || ROUNDS < 1) throw new Error(`ROUNDS must be a positive integer, got ${process.argv[3]}`);
const SECRET = '0123456789abcdef0123456789abcdef';
const TEAM = 'b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f';
const IAT = 1700000000;
const EXP = IAT + 3600;
const userId = (i) => `user-${String(i % 1000000).padStart(6, '0')}`;

const key = new dst.Key(SECRET);
const SECRET_KEY_OBJECT = crypto.createSecretKey(Buffer.from(SECRET));
// Fixed times for comparable tokens; `now` says when they are minted (an expiry in the past is
// refused otherwise).
const template = new dst.Claims().teamId(TEAM).room('daily-standup').userName('John Smith').role('moderator')
  .issuedAt(IAT).expiresAt(EXP).now(IAT);
const mintOne = (i) => dst.mint({ teamId: TEAM, room: 'daily-standup', userName: 'John Smith',
  userId: userId(i), role: 'moderator', issuedAt: IAT, expiresAt: EXP, now: IAT }, key);

// A worker thread of the threads table: mints `n` tokens whenever asked, answers with the count.
if (!isMainThread) {
  for (let i = 0; i < 2000; i++) mintOne(i); // warm-up
  parentPort.on('message', (n) => {
    let last = '';
    for (let i = 0; i < n; i++) last = mintOne(i);
    parentPort.postMessage(last.length > 0 ? n : 0);
  });
  return;
}

// Hand-written node:crypto code (what one writes without a library).
const HEADER = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
function handWritten(i) {
  const payload = Buffer.from(JSON.stringify({ td: TEAM, rd: 'daily-standup', u: 'John Smith', ud: userId(i),
    role: 'moderator', iat: IAT, exp: EXP })).toString('base64url');
  const input = `${HEADER}.${payload}`;
  return `${input}.${crypto.createHmac('sha256', SECRET).update(input).digest('base64url')}`;
}

const paths = [
  ['dstoken mint({...}) (one native call)', mintOne],
  ['dstoken new Claims()...sign(key) (README path)', (i) => new dst.Claims().teamId(TEAM).room('daily-standup')
    .userName('John Smith').userId(userId(i)).role('moderator').issuedAt(IAT).expiresAt(EXP).now(IAT).sign(key)],
  ['dstoken Claims template, userId changed', (i) => template.userId(userId(i)).sign(key)],
  ['dstoken builder + 1 custom claim (dst_claims path)', (i) => new dst.Claims().teamId(TEAM).room('daily-standup')
    .userName('John Smith').userId(userId(i)).role('moderator').issuedAt(IAT).expiresAt(EXP).now(IAT).claim('c', 1).sign(key)],
  ['hand-written node:crypto (createHmac + JSON + base64url)', handWritten],
  ['jsonwebtoken.sign (HS256)', (i) => jwt.sign({ td: TEAM, rd: 'daily-standup', u: 'John Smith', ud: userId(i),
    role: 'moderator', iat: IAT, exp: EXP }, SECRET, { algorithm: 'HS256' })],
  // jsonwebtoken 9 first tries a string secret as a PEM private key (a thrown error each time);
  // a KeyObject secret skips that.
  ['jsonwebtoken.sign (HS256, KeyObject secret)', (i) => jwt.sign({ td: TEAM, rd: 'daily-standup', u: 'John Smith',
    ud: userId(i), role: 'moderator', iat: IAT, exp: EXP }, SECRET_KEY_OBJECT, { algorithm: 'HS256' })],
];

// Same bytes from every path (the custom-claim path differs by design).
const ref = paths[0][1](7);
for (const [name, fn] of paths) {
  if (!name.includes('custom') && fn(7) !== ref) throw new Error(`${name} makes another token than mint`);
}

// CPU time of this process (user + system, all its threads) per token: on a shared machine it
// is far steadier than wall time, which counts the time other processes hold the CPU.
function cpuNs(t0) {
  const d = process.cpuUsage(t0);
  return (d.user + d.system) * 1000;
}

// Slow paths (jsonwebtoken with a string secret takes ~0.5 ms a token) run fewer iterations:
// about as much time as 10 µs × N, and never fewer than min(N, 200).
function iterations(nsPerOp) {
  return Math.max(Math.min(N, 200), Math.min(N, Math.round((N * 10000) / nsPerOp)));
}

function measure(fn) {
  const probe = process.cpuUsage();
  const p = Math.min(N, 200);
  for (let i = 0; i < p; i++) fn(i);
  const n = iterations(cpuNs(probe) / p);
  for (let i = 0; i < Math.min(n, 20000); i++) fn(i); // warm-up
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) fn(i);
  return cpuNs(t0) / n;
}

async function measureAsync(fn) {
  const probe = process.cpuUsage();
  const p = Math.min(N, 200);
  for (let i = 0; i < p; i++) await fn(i);
  const n = iterations(cpuNs(probe) / p);
  for (let i = 0; i < Math.min(n, 5000); i++) await fn(i);
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn(i);
  return cpuNs(t0) / n;
}

async function main() {
  const rows = paths.map(([name, fn]) => [name, measure(fn)]);
  const jose = await import(req.resolve('jose'));
  const secretBytes = new TextEncoder().encode(SECRET);
  rows.push(['jose SignJWT (async, awaited)', await measureAsync((i) => new jose.SignJWT({ td: TEAM,
    rd: 'daily-standup', u: 'John Smith', ud: userId(i), role: 'moderator', iat: IAT, exp: EXP })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secretBytes))]);
  // verify beside jsonwebtoken.verify
  const tok = paths[0][1](1);
  rows.push(['dstoken verify (claims as an object)', measure(() => dst.verify(tok, key, { now: IAT }))]);
  rows.push(['jsonwebtoken.verify (HS256)', measure(() => jwt.verify(tok, SECRET, { algorithms: ['HS256'], clockTimestamp: IAT }))]);
  rows.push(['jsonwebtoken.verify (HS256, KeyObject secret)', measure(() => jwt.verify(tok, SECRET_KEY_OBJECT, { algorithms: ['HS256'], clockTimestamp: IAT }))]);

  const verifyRows = verifyRounds(tok);
  const threadRows = await threadRounds();

  const byName = Object.fromEntries(rows);
  const hand = byName['hand-written node:crypto (createHmac + JSON + base64url)'];
  const jsonwebtoken = byName['jsonwebtoken.sign (HS256, KeyObject secret)'];
  console.log(`Node ${process.version}, koffi ${req('koffi').version}, libdstoken ${dst.libraryVersion()} (${dst.libraryInfo().source}), N = ${N}`);
  console.log('| path | CPU ns/token | tokens/s per core | × hand-written | × jsonwebtoken.sign (KeyObject) |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, ns] of rows) {
    console.log(`| ${name} | ${ns.toFixed(0)} | ${(1e9 / ns / 1e6).toFixed(2)} M | ${(ns / hand).toFixed(2)} | ${(ns / jsonwebtoken).toFixed(2)} |`);
  }
  console.log('');
  console.log(`verify, same token, ${ROUNDS} interleaved rounds (median; CPU time):`);
  console.log('| verify | CPU ns/token | × jsonwebtoken.verify (same secret form) |');
  console.log('|---|---:|---:|');
  for (const [name, ns, ratio] of verifyRows) console.log(`| ${name} | ${ns.toFixed(0)} | ${ratio.toFixed(2)} |`);
  console.log('');
  console.log(`threads: dstoken mint() in worker threads, one Key each from the same secret, ${ROUNDS} interleaved rounds (median; wall time):`);
  console.log('| worker threads | tokens/s | × 1 thread | CPU time per token × 1 thread |');
  console.log('|---|---:|---:|---:|');
  for (const [threads, tps, ratio, cpu] of threadRows) {
    console.log(`| ${threads} | ${(tps / 1e6).toFixed(3)} M | ${ratio.toFixed(2)} | ${cpu.toFixed(2)} |`);
  }
  key.close();
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// CPU ns per call of fn over n calls.
function timeCpu(fn, n) {
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) fn(i);
  return cpuNs(t0) / n;
}

// dstoken verify and jsonwebtoken.verify in alternating batches (the order swapped every
// round); the ratio of each round, then the median.
function verifyRounds(tok) {
  const pairs = [
    ['dstoken verify (Key) vs jsonwebtoken.verify (KeyObject secret)', () => dst.verify(tok, key, { now: IAT }),
      () => jwt.verify(tok, SECRET_KEY_OBJECT, { algorithms: ['HS256'], clockTimestamp: IAT })],
    ['dstoken verify (string secret) vs jsonwebtoken.verify (string secret)', () => dst.verify(tok, SECRET, { now: IAT }),
      () => jwt.verify(tok, SECRET, { algorithms: ['HS256'], clockTimestamp: IAT })],
  ];
  const out = [];
  for (const [name, ours, theirs] of pairs) {
    if (JSON.stringify(ours()) !== JSON.stringify(theirs())) throw new Error(`${name}: the claims differ`);
    const batch = Math.max(50, Math.min(N, 20000));
    timeCpu(ours, batch);
    timeCpu(theirs, batch);
    const ns = [];
    const ratios = [];
    for (let r = 0; r < ROUNDS; r++) {
      const [a, b] = r % 2 ? [timeCpu(theirs, batch), timeCpu(ours, batch)].reverse() : [timeCpu(ours, batch), timeCpu(theirs, batch)];
      ns.push(a);
      ratios.push(a / b);
    }
    out.push([name, median(ns), median(ratios)]);
  }
  return out;
}

// Mint throughput with 1 and 2 worker threads, in alternating rounds: tokens per second of
// wall time from the request to the last worker's answer.
async function threadRounds() {
  const workers = [0, 1].map(() => {
    const w = new Worker(__filename, { workerData: { n: N } });
    w.on('message', (m) => w.pending?.(m));
    w.on('error', (e) => w.failed?.(e));
    return w;
  });
  const ask = (w, n) => new Promise((resolve, reject) => {
    w.pending = (m) => (m === n ? resolve() : reject(new Error('the worker minted nothing')));
    w.failed = reject;
    w.postMessage(n);
  });
  const n = Math.max(50, Math.min(N, 50000));
  // Also the process's CPU time per token (all threads): about the same with 2 workers as with
  // 1 when they do not contend, whatever other load the machine carries.
  let cpuPerToken = 0;
  const run = async (threads) => {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await Promise.all(workers.slice(0, threads).map((w) => ask(w, n)));
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    cpuPerToken = cpuNs(c0) / (threads * n);
    return (threads * n) / wall;
  };
  await run(2); // both warm
  const one = [];
  const two = [];
  const ratios = [];
  const cpuRatios = [];
  for (let r = 0; r < ROUNDS; r++) {
    let a;
    let b;
    let ca;
    let cb;
    if (r % 2) {
      b = await run(2);
      cb = cpuPerToken;
      a = await run(1);
      ca = cpuPerToken;
    } else {
      a = await run(1);
      ca = cpuPerToken;
      b = await run(2);
      cb = cpuPerToken;
    }
    one.push(a);
    two.push(b);
    ratios.push(b / a);
    cpuRatios.push(cb / ca);
  }
  await Promise.all(workers.map((w) => w.terminate()));
  return [[1, median(one), 1, 1], [2, median(two), median(ratios), median(cpuRatios)]];
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
