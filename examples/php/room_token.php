<?php

// The Digital Samba docs' scenario in PHP: a team, a room, user "John Smith" as moderator,
// valid for one hour (not before 30 s ago). Prints the token and the room's join URL, then
// verifies the token.
//
// Values come from DIGITALSAMBA_TEAM_ID, DIGITALSAMBA_DEVELOPER_KEY, DIGITALSAMBA_TEAM,
// DIGITALSAMBA_ROOM and DIGITALSAMBA_USER, falling back to demo values. Uses Composer's
// autoloader when run inside a project (vendor/autoload.php), else bindings/php from this
// checkout, with the library from DSTOKEN_LIBRARY or the CMake build (build/stage/lib).
declare(strict_types=1);

$vendor = getcwd() . '/vendor/autoload.php';
if (is_file($vendor)) {
    require $vendor;
} else {
    $root = dirname(__DIR__, 2);
    $built = glob("$root/build/stage/lib/libdstoken.so.*.*.*") ?: [];
    if ($built && getenv('DSTOKEN_LIBRARY') === false) {
        putenv("DSTOKEN_LIBRARY={$built[0]}");
    }
    require "$root/bindings/php/src/autoload.php";
}

use Dstoken\DstokenException;
use Dstoken\Key;

use function Dstoken\joinUrl;
use function Dstoken\mint;
use function Dstoken\verify;

$env = static fn (string $name, string $default): string => getenv($name) ?: $default;
$teamId = $env('DIGITALSAMBA_TEAM_ID', 'b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f');
$team = $env('DIGITALSAMBA_TEAM', 'demo');
$room = $env('DIGITALSAMBA_ROOM', 'daily-standup');

try {
    $key = Key::fromString($env('DIGITALSAMBA_DEVELOPER_KEY', '0123456789abcdef0123456789abcdef')); // raw text
    $token = mint($key, teamId: $teamId, room: $room, userName: $env('DIGITALSAMBA_USER', 'John Smith'),
                  role: 'moderator', lifetime: 3600, notBeforeSkew: 30);
    echo $token, "\n", joinUrl($team, $room, $token), "\n";
    $claims = verify($token, $key, leeway: 30);
    fprintf(STDERR, "verified: %s is %s of %s until %s\n", $claims['u'], $claims['role'], $claims['rd'], gmdate('c', $claims['exp']));
} catch (DstokenException $e) {
    fprintf(STDERR, "room_token.php: %s\n", $e->getMessage());
    exit(1);
}
