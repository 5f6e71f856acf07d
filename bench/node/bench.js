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
// Every path is timed in ROUNDS interleaved rounds (each round runs every path once, in turn);
// the tables give medians. With DSTOKEN_BENCH_JSON=FILE every result and its rounds also go to
// FILE in the format of bench/README.md (bench/run.sh collects them).
// Needs bindings/node's dependencies (npm ci there) and the library (DSTOKEN_LIBRARY or bundled).
const fs = require('node:fs');
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

// [name, function, id, implementation, kind] of each minting path; the ids are what
// bench/report.py reads.
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
const META = [
  ['mint', 'dstoken', 'dstoken'], ['builder', 'dstoken', 'dstoken'], ['template', 'dstoken', 'dstoken'],
  ['builder_custom', 'dstoken', 'dstoken'], ['hand_written', 'hand-written', 'hand-written'],
  ['jsonwebtoken_sign', 'jsonwebtoken', 'library'], ['jsonwebtoken_sign_keyobject', 'jsonwebtoken', 'library'],
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

// Iterations per round for fn: about as long as 10 µs × N, from a short probe.
async function probe(fn) {
  const t0 = process.cpuUsage();
  const p = Math.min(N, 200);
  for (let i = 0; i < p; i++) await fn(i);
  const n = iterations(cpuNs(t0) / p);
  for (let i = 0; i < Math.min(n, 20000); i++) await fn(i); // warm-up
  return n;
}

// CPU ns per call of fn (sync or async) over n calls.
async function timeRound(fn, n, isAsync) {
  const t0 = process.cpuUsage();
  if (isAsync) {
    for (let i = 0; i < n; i++) await fn(i);
  } else {
    for (let i = 0; i < n; i++) fn(i);
  }
  return cpuNs(t0) / n;
}

// Every row in ROUNDS interleaved rounds: [name, median, rounds, row] for each row.
async function interleaved(rows) {
  const counts = [];
  for (const r of rows) counts.push(await probe(r.fn));
  const times = rows.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < rows.length; k++) times[k].push(await timeRound(rows[k].fn, counts[k], rows[k].async));
  }
  return rows.map((r, k) => ({ ...r, ns: median(times[k]), rounds: times[k] }));
}

// One result in the format of bench/README.md.
function result(id, name, impl, kind, op, unit, clock, threads, rounds) {
  const r1 = rounds.map((v) => Math.round(v * 10) / 10);
  return { id, name, impl, kind, op, threads, unit, clock, median: Math.round(median(r1) * 100) / 100, rounds: r1 };
}

async function main() {
  const jose = await import(req.resolve('jose'));
  const secretBytes = new TextEncoder().encode(SECRET);
  const tok = paths[0][1](1);
  const spec = paths.map(([name, fn], k) => ({ name, fn, id: META[k][0], impl: META[k][1], kind: META[k][2], op: 'mint' }));
  spec.push({ name: 'jose SignJWT (async, awaited)', id: 'jose_sign', impl: 'jose', kind: 'library', op: 'mint', async: true,
    fn: (i) => new jose.SignJWT({ td: TEAM, rd: 'daily-standup', u: 'John Smith', ud: userId(i), role: 'moderator', iat: IAT,
      exp: EXP }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secretBytes) });
  // verify beside jsonwebtoken.verify
  spec.push({ name: 'dstoken verify (claims as an object)', id: 'verify', impl: 'dstoken', kind: 'dstoken', op: 'verify',
    fn: () => dst.verify(tok, key, { now: IAT }) });
  spec.push({ name: 'jsonwebtoken.verify (HS256)', id: 'jsonwebtoken_verify', impl: 'jsonwebtoken', kind: 'library', op: 'verify',
    fn: () => jwt.verify(tok, SECRET, { algorithms: ['HS256'], clockTimestamp: IAT }) });
  spec.push({ name: 'jsonwebtoken.verify (HS256, KeyObject secret)', id: 'jsonwebtoken_verify_keyobject', impl: 'jsonwebtoken',
    kind: 'library', op: 'verify', fn: () => jwt.verify(tok, SECRET_KEY_OBJECT, { algorithms: ['HS256'], clockTimestamp: IAT }) });
  const rows = await interleaved(spec);

  const verifyRows = verifyRounds(tok);
  const threadRows = await threadRounds();

  const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
  const ratio = (r, base) => median(r.rounds.map((v, i) => v / base.rounds[i]));
  console.log(`Node ${process.version}, koffi ${req('koffi').version}, libdstoken ${dst.libraryVersion()} (${dst.libraryInfo().source}), N = ${N}, ${ROUNDS} interleaved rounds (median; CPU time)`);
  console.log('| path | CPU ns/token | tokens/s per core | × hand-written | × jsonwebtoken.sign (KeyObject) |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.ns.toFixed(0)} | ${(1e9 / r.ns / 1e6).toFixed(2)} M | ${ratio(r, byId.hand_written).toFixed(2)} | ${ratio(r, byId.jsonwebtoken_sign_keyobject).toFixed(2)} |`);
  }
  console.log('');
  console.log(`verify, same token, ${ROUNDS} interleaved rounds (median; CPU time):`);
  console.log('| verify | CPU ns/token | × jsonwebtoken.verify (same secret form) |');
  console.log('|---|---:|---:|');
  for (const v of verifyRows) console.log(`| ${v.name} | ${median(v.ours).toFixed(0)} | ${v.ratio.toFixed(2)} |`);
  console.log('');
  console.log(`threads: dstoken mint() in worker threads, one Key each from the same secret, ${ROUNDS} interleaved rounds (median; wall time):`);
  console.log('| worker threads | tokens/s | × 1 thread | CPU time per token × 1 thread |');
  console.log('|---|---:|---:|---:|');
  const t = threadRows;
  console.log(`| 1 | ${(median(t.one) / 1e6).toFixed(3)} M | 1.00 | 1.00 |`);
  console.log(`| 2 | ${(median(t.two) / 1e6).toFixed(3)} M | ${median(t.two.map((v, i) => v / t.one[i])).toFixed(2)} | ${median(t.cpu2.map((v, i) => v / t.cpu1[i])).toFixed(2)} |`);

  if (process.env.DSTOKEN_BENCH_JSON) {
    const out = process.env.DSTOKEN_BENCH_JSON;
    const results = rows.map((r) => result(r.id, r.name, r.impl, r.kind, r.op, 'ns/token', 'cpu', 1, r.rounds));
    for (const v of verifyRows) {
      results.push(result(`${v.id}_pair`, `${v.name}: dstoken`, 'dstoken', 'dstoken', 'verify', 'ns/token', 'cpu', 1, v.ours));
      results.push(result(`${v.id}_pair_peer`, `${v.name}: jsonwebtoken`, 'jsonwebtoken', 'library', 'verify', 'ns/token', 'cpu', 1, v.theirs));
    }
    const mintName = 'dstoken mint() in worker threads';
    results.push(result('threads:mint', mintName, 'dstoken', 'dstoken', 'mint', 'tokens/s', 'wall', 1, t.one));
    results.push(result('threads:mint', mintName, 'dstoken', 'dstoken', 'mint', 'tokens/s', 'wall', 2, t.two));
    results.push(result('threads:mint', mintName, 'dstoken', 'dstoken', 'mint', 'ns/token', 'cpu', 1, t.cpu1));
    results.push(result('threads:mint', mintName, 'dstoken', 'dstoken', 'mint', 'ns/token', 'cpu', 2, t.cpu2));
    fs.writeFileSync(out, `${JSON.stringify({ schema: 1, benchmark: path.basename(out, '.json'), language: 'Node.js',
      program: 'bench/node/bench.js', settings: { n: N, rounds: ROUNDS },
      runtime: `Node ${process.version}, koffi ${req('koffi').version}, jsonwebtoken ${req('jsonwebtoken/package.json').version}`,
      results }, null, 1)}\n`);
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
    ['key', 'dstoken verify (Key) vs jsonwebtoken.verify (KeyObject secret)', () => dst.verify(tok, key, { now: IAT }),
      () => jwt.verify(tok, SECRET_KEY_OBJECT, { algorithms: ['HS256'], clockTimestamp: IAT })],
    ['string', 'dstoken verify (string secret) vs jsonwebtoken.verify (string secret)', () => dst.verify(tok, SECRET, { now: IAT }),
      () => jwt.verify(tok, SECRET, { algorithms: ['HS256'], clockTimestamp: IAT })],
  ];
  const out = [];
  for (const [id, name, ours, theirs] of pairs) {
    if (JSON.stringify(ours()) !== JSON.stringify(theirs())) throw new Error(`${name}: the claims differ`);
    const batch = Math.max(50, Math.min(N, 20000));
    timeCpu(ours, batch);
    timeCpu(theirs, batch);
    const ns = [];
    const peer = [];
    const ratios = [];
    for (let r = 0; r < ROUNDS; r++) {
      const [a, b] = r % 2 ? [timeCpu(theirs, batch), timeCpu(ours, batch)].reverse() : [timeCpu(ours, batch), timeCpu(theirs, batch)];
      ns.push(a);
      peer.push(b);
      ratios.push(a / b);
    }
    out.push({ id: `verify_${id}`, name, ours: ns, theirs: peer, ratio: median(ratios) });
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
  const cpu1 = [];
  const cpu2 = [];
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
    cpu1.push(ca);
    cpu2.push(cb);
  }
  await Promise.all(workers.map((w) => w.terminate()));
  return { one, two, cpu1, cpu2 };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
