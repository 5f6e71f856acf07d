<?php

declare(strict_types=1);

namespace Dstoken;

use Dstoken\Internal\JoinUrl;
use Dstoken\Internal\Mint;

/**
 * A room token's claims, built by chaining (or with the constructor's named arguments, the same
 * names as mint()'s), for tokens with custom claims. Values stay in PHP until sign(): without
 * custom claims it is mint()'s one native call, with them one call per claim into a native
 * claim set. A Claims may be signed any number of times (relative times are taken from the
 * clock at each sign()) and used as a template.
 *
 * Custom claims never override the registered ones: claim() refuses `td rd u ud initials role
 * breakoutId avatar iat nbf exp` and names the method that sets each.
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
    ) {
        $this->s = [$teamId, $room, $userName, $userId, $initials, $role, $breakoutId, $avatar];
        $this->issuedAt = $issuedAt;
        $this->notBefore = $notBefore;
        $this->expiresAt = $expiresAt;
        $this->lifetime = $lifetime;
        $this->notBeforeSkew = $notBeforeSkew;
        $this->now = $now;
        $this->noExpiry = $noExpiry;
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

    /** Relative times: iat = now, exp = now + seconds (> 0; a fraction rounds up). */
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

    /** Sign without `exp` (a token that never expires); without it sign() requires an expiry. */
    public function noExpiry(bool $noExpiry = true): static
    {
        $this->noExpiry = $noExpiry;
        return $this;
    }

    /**
     * A custom claim: any value json_encode() can write (string, int, float, bool, null,
     * array, JsonSerializable). NaN and INF are refused, and so are the registered names.
     *
     * @throws DstokenException DST_ERR_INVALID_ARGUMENT
     */
    public function claim(string $name, mixed $value): static
    {
        self::checkName($name);
        try {
            $json = json_encode($value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION | JSON_THROW_ON_ERROR);
        } catch (\JsonException $e) {
            $why = str_contains($e->getMessage(), 'Inf and NaN') ? 'NaN and INF have no JSON form and are refused' : $e->getMessage();
            throw new DstokenException(Status::INVALID_ARGUMENT, "Dstoken\\Claims::claim(): custom claim \"$name\" cannot be signed: $why", $e);
        }
        $this->custom[$name] = $json;
        return $this;
    }

    /**
     * A custom claim given as JSON text; the library validates it strictly (RFC 8259, no
     * duplicate names) when signing, and keeps numbers exactly as written.
     */
    public function claimJson(string $name, string $jsonText): static
    {
        self::checkName($name);
        if (str_contains($jsonText, "\0")) {
            throw new DstokenException(Status::INVALID_ARGUMENT, "Dstoken\\Claims::claimJson(): the JSON text of \"$name\" contains a NUL byte");
        }
        $this->custom[$name] = $jsonText;
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
     * @throws DstokenException DST_ERR_MISSING_CLAIM (no teamId()/room()), DST_ERR_INVALID_ARGUMENT,
     *         DST_ERR_INVALID_UTF8, each naming the method to fix
     */
    public function sign(Key|string $key): string
    {
        Mint::requireClaims('Dstoken\Claims::sign()', true, $this->s[0], $this->s[1]);
        return Mint::mint('Dstoken\Claims::sign()', true, $key, $this->s, $this->times('Dstoken\Claims::sign()'), null, $this->customList());
    }

    /**
     * Signs and returns the room's join URL (see Dstoken\joinUrl()); a custom domain with a
     * port ("meet.example.com:8443") only with `allowPort: true`.
     */
    public function signUrl(Key|string $key, string $team, bool $allowPort = false): string
    {
        Mint::requireClaims('Dstoken\Claims::signUrl()', true, $this->s[0], $this->s[1]);
        $times = $this->times('Dstoken\Claims::signUrl()');
        if ($allowPort) {
            // dst_mint_url takes no flags: sign, then join with DST_URL_ALLOW_PORT.
            $token = Mint::mint('Dstoken\Claims::signUrl()', true, $key, $this->s, $times, null, $this->customList());
            return JoinUrl::build('Dstoken\Claims::signUrl()', $team, (string) $this->s[1], $token, true);
        }
        return Mint::mint('Dstoken\Claims::signUrl()', true, $key, $this->s, $times, $team, $this->customList());
    }

    /** @return array{0: int, 1: int, 2: int, 3: int, 4: int, 5: int, 6: bool, 7: ?int, 8: ?int, 9: ?int} */
    private function times(string $m): array
    {
        return Mint::times($m, true, $this->issuedAt, $this->notBefore, $this->expiresAt, $this->lifetime, $this->notBeforeSkew, $this->now, $this->noExpiry);
    }

    /** @return list<array{0: string, 1: string}> */
    private function customList(): array
    {
        $l = [];
        foreach ($this->custom as $name => $json) {
            $l[] = [(string) $name, $json];
        }
        return $l;
    }

    private static function checkName(string $name): void
    {
        if (isset(Mint::REGISTERED[$name])) {
            throw new DstokenException(Status::INVALID_ARGUMENT, sprintf(
                'Dstoken\Claims::claim(): "%s" is a registered claim; set it with Claims::%s() (custom claims never override registered ones)',
                $name,
                Mint::REGISTERED[$name]
            ));
        }
        if ($name === '' || str_contains($name, "\0")) {
            throw new DstokenException(Status::INVALID_ARGUMENT, 'Dstoken\Claims::claim(): a custom claim name must be non-empty and hold no NUL byte');
        }
    }
}
