package dstoken

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
)

// VerifyOption adjusts Verify: WithTime, WithLeeway, WithRequired, WithExpOptional,
// WithTeamID, WithRoom.
type VerifyOption func(*verifyConfig)

type verifyConfig struct {
	now           time.Time
	leeway        time.Duration
	expOptional   bool
	teamID, room  *string
	required      []string
	nowUnix       int64  // as passed to the library
	leewaySeconds uint32 // as passed to the library
}

// WithTime verifies as if the current time were now (whole unix seconds) instead of
// time.Now(); the zero time.Time means time.Now().
func WithTime(now time.Time) VerifyOption { return func(c *verifyConfig) { c.now = now } }

// WithLeeway allows this much clock difference for exp, nbf and iat (default 0), in whole
// seconds up to 2^32-1 s: a fraction of a second (1500*time.Millisecond), a negative or a larger
// leeway makes Verify return ErrInvalidArgument, as a fractional leeway does in every binding.
func WithLeeway(d time.Duration) VerifyOption { return func(c *verifyConfig) { c.leeway = d } }

// WithExpOptional accepts a token without exp (one that never expires), as Digital Samba's
// own REST examples mint them. Without it such a token is refused (ErrMissingClaim), as Mint
// refuses to sign one unless told to: a token without exp admits its holder until the key
// changes.
func WithExpOptional() VerifyOption { return func(c *verifyConfig) { c.expOptional = true } }

// WithRequired refuses a token that lacks any of the named claims (ErrMissingClaim, the
// claim in Error.Name), e.g. WithRequired("ud", "role"). exp is required already (see
// WithExpOptional).
func WithRequired(names ...string) VerifyOption {
	return func(c *verifyConfig) { c.required = append(c.required, names...) }
}

// WithTeamID refuses a token whose td is not teamID (ErrClaimMismatch: Error.Text is the
// token's value, Error.Expected this one), or that has none.
func WithTeamID(teamID string) VerifyOption { return func(c *verifyConfig) { c.teamID = &teamID } }

// WithRoom refuses a token whose rd is not room (ErrClaimMismatch), or that has none.
func WithRoom(room string) VerifyOption { return func(c *verifyConfig) { c.room = &room } }

// VerifiedClaims are the claims of a verified token. The registered claims are decoded into
// the fields; every claim, custom ones included, is available as JSON through Get and Decode.
// A VerifiedClaims is plain Go data: it owns no native memory and is safe to share.
type VerifiedClaims struct {
	// TeamID (td), Room (rd), UserName (u), UserID (ud), Initials (initials), Role (role),
	// BreakoutID (breakoutId), Avatar (avatar): "" when absent or not a JSON string (use Get
	// to tell these apart).
	TeamID, Room, UserName, UserID, Initials, Role, BreakoutID, Avatar string
	// IssuedAt (iat), NotBefore (nbf), ExpiresAt (exp): the zero time.Time when absent.
	IssuedAt, NotBefore, ExpiresAt time.Time

	payload string
	once    sync.Once
	claims  map[string]json.RawMessage // decoded on first Get or Decode
}

// JSON returns the payload as compact JSON text, claims in token order.
func (v *VerifiedClaims) JSON() string { return v.payload }

// Get returns a claim's compact JSON value, and false when the token has no such claim.
func (v *VerifiedClaims) Get(name string) (json.RawMessage, bool) {
	r, ok := v.all()[name]
	return r, ok
}

// Decode unmarshals the named claim into dst with encoding/json. Errors: an *Error with
// ErrNotFound when the claim is absent, else encoding/json's error.
func (v *VerifiedClaims) Decode(name string, dst any) error {
	r, ok := v.all()[name]
	if !ok {
		return &Error{Status: ErrNotFound, Reason: ReasonNotFound, Name: name, Op: "VerifiedClaims.Decode",
			Message: "VerifiedClaims.Decode: claim " + quote(name) + " is not present"}
	}
	return json.Unmarshal(r, dst)
}

// Verify checks token against key and returns its claims. It checks, as the C dst_verify_opts:
// the length (at most 65536 bytes), a strict compact HS256 JWT (alg exactly "HS256"; none and
// every other algorithm refused), the HMAC-SHA256 signature in constant time, a JSON-object
// payload whose exp/nbf/iat are 64-bit integers, then the times against now (time.Now()
// unless WithTime) and the leeway: expired when now >= exp + leeway, not yet valid when
// now + leeway < nbf or iat > now + leeway. exp is required (WithExpOptional accepts a token
// without it); WithRequired, WithTeamID and WithRoom add their checks.
//
// Errors (*Error, match with errors.Is): ErrMalformedToken (including a token containing a
// NUL byte, and a URL: pass the token alone), ErrUnsupportedAlgorithm, ErrBadSignature,
// ErrExpired (Error.Time is exp), ErrNotYetValid, ErrMissingClaim, ErrClaimMismatch,
// ErrInvalidUTF8, ErrInvalidArgument (a negative, fractional or too large leeway),
// ErrNullArgument for a nil key; ErrClosed after key.Close().
//
// Concurrency: any number of goroutines may verify with the same key at once.
func Verify(token string, key *Key, opts ...VerifyOption) (*VerifiedClaims, error) {
	const op = "Verify"
	cfg := verifyConfig{}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.now.IsZero() {
		cfg.now = time.Now()
	}
	cfg.nowUnix = cfg.now.Unix()
	switch {
	case cfg.leeway < 0:
		return nil, refuse(op, ErrInvalidArgument, ReasonNegative, ArgLeeway, int64(cfg.leeway/time.Second), 0)
	case cfg.leeway%time.Second != 0:
		return nil, refuse(op, ErrInvalidArgument, ReasonSubSecond, ArgLeeway, int64(cfg.leeway/time.Second), int64(cfg.leeway%time.Second))
	case cfg.leeway/time.Second > math.MaxUint32:
		return nil, &Error{Status: ErrInvalidArgument, Argument: ArgLeeway, Value: int64(cfg.leeway / time.Second), Limit: math.MaxUint32,
			Op: op, Message: op + ": WithLeeway is " + cfg.leeway.String() + ", more than 2^32-1 seconds"}
	}
	cfg.leewaySeconds = uint32(cfg.leeway / time.Second)
	if strings.IndexByte(token, 0) >= 0 {
		return nil, &Error{Status: ErrMalformedToken, Argument: ArgToken, Op: op, Message: op + ": the token contains a NUL byte"}
	}
	var teamID, room, required []byte
	if cfg.teamID != nil {
		if strings.IndexByte(*cfg.teamID, 0) >= 0 {
			return nil, nulError(op, ArgTeamID, "")
		}
		teamID = cstr(*cfg.teamID)
	}
	if cfg.room != nil {
		if strings.IndexByte(*cfg.room, 0) >= 0 {
			return nil, nulError(op, ArgRoom, "")
		}
		room = cstr(*cfg.room)
	}
	for _, name := range cfg.required {
		if strings.IndexByte(name, 0) >= 0 {
			return nil, nulError(op, ArgRequired, "")
		}
		required = append(append(required, name...), 0)
	}
	tok := cstr(token)
	var payload string
	err := key.use(op, func(k keyHandle) (err error) {
		payload, err = nativeVerify(op, tok, k, &cfg, teamID, room, required, len(cfg.required))
		return err
	})
	if e, ok := err.(*Error); ok && e.Reason == ReasonClaimMismatch {
		// The expected value is ours: the library reports the token's.
		if e.Argument == ArgTeamID && cfg.teamID != nil {
			e.Expected = *cfg.teamID
		} else if e.Argument == ArgRoom && cfg.room != nil {
			e.Expected = *cfg.room
		}
		e.Message = op + ": " + e.describe(0)
	}
	if err != nil {
		return nil, err
	}
	return parsePayload(payload)
}

// UnverifiedToken is what DecodeUnverified reads from a token: its header and claims, which
// prove nothing (see DecodeUnverified).
type UnverifiedToken struct {
	// Header is the token's JOSE header (alg, typ, kid, ...).
	Header map[string]any
	// Claims are the token's claims, read as Verify reads them; NOTHING about them is verified.
	Claims *VerifiedClaims
}

// DecodeUnverified reads a token's header and claims WITHOUT checking its signature or its
// times (dst_decode_unverified): what it returns proves nothing about who made the token,
// since anyone can write one. Use it to choose a key, route or log before Verify; never to
// admit anyone. The token is parsed as strictly as Verify parses it, whatever its alg.
//
// Errors (*Error): ErrMalformedToken (including a NUL byte, and a URL passed whole),
// ErrInvalidUTF8.
func DecodeUnverified(token string) (*UnverifiedToken, error) {
	const op = "DecodeUnverified"
	if strings.IndexByte(token, 0) >= 0 {
		return nil, &Error{Status: ErrMalformedToken, Argument: ArgToken, Op: op, Message: op + ": the token contains a NUL byte"}
	}
	header, payload, err := nativeDecode(op, cstr(token))
	if err != nil {
		return nil, err
	}
	u := &UnverifiedToken{}
	if err := json.Unmarshal([]byte(header), &u.Header); err != nil {
		return nil, &Error{Status: ErrInternal, Reason: ReasonInternal, Op: op, Message: op + ": the library's header JSON did not parse: " + err.Error()}
	}
	if u.Claims, err = parsePayload(payload); err != nil {
		return nil, err
	}
	return u, nil
}

func parsePayload(payload string) (*VerifiedClaims, error) {
	v := &VerifiedClaims{payload: payload}
	if v.scanRegistered() {
		return v, nil
	}
	// Not the compact form scanRegistered reads: the general decoder, names matched exactly
	// (decoding into a struct would match "ROLE" or "Exp" as well).
	*v = VerifiedClaims{payload: payload}
	var all map[string]json.RawMessage
	if err := json.Unmarshal([]byte(payload), &all); err != nil {
		return nil, &Error{Status: ErrInternal, Reason: ReasonInternal, Message: "the library's payload JSON did not parse: " + err.Error()}
	}
	for name, raw := range all {
		if len(raw) > 0 {
			v.setRegistered(name, string(raw))
		}
	}
	return v, nil
}

// scanRegistered reads the registered claims out of the payload in one pass over its top
// level, without reflection: the library hands over validated, compact JSON (no whitespace,
// no duplicate names). It reports false, having decided nothing, on anything else.
func (v *VerifiedClaims) scanRegistered() bool {
	p := v.payload
	if len(p) < 2 || p[0] != '{' || p[len(p)-1] != '}' {
		return false
	}
	i := 1
	if p[i] == '}' {
		return i == len(p)-1
	}
	for {
		// "name":
		end, ok := skipString(p, i)
		if !ok || end >= len(p) || p[end] != ':' {
			return false
		}
		name := p[i+1 : end-1]
		i = end + 1
		end, ok = skipValue(p, i)
		if !ok || end >= len(p) {
			return false
		}
		if !v.setRegistered(name, p[i:end]) {
			return false
		}
		i = end
		switch p[i] {
		case ',':
			i++
		case '}':
			return i == len(p)-1
		default:
			return false
		}
	}
}

// setRegistered stores value (raw JSON) when name is a registered claim; false when the value
// cannot be read here.
func (v *VerifiedClaims) setRegistered(name, value string) bool {
	var s *string
	var t *time.Time
	switch name {
	case "td":
		s = &v.TeamID
	case "rd":
		s = &v.Room
	case "u":
		s = &v.UserName
	case "ud":
		s = &v.UserID
	case "initials":
		s = &v.Initials
	case "role":
		s = &v.Role
	case "breakoutId":
		s = &v.BreakoutID
	case "avatar":
		s = &v.Avatar
	case "iat":
		t = &v.IssuedAt
	case "nbf":
		t = &v.NotBefore
	case "exp":
		t = &v.ExpiresAt
	default:
		if strings.IndexByte(name, '\\') >= 0 {
			return false // an escaped name might spell a registered one
		}
		return true
	}
	switch {
	case s != nil && value[0] == '"':
		if strings.IndexByte(value, '\\') < 0 {
			*s = value[1 : len(value)-1]
			return true
		}
		return json.Unmarshal([]byte(value), s) == nil
	case t != nil:
		if n, err := strconv.ParseInt(value, 10, 64); err == nil {
			*t = time.Unix(n, 0)
		}
	}
	return true
}

// skipString returns the index just past the JSON string starting at p[i].
func skipString(p string, i int) (int, bool) {
	if i >= len(p) || p[i] != '"' {
		return 0, false
	}
	for j := i + 1; j < len(p); j++ {
		switch p[j] {
		case '\\':
			j++
		case '"':
			return j + 1, true
		}
	}
	return 0, false
}

// skipValue returns the index just past the compact JSON value starting at p[i].
func skipValue(p string, i int) (int, bool) {
	if i >= len(p) {
		return 0, false
	}
	switch p[i] {
	case '"':
		return skipString(p, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(p); j++ {
			switch p[j] {
			case '"':
				end, ok := skipString(p, j)
				if !ok {
					return 0, false
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, true
				}
			}
		}
		return 0, false
	default: // a number, true, false or null
		j := i
		for j < len(p) && p[j] != ',' && p[j] != '}' {
			j++
		}
		return j, j > i
	}
}

// all decodes every claim, once, on first use.
func (v *VerifiedClaims) all() map[string]json.RawMessage {
	v.once.Do(func() { _ = json.Unmarshal([]byte(v.payload), &v.claims) })
	return v.claims
}

// JoinURL builds the URL that opens a Digital Samba room:
// https://<team>.digitalsamba.com/<room>?token=<token>. team is the team's subdomain (a DNS
// label) or, when it contains a dot, the team's custom domain (https://<domain>/<room>...);
// both are lowercased. A port is refused (see JoinURLWith), as are IP addresses. The room is
// percent-encoded as one path segment. An empty token gives the public-room URL without a
// query.
//
// Errors (*Error): ErrInvalidArgument (an invalid team or domain, a port, an IP address, an
// unusable room such as "" or "..", a token with characters a compact JWT never has, or a NUL
// byte in any argument), ErrInvalidUTF8.
//
// Concurrency: safe from any goroutine.
func JoinURL(team, room, token string) (string, error) {
	return joinURL("JoinURL", team, room, token, URLOptions{})
}

// URLOptions adjusts JoinURLWith and MintURLWith.
type URLOptions struct {
	// AllowPort accepts a custom domain with a port (meet.example.com:8443).
	AllowPort bool
}

// JoinURLWith is JoinURL with options: URLOptions{AllowPort: true} accepts a custom domain
// with a port.
func JoinURLWith(team, room, token string, opts URLOptions) (string, error) {
	return joinURL("JoinURLWith", team, room, token, opts)
}

func joinURL(op, team, room, token string, opts URLOptions) (string, error) {
	for _, a := range [...]struct {
		arg Arg
		v   string
	}{{ArgTeam, team}, {ArgRoom, room}, {ArgToken, token}} {
		if strings.IndexByte(a.v, 0) >= 0 {
			return "", nulError(op, a.arg, "")
		}
	}
	var tok []byte
	if token != "" {
		tok = cstr(token)
	}
	var flags uint32
	if opts.AllowPort {
		flags = urlAllowPort
	}
	return nativeJoinURL(op, cstr(team), cstr(room), tok, flags)
}
