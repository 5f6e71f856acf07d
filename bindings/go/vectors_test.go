package dstoken

// Every case of the shared test vectors (tests/vectors/vectors.json, or $DSTOKEN_VECTORS),
// byte for byte: sign cases through the one-call mint (dst_mint, and RoomToken where it can
// express the case) and the Claims builder (both of its native paths); sign_errors give their
// status on every path; verify cases give their status, and their claims for DST_OK. Every
// vector token is also checked with golang-jwt.

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

type vectorToken struct {
	TeamID     *string `json:"team_id"`
	Room       *string `json:"room"`
	UserName   *string `json:"user_name"`
	UserID     *string `json:"user_id"`
	Initials   *string `json:"initials"`
	Role       *string `json:"role"`
	BreakoutID *string `json:"breakout_id"`
	Avatar     *string `json:"avatar"`
	IssuedAt   *int64  `json:"issued_at"`
	NotBefore  *int64  `json:"not_before"`
	ExpiresAt  *int64  `json:"expires_at"`
	Lifetime   *int64  `json:"lifetime_seconds"`
	Skew       *int64  `json:"not_before_skew_seconds"`
	Now        *int64  `json:"now"`
	NoExpiry   *bool   `json:"no_expiry"`
	MaxLife    *int64  `json:"max_lifetime_seconds"`
	Nanos      *int64  `json:"lifetime_nanos"`
}

// lifetime is the case's lifetime as a time.Duration (seconds and nanoseconds).
func (v *vectorToken) lifetime() time.Duration {
	d := secs(v.Lifetime)
	if v.Nanos != nil {
		d += time.Duration(*v.Nanos)
	}
	return d
}

// refusal: the error data every refusing case carries.
type refusal struct {
	Status   string         `json:"status"`
	Reason   string         `json:"reason"`
	Argument string         `json:"argument"`
	Parts    map[string]any `json:"parts"`
}

// check: err is an *Error with the case's status, reason, argument (in Go's spelling, from
// the schema) and parts.
func (r *refusal) check(t *testing.T, path string, err error) {
	t.Helper()
	want, ok := ParseStatus(r.Status)
	if !ok || want == StatusOK {
		t.Fatalf("bad status %q", r.Status)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Errorf("%s: %v is not an *Error", path, err)
		return
	}
	if !errors.Is(err, want) || e.Status != want {
		t.Errorf("%s: status %v, want %v (%v)", path, e.Status, want, err)
	}
	if e.Reason.String() != r.Reason {
		t.Errorf("%s: reason %v, want %s (%v)", path, e.Reason, r.Reason, err)
	}
	if r.Argument != "" && argInfo[e.Argument].name != r.Argument {
		t.Errorf("%s: argument %s (%q), want %s (%v)", path, argInfo[e.Argument].name, e.Argument, r.Argument, err)
	}
	for part, v := range r.Parts {
		var got any
		switch part {
		case "other":
			got = argInfo[e.Other].name
		case "name":
			got = e.Name
		case "text":
			got = e.Text
		case "value":
			got = float64(e.Value)
		case "limit":
			got = float64(e.Limit)
		case "suggested":
			got = float64(e.Suggested)
		case "time":
			got = float64(e.Time.Unix())
		default:
			t.Fatalf("unknown part %q", part)
		}
		if got != v {
			t.Errorf("%s: %s is %v, want %v (%v)", path, part, got, v, err)
		}
	}
	if strings.Contains(e.Message, "{") {
		t.Errorf("%s: a template field is left in %q", path, e.Message)
	}
}

// mintedAt is when the case is minted: its now; a sign case checked on the claim-set path
// only (with custom claims) may give an explicit expiry without now, and the builder, which
// follows the mint's rules (never a token already expired), signs it one second before it
// expires (the bytes do not depend on it).
func (v *vectorToken) mintedAt() *int64 {
	return v.Now
}

func (v *vectorToken) signedAt(custom [][2]string) *int64 {
	if v.Now == nil && v.ExpiresAt != nil && v.Lifetime == nil && len(custom) > 0 {
		at := *v.ExpiresAt - 1
		return &at
	}
	return v.Now
}

// outOfRange: a time the signing side refuses (outside 1970..9999), which the C claim-set
// path still signs.
func (v *vectorToken) outOfRange() bool {
	for _, p := range []*int64{v.IssuedAt, v.NotBefore, v.ExpiresAt, v.Now} {
		if p != nil && (*p < 0 || *p > 253402300799) {
			return true
		}
	}
	return false
}

type signVector struct {
	Name   string      `json:"name"`
	KeyHex string      `json:"key_hex"`
	Token  vectorToken `json:"token"`
	Custom [][2]string `json:"custom"`
	JWT    string      `json:"jwt"`
	refusal
	// mint_errors: words the message must contain.
	MessageContains []string `json:"message_contains"`
}

type verifyVector struct {
	Name   string `json:"name"`
	KeyHex string `json:"key_hex"`
	JWT    string `json:"jwt"`
	Now    int64  `json:"now"`
	Leeway uint32 `json:"leeway"`
	refusal
	Claims  json.RawMessage `json:"claims"`
	Options *struct {
		ExpOptional bool     `json:"exp_optional"`
		TeamID      *string  `json:"team_id"`
		Room        *string  `json:"room"`
		Required    []string `json:"required"`
	} `json:"options"`
}

type decodeVector struct {
	Name string `json:"name"`
	JWT  string `json:"jwt"`
	refusal
	Header json.RawMessage `json:"header"`
	Claims json.RawMessage `json:"claims"`
}

type keyVector struct {
	Name string `json:"name"`
	Key  string `json:"key"`
	refusal
}

type vectorFile struct {
	Sign       []signVector   `json:"sign"`
	SignErrors []signVector   `json:"sign_errors"`
	MintErrors []signVector   `json:"mint_errors"`
	Verify     []verifyVector `json:"verify"`
	Decode     []decodeVector `json:"decode"`
	Keys       []keyVector    `json:"keys"`
}

func loadVectors(t *testing.T) *vectorFile {
	t.Helper()
	path := os.Getenv("DSTOKEN_VECTORS")
	if path == "" {
		path = "../../tests/vectors/vectors.json"
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the shared test vectors: %v", err)
	}
	var v vectorFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(v.Sign) == 0 || len(v.SignErrors) == 0 || len(v.MintErrors) == 0 || len(v.Verify) == 0 || len(v.Decode) == 0 || len(v.Keys) == 0 {
		t.Fatalf("%s: a section is empty", path)
	}
	return &v
}

func vectorKey(t *testing.T, keyHex string) (*Key, []byte) {
	t.Helper()
	secret, err := hex.DecodeString(keyHex)
	if err != nil {
		t.Fatal(err)
	}
	k, err := NewKey(secret)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	return k, secret
}

func unix(p *int64) time.Time { return time.Unix(*p, 0) }

func secs(p *int64) time.Duration {
	if p == nil {
		return 0
	}
	return time.Duration(*p) * time.Second
}

// builder makes the case's Claims, setting every field present (empty strings included).
func (v *vectorToken) builder(custom [][2]string) *Claims {
	c := NewClaims()
	for _, f := range []struct {
		p   *string
		set func(string) *Claims
	}{{v.TeamID, c.TeamID}, {v.Room, c.Room}, {v.UserName, c.UserName}, {v.UserID, c.UserID},
		{v.Initials, c.Initials}, {v.Role, c.Role}, {v.BreakoutID, c.BreakoutID}, {v.Avatar, c.Avatar}} {
		if f.p != nil {
			f.set(*f.p)
		}
	}
	if v.IssuedAt != nil {
		c.IssuedAt(unix(v.IssuedAt))
	}
	if v.NotBefore != nil {
		c.NotBefore(unix(v.NotBefore))
	}
	if v.ExpiresAt != nil {
		c.ExpiresAt(unix(v.ExpiresAt))
	}
	if v.Lifetime != nil || v.Skew != nil || v.Nanos != nil {
		c.Validity(secs(v.Skew), v.lifetime())
	}
	if v.MaxLife != nil {
		c.MaxLifetime(secs(v.MaxLife))
	}
	if at := v.signedAt(custom); at != nil {
		c.At(unix(at))
	}
	if v.NoExpiry != nil && *v.NoExpiry {
		c.NoExpiry()
	}
	for _, cc := range custom {
		c.CustomJSON(cc[0], cc[1])
	}
	return c
}

// rawMint fills dst_room_token field for field (NULL for absent) and calls dst_mint.
func (v *vectorToken) rawMint(key *Key) (string, error) {
	m := &mintFields{}
	for i, p := range []*string{v.TeamID, v.Room, v.UserName, v.UserID, v.Initials, v.Role, v.BreakoutID, v.Avatar} {
		s := ""
		if p != nil {
			s = *p
		}
		if err := m.str("vector", i, p != nil, s, false); err != nil {
			return "", err
		}
	}
	for i, p := range []*int64{v.IssuedAt, v.NotBefore, v.ExpiresAt, v.Lifetime, v.Skew, v.Now, nil, v.MaxLife, v.Nanos} {
		if p != nil {
			m.f[fIssuedAt+i] = *p
		}
	}
	if v.NoExpiry != nil && *v.NoExpiry {
		m.f[fNoExpiry] = 1
	}
	return m.mint("vector", key, nil)
}

// roomToken is the case as a RoomToken, and false when RoomToken cannot express it (an empty
// string that is present).
func (v *vectorToken) roomToken() (*RoomToken, bool) {
	rt := &RoomToken{}
	for _, f := range []struct {
		p   *string
		dst *string
	}{{v.TeamID, &rt.TeamID}, {v.Room, &rt.Room}, {v.UserName, &rt.UserName}, {v.UserID, &rt.UserID},
		{v.Initials, &rt.Initials}, {v.Role, &rt.Role}, {v.BreakoutID, &rt.BreakoutID}, {v.Avatar, &rt.Avatar}} {
		if f.p != nil {
			if *f.p == "" {
				return nil, false
			}
			*f.dst = *f.p
		}
	}
	for _, f := range []struct {
		p   *int64
		dst *time.Time
	}{{v.IssuedAt, &rt.IssuedAt}, {v.NotBefore, &rt.NotBefore}, {v.ExpiresAt, &rt.ExpiresAt}, {v.mintedAt(), &rt.Now}} {
		if f.p != nil {
			*f.dst = unix(f.p)
		}
	}
	rt.Lifetime, rt.NotBeforeSkew, rt.MaxLifetime = v.lifetime(), secs(v.Skew), secs(v.MaxLife)
	rt.NoExpiry = v.NoExpiry != nil && *v.NoExpiry
	return rt, true
}

// rawSign is the C claim-set path the vectors README describes: each present string through
// its setter, the times (a relative case's computed from now), the custom claims, dst_sign.
func (v *vectorToken) rawSign(key *Key, custom [][2]string) (string, error) {
	m := &mintFields{}
	for i, p := range []*string{v.TeamID, v.Room, v.UserName, v.UserID, v.Initials, v.Role, v.BreakoutID, v.Avatar} {
		if p != nil {
			m.ops = append(m.ops, int64(opTeamID+i), m.add(*p), 0)
		}
	}
	times := [3]*int64{v.IssuedAt, v.NotBefore, v.ExpiresAt}
	if v.Lifetime != nil {
		iat, exp := *v.Now, *v.Now+*v.Lifetime
		times = [3]*int64{&iat, nil, &exp}
		if v.Skew != nil {
			nbf := *v.Now - *v.Skew
			times[1] = &nbf
		}
	}
	for i, p := range times {
		if p != nil {
			m.ops = append(m.ops, int64(opIssuedAt+i), *p, 0)
		}
	}
	for _, cc := range custom {
		m.ops = append(m.ops, opJSON, m.add(cc[0]), m.add(cc[1]))
	}
	m.blob = append(m.blob, 0)
	var tok string
	err := key.use("vector", func(k keyHandle) (err error) {
		tok, err = nativeSign("vector", m.blob, nil, m.ops, k)
		return err
	})
	return tok, err
}

func TestVectorsSign(t *testing.T) {
	vf := loadVectors(t)
	paths := 0
	for _, tc := range vf.Sign {
		t.Run(tc.Name, func(t *testing.T) {
			key, secret := vectorKey(t, tc.KeyHex)
			check := func(path, got string, err error) {
				t.Helper()
				paths++
				if err != nil || got != tc.JWT {
					t.Errorf("%s: %v\n got  %s\n want %s", path, err, got, tc.JWT)
				}
			}
			got, err := tc.Token.rawSign(key, tc.Custom)
			check("dst_claims setters + dst_sign", got, err)
			if tc.Token.outOfRange() {
				// The claim-set path signs what it is given; the mint refuses such a time.
				_, err := tc.Token.builder(tc.Custom).Sign(key)
				wantStatus(t, err, ErrInvalidArgument)
				return
			}
			got, err = tc.Token.builder(tc.Custom).Sign(key)
			check("Claims.Sign", got, err)
			if len(tc.Custom) == 0 {
				got, err = tc.Token.rawMint(key)
				check("dst_mint", got, err)
				if rt, ok := tc.Token.roomToken(); ok {
					got, err = Mint(key, rt)
					check("Mint", got, err)
				}
			}
			// Independently: golang-jwt accepts the vector's token under its key (HS256, the
			// signature; times are the verify cases' business).
			_, err = jwt.Parse(tc.JWT, func(*jwt.Token) (any, error) { return secret, nil },
				jwt.WithValidMethods([]string{"HS256"}), jwt.WithoutClaimsValidation())
			if err != nil {
				t.Errorf("golang-jwt: %v", err)
			}
		})
	}
	t.Logf("%d sign cases, %d token comparisons", len(vf.Sign), paths)
}

func TestVectorsSignErrors(t *testing.T) {
	vf := loadVectors(t)
	for _, tc := range vf.SignErrors {
		t.Run(tc.Name, func(t *testing.T) {
			key, _ := vectorKey(t, tc.KeyHex)
			tok, err := tc.Token.builder(tc.Custom).Sign(key)
			if tok != "" {
				t.Errorf("Claims.Sign made a token")
			}
			tc.check(t, "Claims.Sign", err)
			_, err = tc.Token.rawSign(key, tc.Custom)
			if want, _ := ParseStatus(tc.Status); true {
				wantStatus(t, err, want) // the claim-set path: the same status (the rule may differ)
			}
			if len(tc.Custom) == 0 {
				_, err = tc.Token.rawMint(key)
				tc.check(t, "dst_mint", err)
				if rt, ok := tc.Token.roomToken(); ok {
					_, err = Mint(key, rt)
					tc.check(t, "Mint", err)
				}
			}
		})
	}
}

// mint_errors: every mint and the builder's Sign refuse the case with its error, the message
// containing its words and naming no C function or field; a case with custom claims gives a
// registered name to Custom/CustomJSON, refused while its token alone mints.
func TestVectorsMintErrors(t *testing.T) {
	vf := loadVectors(t)
	for _, tc := range vf.MintErrors {
		t.Run(tc.Name, func(t *testing.T) {
			key, secret := vectorKey(t, tc.KeyHex)
			refused := func(path string, tok string, err error) {
				t.Helper()
				if tok != "" {
					t.Errorf("%s made a token", path)
				}
				tc.check(t, path, err)
				if err == nil {
					return
				}
				for _, w := range tc.MessageContains {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("%s: %q not in %q", path, w, err)
					}
				}
				if regexp.MustCompile(`dst_|_seconds|expires_at|issued_at|not_before|team_id|no_expiry`).MatchString(err.Error()) {
					t.Errorf("%s: the message names C: %q", path, err)
				}
			}
			if len(tc.Custom) > 0 {
				tok, err := tc.Token.builder(nil).Sign(key)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := parseWithGolangJWT(tok, secret, time.Unix(*tc.Token.Now, 0)); err != nil {
					t.Fatalf("golang-jwt: %v", err)
				}
				tok, err = tc.Token.builder(tc.Custom).Sign(key)
				refused("Claims.CustomJSON", tok, err)
				c := tc.Token.builder(nil)
				for _, cc := range tc.Custom {
					var v any
					_ = json.Unmarshal([]byte(cc[1]), &v)
					c.Custom(cc[0], v)
				}
				tok, err = c.Sign(key)
				refused("Claims.Custom", tok, err)
				return
			}
			tok, err := tc.Token.builder(nil).Sign(key)
			refused("Claims.Sign", tok, err)
			if rt, ok := tc.Token.roomToken(); ok {
				tok, err = Mint(key, rt)
				refused("Mint", tok, err)
				tok, err = MintURL(key, rt, "acme")
				refused("MintURL", tok, err)
			}
			_, err = tc.Token.rawMint(key) // the library's own refusal
			tc.check(t, "dst_mint", err)
		})
	}
}

func TestVectorsVerify(t *testing.T) {
	vf := loadVectors(t)
	for _, tc := range vf.Verify {
		t.Run(tc.Name, func(t *testing.T) {
			key, secret := vectorKey(t, tc.KeyHex)
			opts := []VerifyOption{WithTime(time.Unix(tc.Now, 0)), WithLeeway(time.Duration(tc.Leeway) * time.Second)}
			if o := tc.Options; o != nil {
				if o.ExpOptional {
					opts = append(opts, WithExpOptional())
				}
				if o.TeamID != nil {
					opts = append(opts, WithTeamID(*o.TeamID))
				}
				if o.Room != nil {
					opts = append(opts, WithRoom(*o.Room))
				}
				if o.Required != nil {
					opts = append(opts, WithRequired(o.Required...))
				}
			}
			v, err := Verify(tc.JWT, key, opts...)
			if tc.Status != "DST_OK" {
				if v != nil {
					t.Errorf("claims with an error")
				}
				tc.check(t, "Verify", err)
				var e *Error
				if errors.As(err, &e) && e.Status == ErrClaimMismatch && (e.Expected == "" || !strings.Contains(e.Message, strconv.Quote(e.Expected))) {
					t.Errorf("the expected value is not in %q", e.Message)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !jsonEqual(t, v.JSON(), string(tc.Claims)) {
				t.Errorf("claims\n got  %s\n want %s", v.JSON(), tc.Claims)
			}
			_, err = jwt.Parse(tc.JWT, func(*jwt.Token) (any, error) { return secret, nil },
				jwt.WithValidMethods([]string{"HS256"}), jwt.WithoutClaimsValidation())
			if err != nil {
				t.Errorf("golang-jwt refuses a token dstoken accepts: %v", err)
			}
		})
	}
}

func TestVectorsDecode(t *testing.T) {
	vf := loadVectors(t)
	for _, tc := range vf.Decode {
		t.Run(tc.Name, func(t *testing.T) {
			u, err := DecodeUnverified(tc.JWT)
			if tc.Status != "DST_OK" {
				if u != nil {
					t.Errorf("a result with an error")
				}
				tc.check(t, "DecodeUnverified", err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			h, _ := json.Marshal(u.Header)
			if !jsonEqual(t, string(h), string(tc.Header)) {
				t.Errorf("header\n got  %s\n want %s", h, tc.Header)
			}
			if !jsonEqual(t, u.Claims.JSON(), string(tc.Claims)) {
				t.Errorf("claims\n got  %s\n want %s", u.Claims.JSON(), tc.Claims)
			}
			// golang-jwt's own unverified parse reads the same claims.
			tok, _, err := jwt.NewParser().ParseUnverified(tc.JWT, jwt.MapClaims{})
			if err != nil {
				t.Fatalf("golang-jwt: %v", err)
			}
			g, _ := json.Marshal(tok.Claims)
			if !jsonEqual(t, string(g), u.Claims.JSON()) {
				t.Errorf("golang-jwt reads %s", g)
			}
		})
	}
}

func TestVectorsKeys(t *testing.T) {
	vf := loadVectors(t)
	for _, tc := range vf.Keys {
		t.Run(tc.Name, func(t *testing.T) {
			k, err := NewKeyString(tc.Key)
			if tc.Status != "DST_OK" {
				if k != nil {
					t.Errorf("a key with an error")
				}
				tc.check(t, "NewKeyString", err)
				// As bytes, the same key is taken as it is.
				if kb, err := NewKey([]byte(tc.Key)); tc.Reason == "KEY_WHITESPACE" && err != nil {
					t.Errorf("NewKey: %v", err)
				} else if kb != nil {
					kb.Close()
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer k.Close()
			kb, err := NewKey([]byte(tc.Key))
			if err != nil {
				t.Fatal(err)
			}
			defer kb.Close()
			rt := &RoomToken{TeamID: "t", Room: "r", NoExpiry: true}
			a, _ := Mint(k, rt)
			b, _ := Mint(kb, rt)
			if a == "" || a != b {
				t.Errorf("NewKeyString and NewKey sign differently: %q / %q", a, b)
			}
		})
	}
}
