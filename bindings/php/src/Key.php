<?php

declare(strict_types=1);

namespace Dstoken;

use Dstoken\Internal\Native;
use FFI\CData;

/**
 * An HS256 signing key: the team's developer key, as Digital Samba shows it. It holds the
 * native key (its precomputed HMAC state), which is wiped and freed when the Key is destroyed.
 * Make one per process or request and reuse it: creating a key costs more than a token.
 *
 * Destroying it early by calling __destruct() yourself is allowed: the native key is freed
 * once, a second call (PHP's own, when the object dies) does nothing, and minting or
 * verifying with the key afterwards throws DstokenException (DST_ERR_INVALID_ARGUMENT) saying
 * it was destroyed.
 */
final class Key
{
    /** The native key; null once destroyed (and in a Key made without its constructor). */
    private ?CData $handle = null;
    private \FFI $ffi;

    private function __construct(CData $handle, \FFI $ffi)
    {
        $this->handle = $handle;
        $this->ffi = $ffi;
    }

    /**
     * The key from the developer key as Digital Samba shows it (text), used as given: never
     * base64-decoded, never trimmed. The library refuses whitespace at either end (a trailing
     * newline read from a file would make every token fail at Digital Samba): rtrim() it
     * first, or use fromBytes() if the whitespace truly belongs to the key.
     *
     * @throws DstokenException DST_ERR_INVALID_ARGUMENT for an empty key or surrounding whitespace
     */
    public static function fromString(string $developerKey): self
    {
        return self::make('dst_key_new_text', 'Dstoken\Key::fromString()', $developerKey);
    }

    /**
     * The key from raw bytes, taken exactly as they are (whitespace included).
     *
     * @throws DstokenException DST_ERR_INVALID_ARGUMENT for an empty key
     */
    public static function fromBytes(string $bytes): self
    {
        return self::make('dst_key_new', 'Dstoken\Key::fromBytes()', $bytes);
    }

    private static function make(string $function, string $method, string $bytes): self
    {
        $n = Native::get();
        $out = $n->ffi->new('dst_key*');
        // An empty PHP string is passed as a pointer to its (empty) buffer, never NULL: the
        // library then refuses it as empty, by its own rule.
        $st = $n->ffi->{$function}($bytes, strlen($bytes), \FFI::addr($out));
        if ($st !== 0) {
            throw $n->error($st, $method);
        }
        return new self($out, $n->ffi);
    }

    /** Wipes and frees the native key, once: later calls do nothing. */
    public function __destruct()
    {
        // The handle is cleared before the native free, so no later call can reach it.
        $h = $this->handle;
        $this->handle = null;
        if ($h !== null) {
            $this->ffi->dst_key_free($h);
        }
    }

    /**
     * @internal the native dst_key pointer, for one native call made right away.
     * @throws DstokenException DST_ERR_INVALID_ARGUMENT once the key was destroyed
     */
    public function handle(string $method = 'Dstoken\Key'): CData
    {
        return $this->handle ?? throw new DstokenException(
            Status::INVALID_ARGUMENT,
            "$method: \$key: this Dstoken\\Key was destroyed (its __destruct() was called), so it can no longer sign or verify; make a new one with Dstoken\\Key::fromString()",
            null,
            ['argument' => '$key']
        );
    }

    /** A Key cannot be copied (the native key has one owner); share the object instead. */
    private function __clone()
    {
    }

    /** @return never */
    public function __serialize(): array
    {
        throw new \LogicException('a Dstoken\Key cannot be serialized; keep the developer key in your secret store instead');
    }

    /** @param array<mixed> $data */
    public function __unserialize(array $data): void
    {
        throw new \LogicException('a Dstoken\Key cannot be unserialized');
    }

    /** Shows no key material. @return array<string, string> */
    public function __debugInfo(): array
    {
        return ['algorithm' => 'HS256'];
    }
}
