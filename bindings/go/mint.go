package dstoken

import (
	"strings"
	"time"
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
// parts dropped) from 1970-01-01 to 9999-12-31T23:59:59Z; Lifetime is rounded up to whole
// seconds, NotBeforeSkew down.
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

	Lifetime      time.Duration // > 0 selects relative mode (rounded up to whole seconds); negative is refused
	NotBeforeSkew time.Duration // relative mode only: back-dates nbf
	Now           time.Time     // the minting time: relative times count from it; zero (or the Unix epoch) reads the clock

	// NoExpiry signs a token without exp, one that never expires; refused together with an
	// expiry (ExpiresAt or Lifetime). Without an expiry and without NoExpiry, Mint returns
	// ErrInvalidArgument.
	NoExpiry bool
}

// mintFields lays out a dst_room_token for godst_mint.
type mintFields struct {
	blob []byte
	f    [15]int64
}

func (m *mintFields) str(i int, set bool, v string) {
	if !set {
		m.f[i] = -1
		return
	}
	m.f[i] = int64(len(m.blob))
	m.blob = append(append(m.blob, v...), 0)
}

func (m *mintFields) mint(op string, key *Key, team *string) (string, error) {
	if len(m.blob) == 0 {
		m.blob = []byte{0}
	}
	var teamC []byte
	if team != nil {
		if strings.IndexByte(*team, 0) >= 0 {
			return "", invalid(op + ": team contains a NUL byte")
		}
		teamC = cstr(*team)
	}
	var out string
	err := key.use(op, func(k keyHandle) (err error) {
		out, err = nativeMint(op, m.blob, &m.f, k, teamC)
		return err
	})
	return out, err
}

func (t *RoomToken) fields(op string) (*mintFields, error) {
	m := &mintFields{}
	for i, s := range [8]string{t.TeamID, t.Room, t.UserName, t.UserID, t.Initials, t.Role, t.BreakoutID, t.Avatar} {
		if strings.IndexByte(s, 0) >= 0 {
			return nil, invalid(op + ": claim \"" + stringClaimNames[i] + "\" contains a NUL byte (use Claims)")
		}
		m.str(i, s != "", s)
	}
	p := tokenPlan{op: op, hasTD: t.TeamID != "", hasRD: t.Room != "", noExpiry: t.NoExpiry}
	for _, f := range [...]struct {
		name string
		t    time.Time
		dst  *optInt
	}{{"IssuedAt", t.IssuedAt, &p.times[0]}, {"NotBefore", t.NotBefore, &p.times[1]}, {"ExpiresAt", t.ExpiresAt, &p.times[2]},
		{"Now", t.Now, &p.now}} {
		if f.t.IsZero() {
			continue
		}
		v, err := tokenTime(op+": "+f.name, f.t)
		if err != nil {
			return nil, err
		}
		if v == 0 && f.name == "Now" {
			continue // a now of 0 is the clock, in every front end
		}
		if v == 0 {
			return nil, invalid(op + ": " + f.name + " is the Unix epoch, which dst_mint reads as absent (use Claims)")
		}
		*f.dst = optInt{true, v}
	}
	switch {
	case t.Lifetime < 0:
		return nil, invalid(op + ": Lifetime must be positive (or zero for explicit times), got " + t.Lifetime.String())
	case t.Lifetime > 0:
		p.relative, p.lifetime = true, ceilSeconds(t.Lifetime)
	}
	switch skew := int64(t.NotBeforeSkew / time.Second); {
	case t.NotBeforeSkew < 0 || (t.NotBeforeSkew != 0 && skew == 0):
		return nil, invalid(op + ": NotBeforeSkew must be zero or at least one second, got " + t.NotBeforeSkew.String())
	default:
		p.skew = skew
	}
	times, now, err := p.resolve()
	if err != nil {
		return nil, err
	}
	if t.NoExpiry {
		m.f[14] = 1
	}
	m.f[13] = now // never 0: resolve reads the clock for a zero Now or the epoch
	if p.relative {
		m.f[11], m.f[12] = p.lifetime, p.skew
	} else {
		for i, tm := range times {
			m.f[8+i] = tm.v
		}
	}
	return m, nil
}

// Mint mints the room token t describes, signed with key, in one native call (dst_mint). The
// token is byte-identical to the one Claims.Sign makes for the same claims.
//
// Errors (*Error, match with errors.Is): ErrMissingClaim without TeamID or Room;
// ErrInvalidArgument (no expiry and NoExpiry not set, or both; an ExpiresAt not after now;
// explicit times together with Lifetime, NotBeforeSkew without Lifetime, a negative Lifetime,
// a negative or sub-second skew, a time outside 1970..9999 (milliseconds are named as such),
// exp earlier than nbf or iat, a NUL byte in a string, the Unix epoch as a time); ErrInvalidUTF8 (the
// message names the field); ErrNullArgument for a nil key or t; ErrClosed after key.Close().
//
// Concurrency: any number of goroutines may mint with the same key (and the same t, while no
// goroutine writes it) at once.
func Mint(key *Key, t *RoomToken) (string, error) {
	if t == nil {
		return "", &Error{Status: ErrNullArgument, Message: "Mint: token is nil"}
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
		return "", &Error{Status: ErrNullArgument, Message: "MintURL: token is nil"}
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
		return "", &Error{Status: ErrNullArgument, Message: "MintURLWith: token is nil"}
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
