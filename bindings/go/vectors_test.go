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
	"os"
	"regexp"
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
		if p != nil && (*p < 0 || *p > maxTime) {
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
	Status string      `json:"status"` // sign_errors, mint_errors
	// mint_errors: words the message must contain.
	MessageContains []string `json:"message_contains"`
}

type verifyVector struct {
	Name   string          `json:"name"`
	KeyHex string          `json:"key_hex"`
	JWT    string          `json:"jwt"`
	Now    int64           `json:"now"`
	Leeway uint32          `json:"leeway"`
	Status string          `json:"status"`
	Claims json.RawMessage `json:"claims"`
}

type vectorFile struct {
	Sign       []signVector   `json:"sign"`
	SignErrors []signVector   `json:"sign_errors"`
	MintErrors []signVector   `json:"mint_errors"`
	Verify     []verifyVector `json:"verify"`
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
	if len(v.Sign) == 0 || len(v.SignErrors) == 0 || len(v.Verify) == 0 {
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
	if v.Lifetime != nil || v.Skew != nil {
		c.Validity(secs(v.Skew), secs(v.Lifetime))
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
		m.str(i, p != nil, s)
	}
	for i, p := range []*int64{v.IssuedAt, v.NotBefore, v.ExpiresAt, v.Lifetime, v.Skew, v.Now} {
		if p != nil {
			m.f[8+i] = *p
		}
	}
	if v.NoExpiry != nil && *v.NoExpiry {
		m.f[14] = 1
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
	rt.Lifetime, rt.NotBeforeSkew = secs(v.Lifetime), secs(v.Skew)
	rt.NoExpiry = v.NoExpiry != nil && *v.NoExpiry
	return rt, true
}

func TestVectorsSign(t *testing.T) {
	vf := loadVectors(t)
	paths := 0
	for _, tc := range vf.Sign {
		t.Run(tc.Name, func(t *testing.T) {
			key, secret := vectorKey(t, tc.KeyHex)
			if tc.Token.outOfRange() {
				_, err := tc.Token.builder(tc.Custom).Sign(key)
				wantStatus(t, err, ErrInvalidArgument)
				if rt, ok := tc.Token.roomToken(); ok {
					_, err = Mint(key, rt)
					wantStatus(t, err, ErrInvalidArgument)
				}
				return
			}
			check := func(path, got string, err error) {
				t.Helper()
				paths++
				if err != nil || got != tc.JWT {
					t.Errorf("%s: %v\n got  %s\n want %s", path, err, got, tc.JWT)
				}
			}
			c := tc.Token.builder(tc.Custom)
			got, err := c.Sign(key)
			check("Claims.Sign", got, err)
			got, err = c.signClaims(key)
			check("dst_claims setters + dst_sign", got, err)
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
			want, ok := ParseStatus(tc.Status)
			if !ok || want == StatusOK {
				t.Fatalf("bad status %q", tc.Status)
			}
			c := tc.Token.builder(tc.Custom)
			tok, err := c.Sign(key)
			if tok != "" {
				t.Errorf("Claims.Sign made a token")
			}
			wantStatus(t, err, want)
			_, err = c.signClaims(key)
			if c.check() == nil { // the setter path, when the builder's own checks pass
				wantStatus(t, err, want)
			}
			if len(tc.Custom) == 0 {
				_, err = tc.Token.rawMint(key)
				wantStatus(t, err, want)
				if rt, ok := tc.Token.roomToken(); ok {
					_, err = Mint(key, rt)
					wantStatus(t, err, want)
				}
			}
		})
	}
}

// mint_errors: every mint and the builder's Sign refuse the case with its status, the message
// containing its words and naming no C function or field; a case with custom claims gives a
// registered name to Custom/CustomJSON, refused while its token alone mints.
func TestVectorsMintErrors(t *testing.T) {
	vf := loadVectors(t)
	if len(vf.MintErrors) == 0 {
		t.Fatal("no mint_errors")
	}
	for _, tc := range vf.MintErrors {
		t.Run(tc.Name, func(t *testing.T) {
			key, secret := vectorKey(t, tc.KeyHex)
			want, ok := ParseStatus(tc.Status)
			if !ok || want == StatusOK {
				t.Fatalf("bad status %q", tc.Status)
			}
			refused := func(path string, tok string, err error) {
				t.Helper()
				if tok != "" {
					t.Errorf("%s made a token", path)
				}
				wantStatus(t, err, want)
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
			wantStatus(t, err, want)
		})
	}
}

func TestVectorsVerify(t *testing.T) {
	vf := loadVectors(t)
	for _, tc := range vf.Verify {
		t.Run(tc.Name, func(t *testing.T) {
			key, secret := vectorKey(t, tc.KeyHex)
			want, ok := ParseStatus(tc.Status)
			if !ok {
				t.Fatalf("bad status %q", tc.Status)
			}
			v, err := Verify(tc.JWT, key, WithTime(time.Unix(tc.Now, 0)), WithLeeway(time.Duration(tc.Leeway)*time.Second))
			if want != StatusOK {
				if v != nil {
					t.Errorf("claims with an error")
				}
				wantStatus(t, err, want)
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
