package dstoken

import (
	"strconv"
	"time"
)

// maxTime is the latest time a token may carry on the signing side: 9999-12-31T23:59:59Z, the
// end of RFC 3339's range (which also catches milliseconds given as seconds). The earliest is
// 0, 1970-01-01T00:00:00Z. Verification accepts every 64-bit NumericDate.
const maxTime = 253402300799

// tokenTime checks a time a token will carry (or the "now" it is minted at) and returns its
// unix seconds; what names the method or field ("Claims.ExpiresAt", "Mint: ExpiresAt").
func tokenTime(what string, t time.Time) (int64, error) {
	if t.IsZero() {
		return 0, invalid(what + ": the zero time.Time (January 1, year 1) is not a time to sign; set a real time")
	}
	return secondsInRange(what, t.Unix())
}

func secondsInRange(what string, v int64) (int64, error) {
	if v > maxTime {
		hint := ""
		if v/1000 <= maxTime {
			hint = "; it looks like milliseconds given as seconds (time.Unix(ms, 0)): use time.UnixMilli(ms)"
		}
		return 0, invalid(what + " is " + strconv.FormatInt(v, 10) + " (unix seconds), after 9999-12-31T23:59:59Z (" +
			strconv.Itoa(maxTime) + "), the latest time a token may carry" + hint)
	}
	if v < 0 {
		return 0, invalid(what + " is " + strconv.FormatInt(v, 10) + " (unix seconds, " + iso(v) +
			"), before 1970-01-01T00:00:00Z; times are unix seconds from 0 to " + strconv.Itoa(maxTime))
	}
	return v, nil
}

func iso(v int64) string { return time.Unix(v, 0).UTC().Format(time.RFC3339) }

// ceilSeconds is d in whole seconds, a fraction rounded up (d > 0).
func ceilSeconds(d time.Duration) int64 {
	s := int64(d / time.Second)
	if d%time.Second != 0 {
		s++
	}
	return s
}

// tokenPlan is what Claims.Sign, Mint and MintURL check on the Go side before the library is
// called, so that their errors name Go methods and fields.
type tokenPlan struct {
	op           string // "Claims.Sign", "Mint", "MintURL"
	builder      bool   // Claims (methods) rather than RoomToken (fields)
	hasTD, hasRD bool
	times        [3]optInt // iat, nbf, exp (already range-checked)
	relative     bool
	lifetime     int64 // seconds, > 0 in relative mode
	skew         int64 // seconds, >= 0
	now          optInt
	noExpiry     bool
}

func (p *tokenPlan) name(method, field string) string {
	if p.builder {
		return method
	}
	return field
}

// resolve applies the rules every mint and builder Sign share: explicit and relative times
// exclude each other; td and rd are required; an expiry is required unless NoExpiry is set
// (and refused with it); times stay within 1970..9999; a token is never minted already
// expired. It returns the token's times and the "now" they were computed from.
func (p *tokenPlan) resolve() (times [3]optInt, now int64, err error) {
	explicit := p.times[0].set || p.times[1].set || p.times[2].set
	if p.relative && explicit {
		return times, 0, invalid(p.op + ": " + p.name("ExpiresIn/Validity cannot be combined with IssuedAt, NotBefore or ExpiresAt",
			"explicit times (IssuedAt, NotBefore, ExpiresAt) and Lifetime exclude each other; set one or the other"))
	}
	if !p.relative && p.skew != 0 {
		return times, 0, invalid(p.op + ": NotBeforeSkew needs Lifetime; for an explicit nbf set NotBefore")
	}
	if !p.hasTD {
		return times, 0, &Error{Status: ErrMissingClaim, Message: p.op + `: TeamID (claim "td") is required; ` + p.name("call TeamID()", "set TeamID")}
	}
	if !p.hasRD {
		return times, 0, &Error{Status: ErrMissingClaim, Message: p.op + `: Room (claim "rd") is required; ` + p.name("call Room()", "set Room")}
	}
	hasExpiry := p.relative || p.times[2].set
	switch {
	case !hasExpiry && !p.noExpiry:
		return times, 0, invalid(p.op + ": the token has no expiry; " + p.name(
			"call ExpiresIn, Validity or ExpiresAt, or NoExpiry() to sign a token that never expires",
			"set Lifetime or ExpiresAt, or NoExpiry: true to sign a token that never expires"))
	case hasExpiry && p.noExpiry:
		return times, 0, invalid(p.op + ": " + p.name("NoExpiry()", "NoExpiry") + " is set but so is an expiry (" +
			map[bool]string{true: p.name("ExpiresIn/Validity", "Lifetime"), false: "ExpiresAt"}[p.relative] + "); set one or the other")
	}
	now = time.Now().Unix()
	clock := " (the clock)"
	if p.now.set && p.now.v != 0 { // a now of 0 (the Unix epoch) is the clock, in every front end
		now, clock = p.now.v, ""
	}
	if p.relative {
		if now > maxTime-p.lifetime {
			return times, 0, invalid(p.op + ": now (" + strconv.FormatInt(now, 10) + ") plus the lifetime (" +
				strconv.FormatInt(p.lifetime, 10) + " s) is after 9999-12-31T23:59:59Z, the latest time a token may carry")
		}
		if now < p.skew {
			return times, 0, invalid(p.op + ": now (" + strconv.FormatInt(now, 10) + ") minus the skew (" +
				strconv.FormatInt(p.skew, 10) + " s) is before 1970-01-01T00:00:00Z")
		}
		times[0], times[2] = optInt{true, now}, optInt{true, now + p.lifetime}
		if p.skew > 0 {
			times[1] = optInt{true, now - p.skew}
		}
		return times, now, nil
	}
	times = p.times
	if exp := times[2]; exp.set {
		for i, n := range [2]string{"IssuedAt", "NotBefore"} {
			if t := times[i]; t.set && exp.v < t.v {
				return times, 0, invalid(p.op + ": ExpiresAt (" + strconv.FormatInt(exp.v, 10) + ") is earlier than " + n +
					" (" + strconv.FormatInt(t.v, 10) + ")")
			}
		}
		if exp.v <= now {
			return times, 0, invalid(p.op + ": the token would be expired when minted: ExpiresAt is " + strconv.FormatInt(exp.v, 10) +
				" (" + iso(exp.v) + "), not after now " + strconv.FormatInt(now, 10) + " (" + iso(now) + ")" + clock +
				"; set an ExpiresAt in the future, or " + p.name("ExpiresIn", "Lifetime"))
		}
	}
	return times, now, nil
}
