<?php

declare(strict_types=1);

namespace Dstoken\Tests;

use Dstoken\Claims;
use Dstoken\Key;
use PHPUnit\Framework\TestCase;

use function Dstoken\mint;
use function Dstoken\verify;

/** verify(): claims as an array with exact numbers; leeway, now, DateTime; keys given as strings. */
final class VerifyTest extends TestCase
{
    /** A token signed over exactly this payload text (hand-rolled, so any JSON can be tested). */
    private static function signed(string $payloadJson): string
    {
        $b64 = static fn (string $s): string => rtrim(strtr(base64_encode($s), '+/', '-_'), '=');
        $h = $b64('{"alg":"HS256","typ":"JWT"}');
        $p = $b64($payloadJson);
        return "$h.$p." . $b64(hash_hmac('sha256', "$h.$p", Support::KEY, true));
    }

    public function testExactNumbers(): void
    {
        $json = '{"td":"t","rd":"r","iat":1700000000,"exp":1700003600.5,'
            . '"i_max":9223372036854775807,"i_min":-9223372036854775808,"big":9223372036854775808,'
            . '"neg_big":-123456789012345678901234567890,"half":2.5,"tenth":0.1,"e3":1e3,"one":1.0,'
            . '"neg_zero":-0.0,"precise":0.10000000000000000001,"huge":1e400,"tiny":5e-324,"tiny_as_written":4.9e-324,'
            . '"under":1e-400,"list":[1,18446744073709551616,0.5,"1.5",{"n":3.14159265358979323846}],'
            . '"s":"v1.2.3 \"q\" 12345678901234567890","e":1E+2}';
        $c = verify(self::signed($json), Key::fromString(Support::KEY), now: 1700000000);
        $this->assertSame(1700000000, $c['iat']);
        $this->assertSame(1700003600.5, $c['exp']);
        $this->assertSame(PHP_INT_MAX, $c['i_max']);
        $this->assertSame(PHP_INT_MIN, $c['i_min']);
        $this->assertSame('9223372036854775808', $c['big']);
        $this->assertSame('-123456789012345678901234567890', $c['neg_big']);
        $this->assertSame(2.5, $c['half']);
        $this->assertSame(0.1, $c['tenth']);
        $this->assertSame(1000.0, $c['e3']);
        $this->assertSame(1.0, $c['one']);
        $this->assertSame(-0.0, $c['neg_zero']);
        $this->assertSame('0.10000000000000000001', $c['precise']);
        $this->assertSame('1e400', $c['huge']);
        $this->assertSame(5e-324, $c['tiny']);
        $this->assertSame('4.9e-324', $c['tiny_as_written'], 'the same float, but its shortest form is 5e-324');
        $this->assertSame('1e-400', $c['under']);
        $this->assertSame([1, '18446744073709551616', 0.5, '1.5', ['n' => '3.14159265358979323846']], $c['list']);
        $this->assertSame('v1.2.3 "q" 12345678901234567890', $c['s']);
        $this->assertSame(100.0, $c['e']);
        $this->assertSame(['td', 'rd', 'iat', 'exp'], array_slice(array_keys($c), 0, 4), 'claims keep the token\'s order');
    }

    public function testLeewayNowAndKeys(): void
    {
        $now = time();
        $token = mint(Support::KEY, teamId: 't', room: 'r', userName: 'Zoë', lifetime: 60, now: $now);
        $want = ['td' => 't', 'rd' => 'r', 'u' => 'Zoë', 'iat' => $now, 'exp' => $now + 60];
        $this->assertSame($want, verify($token, Support::KEY));
        $this->assertSame($want, verify($token, Key::fromString(Support::KEY), now: $now + 59));
        $this->assertSame($want, verify($token, Support::KEY, now: $now + 89, leeway: 30));
        $this->assertSame($want, verify($token, Support::KEY, now: new \DateTimeImmutable('@' . ($now + 10))));
        $this->assertSame($want, verify($token, Support::KEY, now: $now - 30, leeway: 30), 'iat in the future within the leeway');
        $this->expectException(\Dstoken\ExpiredException::class);
        verify($token, Support::KEY, now: $now + 90, leeway: 30);
    }

    public function testCustomClaimsRoundTrip(): void
    {
        $profile = ['plan' => 'pro', 'n' => -42, 'ratio' => 0.25, 'on' => false, 'tags' => ['a', 'é'], 'o' => ['k' => null]];
        $c = new Claims(teamId: 't', room: 'r', lifetime: 60, custom: $profile);
        $c->claim('later', 'x')->claimJson('exact', '123456789012345678901234567890');
        $this->assertTrue($c->removeClaim('later'));
        $this->assertFalse($c->removeClaim('later'));
        $claims = verify($c->sign(Support::KEY), Support::KEY);
        $this->assertSame($profile + ['exact' => '123456789012345678901234567890'], array_diff_key($claims, ['td' => 1, 'rd' => 1, 'iat' => 1, 'exp' => 1]));
        $this->assertSame($profile + ['exact' => '123456789012345678901234567890'], $c->customClaims());
        $py = Support::pyjwt([$c->sign(Support::KEY)], Support::KEY)[0];
        $this->assertSame('123456789012345678901234567890', $py['exact']);
    }
}
