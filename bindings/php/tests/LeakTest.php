<?php

declare(strict_types=1);

namespace Dstoken\Tests;

use Dstoken\Claims;
use Dstoken\Key;
use PHPUnit\Framework\TestCase;

use function Dstoken\mint;
use function Dstoken\mintUrl;
use function Dstoken\verify;

/**
 * Keys, claim sets, tokens and URLs are freed: 10^5 operations of each kind leave PHP's heap
 * (memory_get_usage) and the process's resident set (VmRSS, which includes the native
 * library's allocations) where they were. The measured growth goes to stderr.
 *
 * The resident set is read from /proc/self/status. Where that cannot be read, the native side
 * cannot be measured: the test fails under CI or DSTOKEN_STRICT_TESTS (nothing may be skipped
 * there) and is marked skipped elsewhere, after checking PHP's heap; it never passes on a
 * reading it did not make.
 */
final class LeakTest extends TestCase
{
    private const N = 100000;

    private const STATUS = '/proc/self/status';

    /** The resident set in KiB, or null when it cannot be read. */
    private static function rssKiB(): ?int
    {
        $s = @file_get_contents(self::STATUS);
        if (!is_string($s) || preg_match('/^VmRSS:\s+(\d+) kB/m', $s, $m) !== 1 || (int) $m[1] <= 0) {
            return null;
        }
        return (int) $m[1];
    }

    /** @return iterable<string, array{0: \Closure(int): mixed}> */
    public static function operations(): iterable
    {
        $key = Key::fromString(Support::KEY);
        $now = time();
        yield 'mint' => [fn (int $i) => mint($key, teamId: 'team', room: "room-$i", userName: "user $i", userId: "u$i", role: 'moderator', lifetime: 3600, now: $now + $i % 1000)];
        yield 'mint with a string key' => [fn (int $i) => mint(Support::KEY, teamId: 'team', room: "room-$i", lifetime: 3600)];
        yield 'mintUrl' => [fn (int $i) => mintUrl($key, 'acme', teamId: 'team', room: "room-$i", lifetime: 3600)];
        yield 'Key::fromString' => [fn (int $i) => Key::fromString(Support::KEY . $i)];
        yield 'Claims with custom claims' => [fn (int $i) => (new Claims(teamId: 'team', room: "r$i", lifetime: 60))->claim('n', $i)->claim('o', ['a' => [$i, 'x']])->sign($key)];
        $token = mint($key, teamId: 'team', room: 'room', userName: 'John', lifetime: 3600);
        yield 'verify' => [fn (int $i) => verify($token, $key)];
        yield 'failed verify' => [static function (int $i) use ($token, $key) {
            try {
                verify($token . 'x', $key);
            } catch (\Dstoken\DstokenException $e) {
                return $e;
            }
        }];
    }

    /**
     * @dataProvider operations
     * @param \Closure(int): mixed $op
     */
    public function testNoLeak(\Closure $op): void
    {
        for ($i = 0; $i < 2000; $i++) {
            $op($i);
        }
        gc_collect_cycles();
        $rss0 = self::rssKiB();
        if ($rss0 === null && Support::strict()) {
            $this->fail('cannot read the resident set (VmRSS in ' . self::STATUS . '), so native leaks cannot be measured; under CI or DSTOKEN_STRICT_TESTS this is a failure');
        }
        $heap0 = memory_get_usage();
        $t0 = hrtime(true);
        for ($i = 0; $i < self::N; $i++) {
            $op($i);
        }
        $ns = (hrtime(true) - $t0) / self::N;
        gc_collect_cycles();
        $heap = memory_get_usage() - $heap0;
        $rss1 = self::rssKiB();
        if ($rss0 === null || $rss1 === null) {
            fwrite(STDERR, sprintf("\n  leak check %-28s %d ops: PHP heap %+d bytes, RSS unreadable (%.0f ns/op)", $this->dataName(), self::N, $heap, $ns));
            $this->assertLessThan(64 * 1024, $heap, 'PHP heap growth over 10^5 operations');
            Support::unavailable('cannot read the resident set (VmRSS in ' . self::STATUS . '): native leaks not measured');
        }
        $rss = $rss1 - $rss0;
        fwrite(STDERR, sprintf("\n  leak check %-28s %d ops: PHP heap %+d bytes, RSS %+d KiB (%.0f ns/op)", $this->dataName(), self::N, $heap, $rss, $ns));
        $this->assertLessThan(64 * 1024, $heap, 'PHP heap growth over 10^5 operations');
        $this->assertLessThan(1024, $rss, 'RSS growth (KiB) over 10^5 operations');
    }
}
