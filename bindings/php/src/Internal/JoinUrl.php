<?php

declare(strict_types=1);

namespace Dstoken\Internal;

/** @internal dst_join_url and dst_join_url_opts. */
final class JoinUrl
{
    private function __construct()
    {
    }

    public static function build(string $m, string $team, string $room, ?string $token, bool $allowPort = false): string
    {
        foreach ([24 => $team, 5 => $room, 2 => $token] as $arg => $v) {
            if ($v !== null && str_contains($v, "\0")) {
                throw Mint::unconvertible($m, $arg, 'contains a NUL byte ("\\0"), which a C string cannot carry; remove it');
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
