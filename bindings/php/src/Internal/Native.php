<?php

declare(strict_types=1);

namespace Dstoken\Internal;

use Dstoken\DstokenException;
use Dstoken\Key;
use Dstoken\Status;
use FFI;
use FFI\CData;
use FFI\CType;

/**
 * Finds and loads libdstoken through PHP's FFI, and makes the native buffers each call uses
 * (internal: not part of the public API).
 *
 * Where the library comes from, in order:
 *  1. the FFI scope "DSTOKEN" when a preload script made one (PHP-FPM with ffi.enable=preload,
 *     see preload.php); every call then goes through that scope;
 *  2. the copy bundled in the package: native/<os>-<arch>/libdstoken.so.<abi>;
 *  3. DSTOKEN_LIBRARY, the full path of a libdstoken;
 *  4. the system library by its SONAME, libdstoken.so.<abi> (Debian's libdstoken0.1).
 *
 * One process uses exactly one FFI instance (types of two FFI instances do not mix), chosen
 * once, at the first call.
 *
 * No call shares a native buffer with another: every buffer, length and out-pointer is made
 * for the call that uses it (FFI::new) and dies with it. Calls can nest: a signal handler
 * (pcntl_async_signals) runs between two opcodes of the code it interrupts, for instance
 * between dst_mint_into() returning and the token being read from its buffer, and may mint a
 * token itself: a buffer shared between the two would hand the interrupted call the handler's
 * token, another user's. What is shared is read-only after loading: the FFI instance and the
 * parsed types below (FFI::new() of a type given as text parses it at every call, which costs
 * about as much as the allocation).
 *
 * @internal
 */
final class Native
{
    /** The FFI scope name the preload script declares (FFI_SCOPE). */
    public const SCOPE = 'DSTOKEN';
    /** This package's version (Dstoken\VERSION); the library must have the same major.minor. */
    public const PACKAGE_VERSION = '0.1.0';

    /** The two buffer sizes made from parsed types: most tokens fit the small one. */
    private const SMALL = 512;
    private const LARGE = 4096;

    public static ?self $n = null;

    public FFI $ffi;
    /** Where the library came from: "preload", "bundled", "DSTOKEN_LIBRARY" or "system". */
    public string $source;
    /** The library file, once asked for (see path()). */
    private ?string $path;
    public string $version;

    /** dst_room_token as the library expects it (sizeof, as this header declares it). */
    public int $structSize;
    /** pack() format of dst_room_token (version 3): size_t, 8 pointers, 6 int64, bool, padding, int64, uint32, padding. */
    private const FORMAT = 'P9q6Cx7qVx4';
    public bool $packable;

    private CType $small;
    private CType $large;
    private CType $sizeOut;
    private CType $stringOut;
    private CType $address;
    private CType $tokenPointer;
    private CType $errorType;

    private function __construct(FFI $ffi, string $source, ?string $path)
    {
        $this->ffi = $ffi;
        $this->source = $source;
        $this->path = $path;
        $this->version = $ffi->dst_version();
        $this->structSize = FFI::sizeof($ffi->type('dst_room_token'));
        $this->packable = PHP_INT_SIZE === 8 && pack('S', 1) === "\x01\x00"
            && FFI::sizeof($ffi->type('size_t')) === 8 && FFI::sizeof($ffi->type('char*')) === 8
            && $this->structSize === 18 * 8;
        $this->small = $ffi->type('char[' . self::SMALL . ']');
        $this->large = $ffi->type('char[' . self::LARGE . ']');
        $this->sizeOut = $ffi->type('size_t[1]');
        $this->stringOut = $ffi->type('char*');
        $this->address = $ffi->type('uintptr_t');
        $this->tokenPointer = $ffi->type('dst_room_token*');
        $this->errorType = $ffi->type('dst_error');
    }

    public static function get(): self
    {
        if (self::$n === null) {
            $n = self::load();
            // A signal handler that ran during load() may have loaded the library already:
            // keep the first instance, which its keys were made with.
            self::$n ??= $n;
        }
        return self::$n;
    }

    /** The header PHP's FFI parses (src/dstoken.h). */
    public static function header(): string
    {
        $h = file_get_contents(__DIR__ . '/../dstoken.h');
        if ($h === false) {
            throw new \RuntimeException('dstoken: cannot read ' . __DIR__ . '/../dstoken.h');
        }
        return $h;
    }

    /** The SONAME of the library this package is built for (libdstoken.so.0.1). */
    public static function soname(): string
    {
        [$major, $minor] = explode('.', self::PACKAGE_VERSION);
        return 'libdstoken.so.' . ($major === '0' ? "0.$minor" : $major);
    }

    /** The bundled copy's path for this platform (it may not exist). */
    public static function bundledPath(): string
    {
        $arch = php_uname('m');
        $arch = ['amd64' => 'x86_64', 'arm64' => 'aarch64'][$arch] ?? $arch;
        return dirname(__DIR__, 2) . '/native/' . strtolower(PHP_OS_FAMILY) . '-' . $arch . '/' . self::soname();
    }

    /**
     * The library to load outside a preloaded scope: [source, path] candidates in order.
     * @return list<array{0: string, 1: string}>
     */
    public static function candidates(): array
    {
        $c = [];
        $bundled = self::bundledPath();
        if (is_file($bundled)) {
            $c[] = ['bundled', $bundled];
        }
        $env = getenv('DSTOKEN_LIBRARY');
        if (is_string($env) && $env !== '') {
            $c[] = ['DSTOKEN_LIBRARY', $env];
        }
        $c[] = ['system', self::soname()];
        return $c;
    }

    private static function load(): self
    {
        if (!extension_loaded('ffi')) {
            throw new \RuntimeException('dstoken needs PHP\'s FFI extension (ext-ffi); Debian\'s php-cli has it built in');
        }
        // A preloaded scope wins: under PHP-FPM (ffi.enable=preload) it is the only way in.
        try {
            $ffi = FFI::scope(self::SCOPE);
        } catch (\Throwable) {
            // No preloaded scope in this process, or FFI::scope() itself is refused: under
            // ffi.enable=preload only preloaded code may use FFI (FFI::cdef below then says so).
            $ffi = null;
        }
        if ($ffi !== null) {
            $n = new self($ffi, 'preload', null);
            // This header's dst_room_token: version 3, 144 bytes on 64-bit platforms.
            if (self::abi($n->version) !== self::abi(self::PACKAGE_VERSION) || (PHP_INT_SIZE === 8 && $n->structSize !== 144)) {
                throw new \RuntimeException(sprintf(
                    'dstoken: the preloaded FFI scope %s is libdstoken %s with %s, but this package (%s) needs %s.x with its own header: '
                    . 'point ffi.preload at this package\'s dstoken-preload.h (or bin/dstoken-ffi-header\'s output) and restart PHP',
                    self::SCOPE, $n->version, $n->path(), self::PACKAGE_VERSION, self::abi(self::PACKAGE_VERSION)
                ));
            }
            return $n;
        }
        $tried = [];
        $header = self::header();
        $want = self::abi(self::PACKAGE_VERSION);
        foreach (self::candidates() as [$source, $path]) {
            try {
                $ffi = FFI::cdef($header, $path);
            } catch (\Throwable $e) {
                $msg = $e->getMessage();
                if (str_contains($msg, 'ffi.enable')) {
                    $setting = (string) ini_get('ffi.enable');
                    if (!in_array(strtolower($setting), ['preload', ''], true)) {
                        // ffi.enable=0 (or "false", "off"): no FFI at all, preloaded or not.
                        throw new \RuntimeException(
                            'dstoken: PHP\'s FFI is disabled (ffi.enable=' . $setting . '); dstoken needs it: set '
                            . 'ffi.enable=preload in php.ini (PHP\'s default) and preload dstoken (see the README, '
                            . '"PHP-FPM"), or ffi.enable=1 for the CLI and tests'
                        );
                    }
                    throw new \RuntimeException(
                        'dstoken: PHP\'s FFI is restricted here (ffi.enable=preload, PHP\'s default: only preloaded '
                        . 'code may use FFI outside the CLI): preload dstoken, e.g. in php.ini: opcache.preload='
                        . dirname(__DIR__) . '/preload.php, and when PHP-FPM\'s master runs as root also opcache.preload_user=www-data and ffi.preload='
                        . dirname(__DIR__) . '/dstoken-preload.h (see the README, "PHP-FPM")'
                    );
                }
                $tried[] = "$source: $path ($msg)";
                continue;
            }
            $n = new self($ffi, $source, $path);
            if (self::abi($n->version) !== $want) {
                $tried[] = "$source: $path (library version {$n->version}, this package needs $want.x)";
                continue;
            }
            if ($source === 'system') {
                $n->path = null; // resolved by the dynamic loader: see path()
            }
            return $n;
        }
        throw new \RuntimeException(
            "dstoken: cannot load the dstoken C library. Tried, in order:\n  - " . implode("\n  - ", $tried)
            . "\nSet DSTOKEN_LIBRARY=/absolute/path/to/libdstoken.so, or install Debian's libdstoken0.1 ("
            . self::soname() . ' on the library path).'
        );
    }

    /** The library file in use: the path given to FFI, or the file the loader mapped. */
    public function path(): string
    {
        return $this->path ??= self::mappedPath()
            ?? ($this->source === 'preload' ? 'FFI scope ' . self::SCOPE : self::soname());
    }

    /**
     * The header for ffi.preload or FFI::load(): src/dstoken.h with FFI_SCOPE "DSTOKEN" and
     * FFI_LIB naming $library (PHP's FFI resolves a relative FFI_LIB through the dynamic
     * loader's search path, never relative to the header, so a bundled copy needs its
     * absolute path here).
     */
    public static function preloadHeader(string $library): string
    {
        return '#define FFI_SCOPE "' . self::SCOPE . "\"\n#define FFI_LIB " . json_encode($library, JSON_UNESCAPED_SLASHES) . "\n" . self::header();
    }

    /**
     * The library the preload header should name: the first of candidates() that loads and
     * has this package's major.minor (checked in this process through FFI::cdef when FFI is
     * available here), else the last candidate (the system SONAME).
     */
    public static function preloadLibrary(): string
    {
        $c = self::candidates();
        if (ini_get('ffi.enable') === '1' || (PHP_SAPI === 'cli' && ini_get('ffi.enable') !== '0')) {
            foreach ($c as [, $path]) {
                try {
                    $v = FFI::cdef('const char *dst_version(void);', $path)->dst_version();
                } catch (\Throwable) {
                    continue;
                }
                if (self::abi($v) === self::abi(self::PACKAGE_VERSION)) {
                    return $path;
                }
            }
        }
        return $c[0][1];
    }

    /**
     * For opcache.preload (preload.php): makes sure the FFI scope "DSTOKEN" exists. When
     * ffi.preload declared it already, that is all; otherwise FFI::load() declares it over the
     * first library of candidates() that loads and has this package's major.minor. PHP refuses
     * FFI::load() when opcache.preload_user is set, which it must be when PHP runs as root
     * (PHP-FPM's master usually does): there add ffi.preload with the header that
     * bin/dstoken-ffi-header prints (or src/dstoken-preload.h for the system library).
     *
     * @return array{source: string, path: string, version: string}
     */
    public static function preload(): array
    {
        try {
            $ffi = FFI::scope(self::SCOPE); // declared by ffi.preload already
            return ['source' => 'ffi.preload', 'path' => self::mappedPath() ?? 'FFI scope ' . self::SCOPE, 'version' => $ffi->dst_version()];
        } catch (\Throwable) {
            // not declared yet: FFI::load() below
        }
        $tried = [];
        $want = self::abi(self::PACKAGE_VERSION);
        foreach (self::candidates() as [$source, $path]) {
            $tmp = tempnam(sys_get_temp_dir(), 'dstoken-ffi-');
            if ($tmp === false || file_put_contents($tmp, self::preloadHeader($path)) === false) {
                throw new \RuntimeException('dstoken preload: cannot write a header to ' . sys_get_temp_dir());
            }
            try {
                $ffi = FFI::load($tmp);
            } catch (\Throwable $e) {
                $msg = $e->getMessage();
                if (str_contains($msg, 'preload_user')) {
                    throw new \RuntimeException('dstoken preload: PHP refuses FFI::load() when opcache.preload_user is set (needed when PHP runs as root): '
                        . 'also set ffi.preload=' . dirname(__DIR__) . '/dstoken-preload.h (the system libdstoken.so.0.1), '
                        . 'or a header printed by bin/dstoken-ffi-header (the library this package would load)');
                }
                $tried[] = "$source: $path ($msg)";
                continue;
            } finally {
                @unlink($tmp);
            }
            if ($ffi === null) {
                $tried[] = "$source: $path (FFI::load failed)";
                continue;
            }
            $v = $ffi->dst_version();
            if (self::abi($v) !== $want) {
                $tried[] = "$source: $path (library version $v, this package needs $want.x)";
                continue;
            }
            return ['source' => $source, 'path' => $path, 'version' => $v];
        }
        throw new \RuntimeException("dstoken preload: no usable libdstoken. Tried, in order:\n  - " . implode("\n  - ", $tried));
    }

    private static function abi(string $version): string
    {
        $p = explode('.', $version);
        return ($p[0] ?? '') . '.' . ($p[1] ?? '');
    }

    /** The file the loaded libdstoken was mapped from (Linux: /proc/self/maps), if known. */
    public static function mappedPath(): ?string
    {
        $maps = @file_get_contents('/proc/self/maps');
        if ($maps === false) {
            return null;
        }
        if (preg_match('~\s(/\S*libdstoken[^/\s]*\.so[^/\s]*)$~m', $maps, $m)) {
            return $m[1];
        }
        return null;
    }

    // -----------------------------------------------------------------------------------------
    // Errors

    /**
     * The exception for a failed call: the parts of the library's last error (dst_last_error,
     * read into a struct of this call's own), worded by DstokenException::fromParts().
     */
    public function error(int $status, string $method): DstokenException
    {
        $e = $this->ffi->new($this->errorType);
        $e->struct_size = FFI::sizeof($e);
        if (!$this->ffi->dst_last_error(FFI::addr($e)) || $e->status !== $status) {
            return DstokenException::fromParts($method, $status, 0);
        }
        return DstokenException::fromParts(
            $method, $status, $e->reason, $e->argument, $e->other, $e->value, $e->limit, $e->time, $e->suggested,
            FFI::string($e->name), FFI::string($e->text)
        );
    }

    // -----------------------------------------------------------------------------------------
    // Per-call buffers (see the class comment: never kept, never shared)

    /** A new zeroed buffer of at least $bytes bytes, for one call. */
    public function buffer(int $bytes): CData
    {
        if ($bytes <= self::SMALL) {
            return $this->ffi->new($this->small);
        }
        return $bytes <= self::LARGE ? $this->ffi->new($this->large) : $this->ffi->new("char[$bytes]");
    }

    /** A new char*, for one call to leave a library-owned string in (see takeString()). */
    public function stringOut(): CData
    {
        return $this->ffi->new($this->stringOut);
    }

    /**
     * Runs a dst_*_into call with a buffer of its own (dst_sign_into's size protocol: a
     * second, exact buffer when $cap bytes are too few) and returns the text written.
     *
     * @param callable(CData, int, CData): int $call
     */
    public function into(callable $call, string $method, int $cap = self::LARGE): string
    {
        $buf = $this->buffer($cap);
        $len = $this->ffi->new($this->sizeOut);
        $st = $call($buf, $cap, $len);
        if ($st === 0) {
            return FFI::string($buf, $len[0]);
        }
        if ($st !== Status::BUFFER_TOO_SMALL) {
            throw $this->error($st, $method);
        }
        $cap = $len[0] + 1;
        $buf = $this->buffer($cap);
        $st = $call($buf, $cap, $len);
        if ($st !== 0) {
            throw $this->error($st, $method);
        }
        return FFI::string($buf, $len[0]);
    }

    /** dst_mint_into into a buffer of this call's own (a second, exact one when it is too small). */
    public function mintInto(CData $token, CData $key, string $method): string
    {
        $buf = $this->ffi->new($this->small);
        $len = $this->ffi->new($this->sizeOut);
        $st = $this->ffi->dst_mint_into($token, $key, $buf, self::SMALL, $len);
        if ($st === 0) {
            return FFI::string($buf, $len[0]);
        }
        if ($st !== Status::BUFFER_TOO_SMALL) {
            throw $this->error($st, $method);
        }
        return $this->into(fn ($b, $cap, $l) => $this->ffi->dst_mint_into($token, $key, $b, $cap, $l), $method, $len[0] + 1);
    }

    /** Reads and frees the library-owned string a call left in $out (from stringOut()). */
    public function takeString(CData $out): string
    {
        try {
            return FFI::string($out);
        } finally {
            $this->ffi->dst_string_free($out);
        }
    }

    /**
     * A dst_room_token (version 3) filled in one memcpy: the struct, then the strings
     * (NUL-terminated) it points at, in a new buffer for this call. $s are the eight strings
     * in the struct's order (null: absent), $n the numbers [issued_at, not_before, expires_at,
     * lifetime_seconds, not_before_skew_seconds, now, no_expiry, max_lifetime_seconds,
     * lifetime_nanos]. Returns the token pointer, or null when a string holds a NUL byte (C
     * would cut it there); the caller keeps $hold alive until the native call returns.
     *
     * @param array<int, ?string> $s
     * @param array{0: int, 1: int, 2: int, 3: int, 4: int, 5: int, 6: bool, 7: int, 8: int} $n
     */
    public function roomToken(array $s, array $n, mixed &$hold): ?CData
    {
        if (!$this->packable) {
            return $this->roomTokenByFields($s, $n, $hold);
        }
        $size = $this->structSize;
        $strings = '';
        $ptr = [];
        $count = 0;
        foreach ($s as $i => $v) {
            if ($v === null) {
                $ptr[$i] = 0;
            } else {
                $ptr[$i] = $size + strlen($strings);
                $strings .= $v . "\0";
                ++$count;
            }
        }
        if (substr_count($strings, "\0") !== $count) {
            return null;
        }
        $total = $size + strlen($strings);
        $buf = $this->buffer($total);
        $at = FFI::addr($buf);
        $base = $this->ffi->cast($this->address, $at)->cdata;
        $hold = $buf;
        $bytes = pack(
            self::FORMAT,
            $size,
            $ptr[0] ? $base + $ptr[0] : 0, $ptr[1] ? $base + $ptr[1] : 0, $ptr[2] ? $base + $ptr[2] : 0,
            $ptr[3] ? $base + $ptr[3] : 0, $ptr[4] ? $base + $ptr[4] : 0, $ptr[5] ? $base + $ptr[5] : 0,
            $ptr[6] ? $base + $ptr[6] : 0, $ptr[7] ? $base + $ptr[7] : 0,
            $n[0], $n[1], $n[2], $n[3], $n[4], $n[5], $n[6] ? 1 : 0, $n[7], $n[8]
        ) . $strings;
        FFI::memcpy($buf, $bytes, $total);
        return $this->ffi->cast($this->tokenPointer, $at);
    }

    /** The same struct through FFI field writes (platforms where pack() cannot lay it out). */
    private function roomTokenByFields(array $s, array $n, mixed &$hold): ?CData
    {
        $t = $this->ffi->new('dst_room_token');
        $keep = [$t];
        $t->struct_size = $this->structSize;
        $fields = ['team_id', 'room', 'user_name', 'user_id', 'initials', 'role', 'breakout_id', 'avatar'];
        foreach ($s as $i => $v) {
            if ($v !== null) {
                if (str_contains($v, "\0")) {
                    return null;
                }
                $len = strlen($v) + 1;
                $c = $this->ffi->new("char[$len]");
                FFI::memcpy($c, $v . "\0", $len);
                $keep[] = $c;
                $t->{$fields[$i]} = $this->ffi->cast('char*', FFI::addr($c));
            }
        }
        [$t->issued_at, $t->not_before, $t->expires_at, $t->lifetime_seconds, $t->not_before_skew_seconds, $t->now,
            $t->no_expiry, $t->max_lifetime_seconds, $t->lifetime_nanos] = $n;
        $hold = $keep;
        return FFI::addr($t);
    }
}
