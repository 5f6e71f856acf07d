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
 */
final class LeakTest extends TestCase
{
    private const N = 100000;

    private static function rssKiB(): int
    {
        $s = (string) @file_get_contents('/proc/self/status');
        return preg_match('/^VmRSS:\s+(\d+) kB/m', $s, $m) === 1 ? (int) $m[1] : 0;
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
        $heap0 = memory_get_usage();
        $rss0 = self::rssKiB();
        $t0 = hrtime(true);
        for ($i = 0; $i < self::N; $i++) {
            $op($i);
        }
        $ns = (hrtime(true) - $t0) / self::N;
        gc_collect_cycles();
        $heap = memory_get_usage() - $heap0;
        $rss = self::rssKiB() - $rss0;
        fwrite(STDERR, sprintf("\n  leak check %-28s %d ops: PHP heap %+d bytes, RSS %+d KiB (%.0f ns/op)", $this->dataName(), self::N, $heap, $rss, $ns));
        $this->assertLessThan(64 * 1024, $heap, 'PHP heap growth over 10^5 operations');
        $this->assertLessThan(1024, $rss, 'RSS growth (KiB) over 10^5 operations');
    }
}
