<?php

declare(strict_types=1);

namespace Dstoken\Tests;

use Dstoken\Claims;
use Dstoken\DstokenException;
use Dstoken\Key;
use Dstoken\Status;
use PHPUnit\Framework\TestCase;

use function Dstoken\mint;
use function Dstoken\mintUrl;
use function Dstoken\verify;

/**
 * A Key's native key is freed exactly once. __destruct() is public (PHP allows no other), so a
 * caller may destroy a key early; PHP calls it again when the object dies. The second call
 * must do nothing (it freed the key twice), and every later use must throw instead of signing
 * with freed memory. The ctest php_key_lifetime_valgrind runs this file under valgrind.
 */
final class KeyLifetimeTest extends TestCase
{
    /** @return list<array{0: string, 1: \Closure(Key): mixed}> every entry point that takes a Key, by the method it names */
    private static function uses(string $token): array
    {
        $now = time();
        $t = ['teamId' => 'team', 'room' => 'room'];
        return [
            ['Dstoken\mint()', fn (Key $k) => mint($k, ...$t, userName: 'John', lifetime: 3600)],
            ['Dstoken\mint()', fn (Key $k) => mint($k, ...$t, issuedAt: $now, expiresAt: $now + 3600)],
            ['Dstoken\mint()', fn (Key $k) => mint($k, ...$t, lifetime: 3600, notBeforeSkew: 5)],
            ['Dstoken\mint()', fn (Key $k) => mint($k, ...$t, noExpiry: true)],
            ['Dstoken\mintUrl()', fn (Key $k) => mintUrl($k, 'acme', ...$t, lifetime: 3600)],
            ['Dstoken\mintUrl()', fn (Key $k) => mintUrl($k, 'meet.example.com:8443', ...$t, lifetime: 3600, allowPort: true)],
            ['Dstoken\Claims::sign()', fn (Key $k) => (new Claims(...$t, lifetime: 3600))->sign($k)],
            ['Dstoken\Claims::sign()', fn (Key $k) => (new Claims(...$t, lifetime: 3600))->claim('plan', 'pro')->sign($k)],
            ['Dstoken\Claims::signUrl()', fn (Key $k) => (new Claims(...$t, lifetime: 3600))->signUrl($k, 'acme')],
            ['Dstoken\verify()', fn (Key $k) => verify($token, $k)],
        ];
    }

    public function testDestroyingTwiceFreesOnceAndLaterUsesThrow(): void
    {
        $key = Key::fromString(Support::KEY);
        $before = mint($key, teamId: 'team', room: 'room', userName: 'John', lifetime: 3600);
        $uses = self::uses($before);
        foreach ($uses as [, $use]) {
            $this->assertNotEmpty($use($key));
        }

        $key->__destruct();
        $key->__destruct();

        foreach ($uses as [$method, $use]) {
            try {
                $r = $use($key);
                $this->fail("$method signed or verified with a destroyed key: " . var_export($r, true));
            } catch (DstokenException $e) {
                $this->assertSame(Status::INVALID_ARGUMENT, $e->getCode(), $e->getMessage());
                $this->assertSame(
                    "DST_ERR_INVALID_ARGUMENT: $method: \$key: this Dstoken\\Key was destroyed (its __destruct() was called), so it can no longer sign or verify; make a new one with Dstoken\\Key::fromString()",
                    $e->getMessage()
                );
            }
        }
        unset($key); // PHP's own destruction: a third call, which must do nothing either

        // Another key works as before, and the token from before is sound.
        $again = Key::fromString(Support::KEY);
        $after = mint($again, teamId: 'team', room: 'room', userName: 'Jane', lifetime: 3600);
        [$a, $b] = Support::pyjwt([$before, $after], Support::KEY);
        $this->assertSame(['John', 'Jane'], [$a['u'], $b['u']]);
        $this->assertSame('Jane', verify($after, $again)['u']);
    }

    public function testManyKeysDestroyedTwice(): void
    {
        for ($i = 0; $i < 200; $i++) {
            $k = Key::fromString(Support::KEY . $i);
            $token = mint($k, teamId: 'team', room: "room-$i", lifetime: 60);
            $k->__destruct();
            $k->__destruct();
            $this->assertNotSame('', $token);
            try {
                mint($k, teamId: 'team', room: "room-$i", lifetime: 60);
                $this->fail('a destroyed key signed');
            } catch (DstokenException $e) {
                $this->assertStringContainsString('was destroyed', $e->getMessage());
            }
        }
    }

    /** A Key made without its constructor (Reflection) holds nothing: it neither signs nor crashes. */
    public function testKeyWithoutConstructor(): void
    {
        $k = (new \ReflectionClass(Key::class))->newInstanceWithoutConstructor();
        try {
            mint($k, teamId: 'team', room: 'room', lifetime: 60);
            $this->fail('a Key without a native key signed');
        } catch (DstokenException $e) {
            $this->assertStringContainsString('Dstoken\mint(): $key: this Dstoken\Key was destroyed', $e->getMessage());
        }
        $k->__destruct();
        unset($k);
    }
}
