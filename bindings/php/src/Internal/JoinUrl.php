<?php

declare(strict_types=1);

namespace Dstoken\Internal;

use Dstoken\Status;

/** @internal dst_join_url with PHP-named errors. */
final class JoinUrl
{
    private function __construct()
    {
    }

    public static function build(string $m, string $team, string $room, ?string $token, bool $allowPort = false): string
    {
        foreach (['team' => $team, 'room' => $room, 'token' => $token] as $name => $v) {
            if ($v !== null && str_contains($v, "\0")) {
                throw Mint::bad($m, "$name contains a NUL byte, which a C string cannot carry; remove it");
            }
            if ($v !== null && preg_match('//u', $v) !== 1) {
                throw Mint::bad($m, "$name is not valid UTF-8", Status::INVALID_UTF8);
            }
        }
        $n = Native::$n ?? Native::get();
        $url = $n->stringOut();
        $st = $allowPort
            ? $n->ffi->dst_join_url_opts($team, $room, $token, 1 /* DST_URL_ALLOW_PORT */, \FFI::addr($url))
            : $n->ffi->dst_join_url($team, $room, $token, \FFI::addr($url));
        if ($st !== 0) {
            throw $n->error($st, $m);
        }
        return $n->takeString($url);
    }
}
