<?php

// dstoken PHP benchmark: the one-call mint with fresh values per token against the hand-rolled
// method of Digital Samba's token page (json_encode + base64url + hash_hmac) in the same
// process. A printed table, never a timed assertion.
//
//   php bench/php/bench.php [N] [ROUNDS]   N tokens per timed run (default 20000), 15 rounds
//
// Each round times every path once, in turn (interleaved), in this process's CPU time
// (getrusage: a busy shared machine's waiting is left out). The table gives each path's
// median ns/token and the median over rounds of its ratio to the hand-rolled method of the
// same round. Target: the one-call mint <= 0.5x the hand-rolled method. With
// DSTOKEN_BENCH_JSON=FILE every path's rounds also go to FILE in the format of bench/README.md
// (bench/run.sh collects them). There is no JWT library row: firebase/php-jwt, the usual one,
// comes from Packagist only, which the benchmark machine cannot reach.
//
// Workload (as bench/c/bench.c, with fresh times): key "0123456789abcdef0123456789abcdef"; td,
// rd "daily-standup", u "John Smith", ud "user-%06d" (a new value every token), role
// "moderator", iat = a new now every token, exp = iat + 3600. Needs DSTOKEN_LIBRARY (or an
// installed libdstoken) when run from the repository.
declare(strict_types=1);

require __DIR__ . '/../../bindings/php/src/autoload.php';

use Dstoken\Claims;
use Dstoken\Key;

use function Dstoken\mint;

const KEY = '0123456789abcdef0123456789abcdef';
const TEAM = 'b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f';

$n = (int) ($argv[1] ?? 20000);
$rounds = (int) ($argv[2] ?? 15);
$t0 = time();
$ids = [];
for ($i = 0; $i < $n; $i++) {
    $ids[] = sprintf('user-%06d', $i);
}

function handRolled(array $ids, int $t0): void
{
    foreach ($ids as $i => $ud) {
        $now = $t0 + $i;
        $b64 = static fn (string $s): string => rtrim(strtr(base64_encode($s), '+/', '-_'), '=');
        $header = $b64(json_encode(['alg' => 'HS256', 'typ' => 'JWT'], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE));
        $payload = $b64(json_encode(['td' => TEAM, 'rd' => 'daily-standup', 'u' => 'John Smith', 'ud' => $ud, 'role' => 'moderator',
            'iat' => $now, 'exp' => $now + 3600], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE));
        $token = "$header.$payload." . $b64(hash_hmac('sha256', "$header.$payload", KEY, true));
    }
}

function oneCallMint(array $ids, int $t0, Key $key): void
{
    foreach ($ids as $i => $ud) {
        $token = mint($key, teamId: TEAM, room: 'daily-standup', userName: 'John Smith', userId: $ud, role: 'moderator',
            lifetime: 3600, now: $t0 + $i);
    }
}

function oneCallMintExplicit(array $ids, int $t0, Key $key): void
{
    foreach ($ids as $i => $ud) {
        $now = $t0 + $i;
        $token = mint($key, teamId: TEAM, room: 'daily-standup', userName: 'John Smith', userId: $ud, role: 'moderator',
            issuedAt: $now, expiresAt: $now + 3600);
    }
}

function builderWithCustomClaim(array $ids, int $t0, Key $key): void
{
    foreach ($ids as $i => $ud) {
        $token = (new Claims(teamId: TEAM, room: 'daily-standup', userName: 'John Smith', userId: $ud, role: 'moderator',
            lifetime: 3600, now: $t0 + $i))->claim('plan', 'pro')->sign($key);
    }
}

$key = Key::fromString(KEY);
// The same bytes first (the custom-claim path signs one more claim).
$b64 = static fn (string $s): string => rtrim(strtr(base64_encode($s), '+/', '-_'), '=');
$h = $b64('{"alg":"HS256","typ":"JWT"}');
$p = $b64(json_encode(['td' => TEAM, 'rd' => 'daily-standup', 'u' => 'John Smith', 'ud' => 'user-000000', 'role' => 'moderator',
    'iat' => $t0, 'exp' => $t0 + 3600], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE));
$expected = "$h.$p." . $b64(hash_hmac('sha256', "$h.$p", KEY, true));
$ours = mint($key, teamId: TEAM, room: 'daily-standup', userName: 'John Smith', userId: 'user-000000', role: 'moderator', lifetime: 3600, now: $t0);
if ($ours !== $expected) {
    fwrite(STDERR, "bench: dstoken and the hand-rolled method disagree\n$ours\n$expected\n");
    exit(1);
}

$paths = [
    'hand-rolled (json_encode + hash_hmac)' => static fn () => handRolled($ids, $t0),
    'dstoken mint(), lifetime: + now:' => static fn () => oneCallMint($ids, $t0, $key),
    'dstoken mint(), issuedAt: + expiresAt:' => static fn () => oneCallMintExplicit($ids, $t0, $key),
    'dstoken Claims + 1 custom claim' => static fn () => builderWithCustomClaim($ids, $t0, $key),
];
// What bench/report.py reads of each path: id, implementation, kind.
$meta = [
    'hand-rolled (json_encode + hash_hmac)' => ['hand_rolled', 'hand-written', 'hand-written'],
    'dstoken mint(), lifetime: + now:' => ['mint', 'dstoken', 'dstoken'],
    'dstoken mint(), issuedAt: + expiresAt:' => ['mint_explicit', 'dstoken', 'dstoken'],
    'dstoken Claims + 1 custom claim' => ['claims_custom', 'dstoken', 'dstoken'],
];

function cpuNs(): int
{
    $r = getrusage();
    return ($r['ru_utime.tv_sec'] + $r['ru_stime.tv_sec']) * 1000000000 + ($r['ru_utime.tv_usec'] + $r['ru_stime.tv_usec']) * 1000;
}

function median(array $xs): float
{
    sort($xs);
    $c = count($xs);
    return $c % 2 ? $xs[intdiv($c, 2)] : ($xs[$c / 2 - 1] + $xs[$c / 2]) / 2;
}

foreach ($paths as $f) { // warm-up
    $f();
}
$times = array_fill_keys(array_keys($paths), []);
$ratios = array_fill_keys(array_keys($paths), []);
for ($r = 0; $r < $rounds; $r++) {
    $round = [];
    foreach ($paths as $name => $f) {
        $c = cpuNs();
        $f();
        $round[$name] = (cpuNs() - $c) / $n;
        $times[$name][] = $round[$name];
    }
    $base = $round[array_key_first($paths)];
    foreach ($round as $name => $ns) {
        $ratios[$name][] = $ns / $base;
    }
}

printf("PHP %s, opcache %s, JIT %s; %d tokens x %d interleaved rounds (CPU time), library %s\n",
    PHP_VERSION, ini_get('opcache.enable_cli') ? 'on' : 'off', (ini_get('opcache.jit') && ini_get('opcache.enable_cli')) ? ini_get('opcache.jit') : 'off',
    $n, $rounds, Dstoken\libraryPath());
printf("%-40s %12s %14s %24s\n", 'path', 'ns/token', 'tokens/s', 'x hand-rolled (median)');
foreach ($paths as $name => $_) {
    $ns = median($times[$name]);
    printf("%-40s %12.0f %14s %10.2fx  [%.2f..%.2f]\n", $name, $ns, number_format(1e9 / $ns), median($ratios[$name]), min($ratios[$name]), max($ratios[$name]));
}

$out = getenv('DSTOKEN_BENCH_JSON');
if ($out !== false && $out !== '') {
    $results = [];
    foreach ($paths as $name => $_) {
        [$id, $impl, $kind] = $meta[$name];
        $rs = array_map(static fn ($v) => round($v, 1), $times[$name]);
        $results[] = ['id' => $id, 'name' => $name, 'impl' => $impl, 'kind' => $kind, 'op' => 'mint', 'threads' => 1,
            'unit' => 'ns/token', 'clock' => 'cpu', 'median' => round(median($rs), 2), 'rounds' => $rs];
    }
    $data = ['schema' => 1, 'benchmark' => basename($out, '.json'), 'language' => 'PHP', 'program' => 'bench/php/bench.php',
        'settings' => ['n' => $n, 'rounds' => $rounds],
        'runtime' => sprintf('PHP %s, opcache %s', PHP_VERSION, ini_get('opcache.enable_cli') ? 'on' : 'off'),
        'results' => $results];
    if (file_put_contents($out, json_encode($data, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION) . "\n") === false) {
        fwrite(STDERR, "bench: cannot write $out\n");
        exit(1);
    }
}
