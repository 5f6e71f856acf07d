<?php

declare(strict_types=1);

namespace Dstoken;

use Dstoken\Internal\Schema;

/**
 * Every failure dstoken reports. getCode() is the status number (see Status), getStatus() its
 * name (e.g. "DST_ERR_INVALID_ARGUMENT"); the error's parts are properties: `reason` (why, a
 * name such as "EXPIRED" or "LIFETIME_TOO_LONG"), `argument` and `other` (the PHP argument at
 * fault and a second one the rule involves, e.g. "expiresAt"), `claim` (a claim's JSON name),
 * `text` (a string the error is about: the host given, the token's value of a claim), and the
 * numbers `value`, `limit`, `suggested` and `time` (a DateTimeImmutable in UTC), each null
 * when the reason does not set it. The message is made from these parts: it names the
 * function and the argument and says how to fix the call.
 *
 * Subclasses are named as firebase/php-jwt names them: ExpiredException,
 * BeforeValidException, SignatureInvalidException, plus MalformedTokenException,
 * UnsupportedAlgorithmException, MissingClaimException and ClaimMismatchException.
 */
class DstokenException extends \RuntimeException
{
    private string $status;
    /** Why the call failed: a reason name of schema/dstoken.json ("NONE" when the status says all). */
    public readonly string $reason;
    /** The argument or claim at fault, as this binding spells it ("" for none). */
    public readonly string $argument;
    /** A second argument the rule involves ("" for none). */
    public readonly string $other;
    /** A claim's JSON name ("" for none). */
    public readonly string $claim;
    /** A string the error is about ("" for none). */
    public readonly string $text;
    public readonly ?int $value;
    public readonly ?int $limit;
    public readonly ?int $suggested;
    public readonly ?\DateTimeImmutable $time;

    /**
     * @param array{reason?: string, argument?: string, other?: string, claim?: string, text?: string,
     *              value?: ?int, limit?: ?int, suggested?: ?int, time?: ?\DateTimeImmutable} $parts
     */
    public function __construct(int $status, string $message, ?\Throwable $previous = null, array $parts = [])
    {
        $this->status = Status::name($status);
        $this->reason = $parts['reason'] ?? 'NONE';
        $this->argument = $parts['argument'] ?? '';
        $this->other = $parts['other'] ?? '';
        $this->claim = $parts['claim'] ?? '';
        $this->text = $parts['text'] ?? '';
        $this->value = $parts['value'] ?? null;
        $this->limit = $parts['limit'] ?? null;
        $this->suggested = $parts['suggested'] ?? null;
        $this->time = $parts['time'] ?? null;
        parent::__construct($this->status . ': ' . $message, $status, $previous);
    }

    /** The status name, e.g. "DST_ERR_EXPIRED". */
    public function getStatus(): string
    {
        return $this->status;
    }

    /**
     * The exception for a dst_error's parts (as numbers), its message the schema's template
     * in this binding's words, after "$method: ".
     *
     * @internal
     */
    public static function fromParts(
        string $method,
        int $status,
        int $reason,
        int $argument = 0,
        int $other = 0,
        int $value = 0,
        int $limit = 0,
        int $time = 0,
        int $suggested = 0,
        string $name = '',
        string $text = ''
    ): self {
        [$reasonName, $template, $numbers] = Schema::REASONS[$reason] ?? ["UNKNOWN_$reason", "reason $reason", []];
        $arg = Schema::ARGS[$argument][1] ?? "argument $argument";
        $oth = Schema::ARGS[$other][1] ?? "argument $other";
        $n = ['value' => $value, 'limit' => $limit, 'time' => $time, 'suggested' => $suggested];
        $message = preg_replace_callback('/\{(\w+)(?::(\w+))?\}/', static function (array $m) use ($arg, $oth, $name, $text, $n): string {
            $f = $m[2] ?? '';
            return match ($m[1]) {
                'arg' => $arg,
                'other' => $oth,
                'name' => $name,
                'text' => $text,
                default => match ($f) {
                    'time' => gmdate('Y-m-d\TH:i:s\Z', $n[$m[1]]),
                    'span' => self::span($n[$m[1]]),
                    'type' => Schema::TYPES[$n[$m[1]]] ?? 'type ' . $n[$m[1]],
                    default => (string) $n[$m[1]],
                },
            };
        }, $template);
        if ($reason === 0) {
            $message = Status::name($status);
        }
        $parts = [
            'reason' => $reasonName, 'argument' => $argument === 0 ? '' : $arg, 'other' => $other === 0 ? '' : $oth,
            'claim' => $name, 'text' => $text,
            'value' => in_array('value', $numbers, true) ? $value : null,
            'limit' => in_array('limit', $numbers, true) ? $limit : null,
            'suggested' => in_array('suggested', $numbers, true) ? $suggested : null,
            'time' => in_array('time', $numbers, true) ? new \DateTimeImmutable("@$time") : null,
        ];
        $class = match ($status) {
            Status::EXPIRED => ExpiredException::class,
            Status::NOT_YET_VALID => BeforeValidException::class,
            Status::BAD_SIGNATURE => SignatureInvalidException::class,
            Status::MALFORMED_TOKEN => MalformedTokenException::class,
            Status::UNSUPPORTED_ALGORITHM => UnsupportedAlgorithmException::class,
            Status::MISSING_CLAIM => MissingClaimException::class,
            Status::CLAIM_MISMATCH => ClaimMismatchException::class,
            default => self::class,
        };
        return new $class($status, "$method: $message", null, $parts);
    }

    /** Seconds as "1 d 2 h 3 min 4 s" (leading zero units left out, seconds always). */
    private static function span(int $s): string
    {
        $s = abs($s);
        $out = [];
        foreach ([['d', intdiv($s, 86400)], ['h', intdiv($s, 3600) % 24], ['min', intdiv($s, 60) % 60], ['s', $s % 60]] as [$unit, $v]) {
            if ($v > 0 || $out || $unit === 's') {
                $out[] = "$v $unit";
            }
        }
        return implode(' ', $out);
    }
}
