<?php

declare(strict_types=1);

namespace Dstoken\Tests;

use Dstoken\Claims;
use Dstoken\Key;
use PHPUnit\Framework\TestCase;

use function Dstoken\joinUrl;
use function Dstoken\mint;
use function Dstoken\mintUrl;
use function Dstoken\verify;

/**
 * Calls that nest share nothing. With pcntl_async_signals(true) a signal handler runs between
 * two opcodes of the code it interrupts: after dst_mint_into() has written a token and before
 * the binding has read it, for instance. A handler that mints there (mallory's moderator
 * token) must not change what the interrupted call returns (alice's attendee token); with one
 * output buffer reused by every call, it did, a few times in a hundred.
 *
 * An interval timer (setitimer, called through FFI) sends SIGALRM every 50 µs, so the handler
 * lands at arbitrary points of the main loop, which mints alice's tokens by every entry point
 * (mint()'s fast path, both ways; its checked path; the Claims builder with a custom claim;
 * mintUrl(); verify(); joinUrl()) while the handler does the same for mallory.
 */
final class SignalNestingTest extends TestCase
{
    private const ITERATIONS = 20000;
    private const SECONDS = 1.5;
    private const INTERVAL_US = 100;

    /** @return iterable<string, array{0: int}> */
    public static function entryPoints(): iterable
    {
        yield 'mint(), fast path, lifetime' => [0];
        yield 'mint(), fast path, issuedAt + expiresAt' => [1];
        yield 'mint(), checked path' => [2];
        yield 'Claims with a custom claim' => [3];
        yield 'mintUrl()' => [4];
        yield 'verify() and joinUrl()' => [5];
    }

    /** The claims a token carries, decoded without checking it (the check is PyJWT's, below). */
    private static function payload(string $token): array
    {
        $p = explode('.', $token)[1] ?? '';
        return json_decode((string) base64_decode(strtr($p, '-_', '+/')), true, 512, JSON_THROW_ON_ERROR);
    }

    /**
     * One operation by entry point $path, for $who ('alice' attendee or 'mallory' moderator):
     * returns the token (or the URL's token) and what the result says about who it is for.
     *
     * @return array{0: ?string, 1: string, 2: string, 3: string}
     */
    private static function op(Key $key, int $path, string $who, int $i, string $prior): array
    {
        $role = $who === 'alice' ? 'attendee' : 'moderator';
        $ud = "$who-$i";
        $room = "room-$ud";
        $now = time();
        switch ($path) {
            case 0: // fast path: lifetime + now
                $t = mint($key, teamId: 'team', room: $room, userName: $who, userId: $ud, role: $role, lifetime: 3600, now: $now);
                break;
            case 1: // fast path: issuedAt + expiresAt
                $t = mint($key, teamId: 'team', room: $room, userName: $who, userId: $ud, role: $role, issuedAt: $now, expiresAt: $now + 3600);
                break;
            case 2: // checked path (a skew is not taken by the fast path)
                $t = mint($key, teamId: 'team', room: $room, userName: $who, userId: $ud, role: $role, lifetime: 3600, notBeforeSkew: 5);
                break;
            case 3: // claim-set path
                $t = (new Claims(teamId: 'team', room: $room, userName: $who, userId: $ud, role: $role, lifetime: 3600))->claim('seat', $i)->sign($key);
                break;
            case 4: // dst_mint_url: a library-owned string
                $url = mintUrl($key, 'acme', teamId: 'team', room: $room, userName: $who, userId: $ud, role: $role, lifetime: 3600);
                $prefix = "https://acme.digitalsamba.com/$room?token=";
                if (!str_starts_with($url, $prefix)) {
                    return [null, "mintUrl gave $url", '', ''];
                }
                $t = substr($url, strlen($prefix));
                break;
            default: // verify() and joinUrl(): library-owned strings
                $c = verify($prior, $key);
                $url = joinUrl('acme', $room);
                if ($url !== "https://acme.digitalsamba.com/$room") {
                    return [null, "joinUrl gave $url", '', ''];
                }
                return [null, (string) ($c['u'] ?? ''), (string) ($c['ud'] ?? ''), (string) ($c['role'] ?? '')];
        }
        $c = self::payload($t);
        return [$t, (string) ($c['u'] ?? ''), (string) ($c['ud'] ?? ''), (string) ($c['role'] ?? '')];
    }

    /** @dataProvider entryPoints */
    public function testHandlerMintsNeverReachTheInterruptedCall(int $path): void
    {
        foreach (['pcntl', 'ffi'] as $ext) {
            if (!extension_loaded($ext)) {
                $this->fail("this test needs PHP's $ext extension (Debian's php-cli has it built in)");
            }
        }
        $libc = \FFI::cdef(
            'struct timeval { long tv_sec; long tv_usec; };'
            . 'struct itimerval { struct timeval it_interval; struct timeval it_value; };'
            . 'int setitimer(int which, const struct itimerval *new_value, struct itimerval *old_value);',
            'libc.so.6'
        );
        $timer = $libc->new('struct itimerval');
        $key = Key::fromString(Support::KEY);

        // What the handler saw: its own results, each checked against mallory.
        $handled = 0;
        $handlerWrong = [];
        $malloryTokens = [];
        $prior = ['alice' => mint($key, teamId: 'team', room: 'r', userName: 'alice', userId: 'alice-prior', role: 'attendee', lifetime: 3600)];
        $prior['mallory'] = mint($key, teamId: 'team', room: 'r', userName: 'mallory', userId: 'mallory-prior', role: 'moderator', lifetime: 3600);
        $handler = static function () use ($key, &$handled, &$handlerWrong, &$malloryTokens, $prior): void {
            $h = $handled++;
            [$t, $u, $ud, $role] = self::op($key, $h % 6, 'mallory', $h, $prior['mallory']);
            $want = $h % 6 === 5 ? 'mallory-prior' : "mallory-$h";
            if ($u !== 'mallory' || $ud !== $want || $role !== 'moderator') {
                $handlerWrong[] = "handler op " . ($h % 6) . ": got u=$u ud=$ud role=$role";
            }
            if ($t !== null && count($malloryTokens) < 300) {
                $malloryTokens[] = $t;
            }
        };

        $swapped = [];
        $aliceTokens = [];
        $iterations = 0;
        $wasAsync = pcntl_async_signals(true);
        pcntl_signal(SIGALRM, $handler);
        $timer->it_interval->tv_usec = self::INTERVAL_US;
        $timer->it_value->tv_usec = self::INTERVAL_US;
        $t0 = hrtime(true);
        try {
            $this->assertSame(0, $libc->setitimer(0 /* ITIMER_REAL */, \FFI::addr($timer), null), 'setitimer');
            for ($i = 0; $i < self::ITERATIONS && (hrtime(true) - $t0) < self::SECONDS * 1e9; $i++) {
                [$t, $u, $ud, $role] = self::op($key, $path, 'alice', $i, $prior['alice']);
                $want = $path === 5 ? 'alice-prior' : "alice-$i";
                if ($u !== 'alice' || $ud !== $want || $role !== 'attendee') {
                    $swapped[] = "op $path, iteration $i: got u=$u ud=$ud role=$role";
                }
                if ($t !== null && $i % 10 < 5) {
                    $aliceTokens[$i] = $t;
                }
                $iterations++;
            }
        } finally {
            // Timer off first, then the signals still queued run the handler, and a stray
            // SIGALRM after this test is ignored rather than ending PHPUnit.
            $timer->it_interval->tv_usec = 0;
            $timer->it_value->tv_usec = 0;
            $libc->setitimer(0, \FFI::addr($timer), null);
            pcntl_signal_dispatch();
            pcntl_signal(SIGALRM, SIG_IGN);
            pcntl_async_signals($wasAsync);
        }
        $seconds = (hrtime(true) - $t0) / 1e9;
        fwrite(STDERR, sprintf("\n  signal nesting, %-40s %d calls, %d handler runs in %.1f s, %d swapped", $this->dataName() . ':', $iterations, $handled, $seconds, count($swapped)));

        $this->assertSame([], array_slice($swapped, 0, 10), sprintf(
            '%d of %d calls returned what a signal handler minted meanwhile (first 10 shown)',
            count($swapped), $iterations
        ));
        $this->assertSame([], array_slice($handlerWrong, 0, 10), 'the handler\'s own calls');
        // Enough nesting for the check to mean something (a swap was seen a few times in a
        // hundred handler runs).
        $this->assertGreaterThan(500, $handled, "the timer's handler ran only $handled times");
        $this->assertGreaterThan(1000, $iterations);

        // The tokens are sound, as an independent verifier reads them.
        $sample = array_slice($aliceTokens, 0, 1000, true);
        $decoded = Support::pyjwt(array_values($sample), Support::KEY);
        foreach (array_keys($sample) as $n => $i) {
            $this->assertSame(['alice', "alice-$i", 'attendee'], [$decoded[$n]['u'], $decoded[$n]['ud'], $decoded[$n]['role']]);
        }
        foreach (Support::pyjwt($malloryTokens, Support::KEY) as $c) {
            $this->assertSame(['mallory', 'moderator'], [$c['u'], $c['role']]);
        }
    }
}
