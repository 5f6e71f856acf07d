<?php

declare(strict_types=1);

namespace Dstoken;

use Dstoken\Internal\Mint;

/**
 * A room token's claims, built by chaining (or with the constructor's named arguments, the same
 * names as mint()'s), for tokens with custom claims. Values stay in PHP until sign(): without
 * custom claims it is mint()'s one native call, with them one call per claim into a native
 * claim set. A Claims may be signed any number of times (relative times are taken from the
 * clock at each sign()) and used as a template. Every rule is the library's, as for mint().
 *
 * Custom claims never override the registered ones: the library refuses `td rd u ud initials
 * role breakoutId avatar iat nbf exp` as custom claims (when claim() is called) and names the
 * method that sets each.
 */
final class Claims
{
    /** @var array{0: ?string, 1: ?string, 2: ?string, 3: ?string, 4: ?string, 5: ?string, 6: ?string, 7: ?string} */
    private array $s = [null, null, null, null, null, null, null, null];
    private int|\DateTimeInterface|null $issuedAt = null;
    private int|\DateTimeInterface|null $notBefore = null;
    private int|\DateTimeInterface|null $expiresAt = null;
    private int|float|null $lifetime = null;
    private int|float|null $notBeforeSkew = null;
    private int|\DateTimeInterface|null $now = null;
    private bool $noExpiry = false;
    private ?int $maxLifetime = null;
    /** @var array<string, string> custom claim name => JSON text, in the order first set */
    private array $custom = [];

    /** @param array<string, mixed> $custom custom claims, as claim() takes them */
    public function __construct(
        ?string $teamId = null,
        ?string $room = null,
        ?string $userName = null,
        ?string $userId = null,
        ?string $initials = null,
        ?string $role = null,
        ?string $breakoutId = null,
        ?string $avatar = null,
        int|\DateTimeInterface|null $issuedAt = null,
        int|\DateTimeInterface|null $notBefore = null,
        int|\DateTimeInterface|null $expiresAt = null,
        int|float|null $lifetime = null,
        int|float|null $notBeforeSkew = null,
        int|\DateTimeInterface|null $now = null,
        bool $noExpiry = false,
        array $custom = [],
        ?int $maxLifetime = null,
    ) {
        $this->s = [$teamId, $room, $userName, $userId, $initials, $role, $breakoutId, $avatar];
        $this->issuedAt = $issuedAt;
        $this->notBefore = $notBefore;
        $this->expiresAt = $expiresAt;
        $this->lifetime = $lifetime;
        $this->notBeforeSkew = $notBeforeSkew;
        $this->now = $now;
        $this->noExpiry = $noExpiry;
        $this->maxLifetime = $maxLifetime;
        foreach ($custom as $name => $value) {
            $this->claim((string) $name, $value);
        }
    }

    /** `td`, the team id (required). null removes it. */
    public function teamId(?string $value): static
    {
        $this->s[0] = $value;
        return $this;
    }

    /** `rd`, the room name or id (required). */
    public function room(?string $value): static
    {
        $this->s[1] = $value;
        return $this;
    }

    /** `u`, the user's display name. */
    public function userName(?string $value): static
    {
        $this->s[2] = $value;
        return $this;
    }

    /** `ud`, your id for the user. */
    public function userId(?string $value): static
    {
        $this->s[3] = $value;
        return $this;
    }

    /** `initials`. */
    public function initials(?string $value): static
    {
        $this->s[4] = $value;
        return $this;
    }

    /** `role`, e.g. "moderator". */
    public function role(?string $value): static
    {
        $this->s[5] = $value;
        return $this;
    }

    /** `breakoutId`. */
    public function breakoutId(?string $value): static
    {
        $this->s[6] = $value;
        return $this;
    }

    /** `avatar`, an image URL. */
    public function avatar(?string $value): static
    {
        $this->s[7] = $value;
        return $this;
    }

    /** `iat` (unix seconds or DateTimeInterface); explicit times exclude lifetime(). */
    public function issuedAt(int|\DateTimeInterface|null $t): static
    {
        $this->issuedAt = $t;
        return $this;
    }

    /** `nbf` (unix seconds or DateTimeInterface). */
    public function notBefore(int|\DateTimeInterface|null $t): static
    {
        $this->notBefore = $t;
        return $this;
    }

    /** `exp` (unix seconds or DateTimeInterface). */
    public function expiresAt(int|\DateTimeInterface|null $t): static
    {
        $this->expiresAt = $t;
        return $this;
    }

    /** Relative times: iat = now, exp = now + seconds (whole seconds, > 0, at most maxLifetime()). */
    public function lifetime(int|float|null $seconds): static
    {
        $this->lifetime = $seconds;
        return $this;
    }

    /** With lifetime(): nbf = now - seconds (>= 0). */
    public function notBeforeSkew(int|float|null $seconds): static
    {
        $this->notBeforeSkew = $seconds;
        return $this;
    }

    /** The "now" of relative times (default: the clock at each sign()). */
    public function now(int|\DateTimeInterface|null $t): static
    {
        $this->now = $t;
        return $this;
    }

    /** The longest lifetime() accepted, in seconds (default, and null: 30 days). */
    public function maxLifetime(?int $seconds): static
    {
        $this->maxLifetime = $seconds;
        return $this;
    }

    /** Sign without `exp` (a token that never expires); without it sign() requires an expiry. */
    public function noExpiry(bool $noExpiry = true): static
    {
        $this->noExpiry = $noExpiry;
        return $this;
    }

    /**
     * A custom claim: any value json_encode() can write (string, int, float, bool, null,
     * array, JsonSerializable). NaN and INF are refused (JSON has no form for them), and so
     * are the registered names (by the library).
     *
     * @throws DstokenException DST_ERR_INVALID_ARGUMENT
     */
    public function claim(string $name, mixed $value): static
    {
        try {
            $json = json_encode($value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION | JSON_THROW_ON_ERROR);
        } catch (\JsonException $e) {
            $why = str_contains($e->getMessage(), 'Inf and NaN') ? 'NaN and INF have no JSON form and are refused' : $e->getMessage();
            throw new DstokenException(Status::INVALID_ARGUMENT, "Dstoken\\Claims::claim(): custom claim \"$name\" cannot be signed: $why", $e, ['argument' => '$value', 'claim' => $name]);
        }
        return $this->setCustom('Dstoken\Claims::claim()', $name, $json);
    }

    /**
     * A custom claim given as JSON text; the library validates it strictly (RFC 8259, no
     * duplicate names) and keeps numbers exactly as written.
     *
     * @throws DstokenException DST_ERR_INVALID_ARGUMENT
     */
    public function claimJson(string $name, string $jsonText): static
    {
        return $this->setCustom('Dstoken\Claims::claimJson()', $name, $jsonText);
    }

    private function setCustom(string $m, string $name, string $json): static
    {
        Mint::checkCustom($m, $name, $json);
        $this->custom[$name] = $json;
        return $this;
    }

    /** Removes a custom claim; returns whether it was there. */
    public function removeClaim(string $name): bool
    {
        $had = array_key_exists($name, $this->custom);
        unset($this->custom[$name]);
        return $had;
    }

    /**
     * The custom claims, decoded (name => value).
     *
     * @return array<string, mixed>
     */
    public function customClaims(): array
    {
        return array_map(static fn (string $j): mixed => json_decode($j, true, 1024, JSON_BIGINT_AS_STRING), $this->custom);
    }

    /**
     * Signs the claims with `key`.
     *
     * @throws DstokenException as mint() (MissingClaimException without teamId()/room()),
     *         each naming the method to fix
     */
    public function sign(Key|string $key): string
    {
        $m = 'Dstoken\Claims::sign()';
        return Mint::mint($m, $key, $this->s, $this->numbers($m), null, $this->custom);
    }

    /**
     * Signs and returns the room's join URL (see Dstoken\joinUrl()); a custom domain with a
     * port ("meet.example.com:8443") only with `allowPort: true`.
     */
    public function signUrl(Key|string $key, string $team, bool $allowPort = false): string
    {
        $m = 'Dstoken\Claims::signUrl()';
        return Mint::mint($m, $key, $this->s, $this->numbers($m), $team, $this->custom, $allowPort);
    }

    /** @return array{0: array<int, int|bool>, 1: array{0: bool, 1: bool}} */
    private function numbers(string $m): array
    {
        return Mint::numbers($m, $this->issuedAt, $this->notBefore, $this->expiresAt, $this->lifetime, $this->notBeforeSkew, $this->now, $this->noExpiry, $this->maxLifetime);
    }
}
