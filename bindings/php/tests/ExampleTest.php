<?php

declare(strict_types=1);

namespace Dstoken\Tests;

use PHPUnit\Framework\TestCase;

/** examples/php/room_token.php runs, and PyJWT accepts the token it prints. */
final class ExampleTest extends TestCase
{
    public function testExample(): void
    {
        [$code, $out, $err] = Support::run([PHP_BINARY, Support::repo() . '/examples/php/room_token.php'], '',
            Support::env(['DIGITALSAMBA_TEAM' => 'acme', 'DIGITALSAMBA_USER' => 'Zoë', 'DSTOKEN_LIBRARY' => Support::library()]), sys_get_temp_dir());
        $this->assertSame(0, $code, $err);
        [$token, $url] = explode("\n", trim($out));
        $this->assertSame("https://acme.digitalsamba.com/daily-standup?token=$token", $url);
        $this->assertStringContainsString('verified: Zoë is moderator of daily-standup', $err);
        $c = Support::pyjwt([$token], Support::KEY)[0];
        $this->assertSame(['b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f', 'daily-standup', 'Zoë', 'moderator'], [$c['td'], $c['rd'], $c['u'], $c['role']]);
        $this->assertSame([3600, 30], [$c['exp'] - $c['iat'], $c['iat'] - $c['nbf']]);
    }
}
