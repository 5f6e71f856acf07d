package dstoken

import (
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"
)

// RoomToken describes one room token for Mint and MintURL, the library's one-call mint
// (dst_mint): every Digital Samba claim and the token's times. Empty strings and zero times
// mean "absent" (to put an empty string or the Unix epoch in a token, or custom claims, use
// Claims).
//
// An expiry is required: times are either explicit (ExpiresAt, optionally IssuedAt and
// NotBefore) or relative (Lifetime > 0: iat = now and exp = now + Lifetime, with
// NotBeforeSkew > 0 also nbf = now - NotBeforeSkew), never both; or NoExpiry is true for a
// token that never expires. now is Now, or the clock when Now is zero; an ExpiresAt not after
// it is refused (a token is never minted already expired). Times are whole seconds (sub-second
// parts of a time.Time dropped) from 1970-01-01 to 9999-12-31T23:59:59Z. Lifetime,
// NotBeforeSkew and MaxLifetime must be whole seconds: a time.Duration counts nanoseconds, so
// Lifetime: 3600 is 3.6 µs, and is refused (give 3600 * time.Second, or time.Hour).
type RoomToken struct {
	TeamID     string // td, the team id: required
	Room       string // rd, the room name or UUID: required
	UserName   string // u, the user's display name
	UserID     string // ud, your external user id
	Initials   string // initials
	Role       string // role, e.g. "moderator"
	BreakoutID string // breakoutId, the breakout room to join
	Avatar     string // avatar, the picture URL

	IssuedAt  time.Time // iat (explicit mode)
	NotBefore time.Time // nbf (explicit mode)
	ExpiresAt time.Time // exp (explicit mode)

	Lifetime      time.Duration // > 0 selects relative mode (whole seconds); negative is refused
	NotBeforeSkew time.Duration // relative mode only: back-dates nbf (whole seconds)
	Now           time.Time     // the minting time: relative times count from it; zero (or the Unix epoch) reads the clock

	// NoExpiry signs a token without exp, one that never expires; refused together with an
	// expiry (ExpiresAt or Lifetime). Without an expiry and without NoExpiry, Mint returns
	// ErrInvalidArgument.
	NoExpiry bool

	// MaxLifetime is the longest Lifetime accepted (whole seconds); zero means the library's
	// default, 30 days. A longer Lifetime is refused (ReasonLifetimeTooLong), so that one given
	// in the wrong unit is not signed as a weeks-long token: raise it to mint longer-lived
	// tokens on purpose.
	MaxLifetime time.Duration
}

// mintFields lays out a dst_room_token (f, strings in blob) for godst_mint and godst_sign,
// and the claim-set operations (ops) godst_sign applies after the mint.
type mintFields struct {
	blob []byte
	f    [fCount]int64
	ops  []int64
}

func (m *mintFields) add(s string) int64 {
	off := int64(len(m.blob))
	m.blob = append(append(m.blob, s...), 0)
	return off
}

// str sets string slot i. A C string cannot carry U+0000: for the Claims builder (json) such
// a value is minted with \u0000 written out and then set as a JSON string, after the UTF-8
// check the library would make (encoding/json would replace bad bytes).
func (m *mintFields) str(op string, i int, set bool, v string, viaJSON bool) error {
	if !set {
		m.f[i] = -1
		return nil
	}
	if strings.IndexByte(v, 0) >= 0 {
		if !viaJSON {
			return nulError(op, Arg(int(ArgTeamID)+i), " (use Claims)")
		}
		if off := firstInvalidUTF8(v); off >= 0 {
			return refuse(op, ErrInvalidUTF8, ReasonNotUTF8, Arg(int(ArgTeamID)+i), int64(off), 0)
		}
		j, _ := json.Marshal(v) // a valid string always marshals exactly
		m.ops = append(m.ops, opJSON, m.add(stringClaimNames[i]), m.add(string(j)))
		v = string(j[1 : len(j)-1])
	}
	m.f[i] = m.add(v)
	return nil
}

func firstInvalidUTF8(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return i
			}
		}
	}
	return -1
}

// unixOrZero is t in unix seconds, 0 (absent) for the zero time.Time.
func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// lifetime puts a Duration in the lifetime slots: whole seconds and the part below a second,
// which the library refuses (a sub-second lifetime is a unit slip).
func (m *mintFields) lifetime(d time.Duration) {
	m.f[fLifetime] = int64(d / time.Second)
	nanos := d % time.Second
	if nanos < 0 {
		nanos = -nanos
	}
	m.f[fLifetimeNanos] = int64(nanos)
}

// wholeSeconds converts a Duration the library takes in seconds and has no field for the
// part below a second (the skew, the maximum lifetime): a fraction is refused, as the library
// refuses one in a lifetime.
func wholeSeconds(op string, arg Arg, d time.Duration) (int64, error) {
	if d%time.Second != 0 {
		return 0, refuse(op, ErrInvalidArgument, ReasonSubSecond, arg, int64(d/time.Second), int64(d%time.Second))
	}
	return int64(d / time.Second), nil
}

// nulError: a Go string holding U+0000 (NUL), which the library's C strings end at.
func nulError(op string, arg Arg, hint string) error {
	return &Error{Status: ErrInvalidArgument, Argument: arg, Op: op,
		Message: op + ": " + arg.String() + " contains a NUL byte" + hint}
}

func (m *mintFields) mint(op string, key *Key, team *string) (string, error) {
	if len(m.blob) == 0 {
		m.blob = []byte{0}
	}
	var teamC []byte
	if team != nil {
		if strings.IndexByte(*team, 0) >= 0 {
			return "", nulError(op, ArgTeam, "")
		}
		teamC = cstr(*team)
	}
	var out string
	err := key.use(op, func(k keyHandle) (err error) {
		if team == nil && len(m.ops) > 0 {
			out, err = nativeSign(op, m.blob, &m.f, m.ops, k)
		} else {
			out, err = nativeMint(op, m.blob, &m.f, k, teamC)
		}
		return err
	})
	return out, err
}

func (t *RoomToken) fields(op string) (*mintFields, error) {
	m := &mintFields{}
	for i, s := range [8]string{t.TeamID, t.Room, t.UserName, t.UserID, t.Initials, t.Role, t.BreakoutID, t.Avatar} {
		if err := m.str(op, i, s != "", s, false); err != nil {
			return nil, err
		}
	}
	m.f[fIssuedAt], m.f[fNotBefore], m.f[fExpiresAt] = unixOrZero(t.IssuedAt), unixOrZero(t.NotBefore), unixOrZero(t.ExpiresAt)
	m.f[fNow] = unixOrZero(t.Now)
	m.lifetime(t.Lifetime)
	var err error
	if m.f[fSkew], err = wholeSeconds(op, ArgSkew, t.NotBeforeSkew); err != nil {
		return nil, err
	}
	if m.f[fMaxLifetime], err = wholeSeconds(op, ArgMaxLifetime, t.MaxLifetime); err != nil {
		return nil, err
	}
	if t.NoExpiry {
		m.f[fNoExpiry] = 1
	}
	return m, nil
}

// Mint mints the room token t describes, signed with key, in one native call (dst_mint). The
// token is byte-identical to the one Claims.Sign makes for the same claims.
//
// Errors (*Error, match with errors.Is; the library decides each, see RoomToken):
// ErrMissingClaim without TeamID or Room; ErrInvalidArgument (no expiry and NoExpiry not set,
// or both; an ExpiresAt not after now; explicit times together with Lifetime, NotBeforeSkew
// without Lifetime, a Lifetime not positive, not whole seconds or longer than MaxLifetime, a
// time outside 1970..9999 (milliseconds are named as such), exp earlier than nbf or iat, a
// NUL byte in a string); ErrInvalidUTF8 (the message names the field); ErrNullArgument for a
// nil key or t; ErrClosed after key.Close().
//
// Concurrency: any number of goroutines may mint with the same key (and the same t, while no
// goroutine writes it) at once.
func Mint(key *Key, t *RoomToken) (string, error) {
	if t == nil {
		return "", refuse("Mint", ErrNullArgument, ReasonNull, ArgClaims, 0, 0)
	}
	m, err := t.fields("Mint")
	if err != nil {
		return "", err
	}
	return m.mint("Mint", key, nil)
}

// MintURL mints the token as Mint does and returns the URL that opens its room with it
// (https://<team>.digitalsamba.com/<room>?token=<token>, team as in JoinURL), in one native
// call (dst_mint_url).
//
// Errors: as Mint, and as JoinURL for team and the room.
func MintURL(key *Key, t *RoomToken, team string) (string, error) {
	if t == nil {
		return "", refuse("MintURL", ErrNullArgument, ReasonNull, ArgClaims, 0, 0)
	}
	m, err := t.fields("MintURL")
	if err != nil {
		return "", err
	}
	return m.mint("MintURL", key, &team)
}

// MintURLWith is MintURL with options (URLOptions{AllowPort: true} accepts a custom domain
// with a port): the token in one native call, then its URL.
func MintURLWith(key *Key, t *RoomToken, team string, opts URLOptions) (string, error) {
	if t == nil {
		return "", refuse("MintURLWith", ErrNullArgument, ReasonNull, ArgClaims, 0, 0)
	}
	m, err := t.fields("MintURLWith")
	if err != nil {
		return "", err
	}
	tok, err := m.mint("MintURLWith", key, nil)
	if err != nil {
		return "", err
	}
	return joinURL("MintURLWith", team, t.Room, tok, opts)
}
