<?php

declare(strict_types=1);

namespace Dstoken\Tests;

use Dstoken\Claims;
use Dstoken\Key;
use PHPUnit\Framework\TestCase;

use function Dstoken\mint;

/**
 * The same claims give the same bytes as Digital Samba's hand-rolled PHP method (json_encode with
 * JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE, base64url, hash_hmac), and PyJWT accepts
 * every token minted here.
 */
final class HandRolledTest extends TestCase
{
    /** @return iterable<string, array{0: array<string, string>}> */
    public static function people(): iterable
    {
        yield 'ascii' => [['userName' => 'John Smith', 'userId' => 'user-000001', 'role' => 'moderator']];
        yield 'every field' => [['userName' => 'John Smith', 'userId' => 'u1', 'initials' => 'JS', 'role' => 'attendee',
            'breakoutId' => 'breakout-7', 'avatar' => 'https://example.com/a.png?x=1&y=2']];
        yield 'unicode and slashes' => [['userName' => 'Zoë 🎉 李 👩🏽‍💻', 'initials' => 'ZÖ', 'role' => 'مرحبا עברית',
            'avatar' => 'https://example.com/é/a b.png']];
        yield 'escapes' => [['userName' => "say \"hi\" C:\\path </script> \u{7f}", 'userId' => "\x01\x08\t\n\x0b\x0c\r\x1f"]];
        yield 'empty optional strings' => [['userName' => '', 'userId' => '', 'role' => '']];
    }

    /**
     * @dataProvider people
     * @param array<string, string> $person
     */
    public function testByteIdentity(array $person): void
    {
        $key = Key::fromString(Support::KEY);
        $now = time();
        $tokens = [];
        foreach ([['b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f', 'daily-standup'], ['équipe', 'salle é/1 ?#']] as [$team, $room]) {
            $payload = ['td' => $team, 'rd' => $room];
            foreach (['userName' => 'u', 'userId' => 'ud', 'initials' => 'initials', 'role' => 'role', 'breakoutId' => 'breakoutId', 'avatar' => 'avatar'] as $arg => $claim) {
                if (isset($person[$arg])) {
                    $payload[$claim] = $person[$arg];
                }
            }
            $payload['iat'] = $now;
            $payload['exp'] = $now + 3600;
            $expected = Support::handRolled($payload, Support::KEY);
            $this->assertSame($expected, mint($key, ...['teamId' => $team, 'room' => $room] + $person + ['lifetime' => 3600, 'now' => $now]), 'relative');
            $this->assertSame($expected, mint($key, ...['teamId' => $team, 'room' => $room] + $person + ['issuedAt' => $now, 'expiresAt' => $now + 3600]), 'explicit');
            $this->assertSame($expected, (new Claims(...['teamId' => $team, 'room' => $room] + $person))->issuedAt($now)->expiresAt($now + 3600)->sign($key), 'builder');
            $payload['plan'] = 'pro/plus';
            $payload['limits'] = ['rooms' => 3, 'ratio' => 0.5, 'tags' => ['a', 'é'], 'on' => true, 'none' => null];
            $expectedCustom = Support::handRolled($payload, Support::KEY);
            $this->assertSame($expectedCustom, (new Claims(...['teamId' => $team, 'room' => $room] + $person))->issuedAt($now)->expiresAt($now + 3600)
                ->claim('plan', 'pro/plus')->claim('limits', $payload['limits'])->sign($key), 'custom claims');
            $tokens[] = $expected;
            $tokens[] = $expectedCustom;
        }
        $decoded = Support::pyjwt($tokens, Support::KEY);
        $this->assertSame($person['userName'] ?? null, $decoded[0]['u'] ?? null);
        $this->assertSame(['rooms' => 3, 'ratio' => 0.5, 'tags' => ['a', 'é'], 'on' => true, 'none' => null], $decoded[1]['limits']);
    }

    /**
     * json_encode escapes U+2028 and U+2029 (unless JSON_UNESCAPED_LINE_TERMINATORS); dstoken
     * writes them as they are, as RFC 8259 allows: the only difference from the hand-rolled bytes.
     */
    public function testLineTerminators(): void
    {
        $now = time();
        $name = "line\u{2028}para\u{2029}end";
        $payload = ['td' => 't', 'rd' => 'r', 'u' => $name, 'iat' => $now, 'exp' => $now + 60];
        $token = mint(Support::KEY, teamId: 't', room: 'r', userName: $name, lifetime: 60, now: $now);
        $this->assertNotSame(Support::handRolled($payload, Support::KEY), $token);
        $b64 = static fn (string $s): string => rtrim(strtr(base64_encode($s), '+/', '-_'), '=');
        $flags = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_LINE_TERMINATORS;
        $h = $b64(json_encode(['alg' => 'HS256', 'typ' => 'JWT'], $flags));
        $p = $b64(json_encode($payload, $flags));
        $this->assertSame("$h.$p." . $b64(hash_hmac('sha256', "$h.$p", Support::KEY, true)), $token);
        $this->assertSame($name, Support::pyjwt([$token], Support::KEY)[0]['u']);
    }
}
