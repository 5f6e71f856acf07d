package dstoken

// Independent cross-checks with github.com/golang-jwt/jwt/v5: dstoken's tokens verify there,
// and its tokens verify here.

import (
	"errors"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// parseWithGolangJWT verifies token with golang-jwt (HS256 only) at now and returns its claims.
func parseWithGolangJWT(token string, secret []byte, now time.Time) (jwt.MapClaims, error) {
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(token, claims, func(*jwt.Token) (any, error) { return secret, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithTimeFunc(func() time.Time { return now }),
		jwt.WithIssuedAt())
	return claims, err
}

func TestGolangJWTVerifiesDstoken(t *testing.T) {
	k := newKey(t)
	now := time.Now()
	tok, err := NewClaims().TeamID("team").Room("room").UserName("Jöhn \"JS\" <Smith>").Role("moderator").
		Validity(30*time.Second, time.Hour).Custom("meta", map[string]any{"n": 1.5, "tags": []string{"a"}}).Sign(k)
	if err != nil {
		t.Fatal(err)
	}
	c, err := parseWithGolangJWT(tok, testSecret, now)
	if err != nil {
		t.Fatal(err)
	}
	if c["td"] != "team" || c["rd"] != "room" || c["u"] != "Jöhn \"JS\" <Smith>" || c["role"] != "moderator" {
		t.Fatalf("claims: %v", c)
	}
	exp, _ := c.GetExpirationTime()
	nbf, _ := c.GetNotBefore()
	iat, _ := c.GetIssuedAt()
	if exp.Unix()-iat.Unix() != 3600 || iat.Unix()-nbf.Unix() != 30 {
		t.Fatalf("times: iat %v nbf %v exp %v", iat, nbf, exp)
	}
	// golang-jwt rejects it under another key and after expiry, as it should.
	if _, err := parseWithGolangJWT(tok, []byte("another key"), now); !errors.Is(err, jwt.ErrTokenSignatureInvalid) {
		t.Fatalf("wrong key: %v", err)
	}
	if _, err := parseWithGolangJWT(tok, testSecret, now.Add(2*time.Hour)); !errors.Is(err, jwt.ErrTokenExpired) {
		t.Fatalf("expired: %v", err)
	}
}

// roomClaims lays out a room token's claims in dstoken's order, so golang-jwt (encoding/json)
// produces the very same payload bytes for plain strings.
type roomClaims struct {
	TeamID   string `json:"td"`
	Room     string `json:"rd"`
	UserName string `json:"u,omitempty"`
	Role     string `json:"role,omitempty"`
	IssuedAt int64  `json:"iat"`
	Expires  int64  `json:"exp"`
}

func (c roomClaims) GetExpirationTime() (*jwt.NumericDate, error) {
	return jwt.NewNumericDate(time.Unix(c.Expires, 0)), nil
}
func (c roomClaims) GetIssuedAt() (*jwt.NumericDate, error) {
	return jwt.NewNumericDate(time.Unix(c.IssuedAt, 0)), nil
}
func (roomClaims) GetNotBefore() (*jwt.NumericDate, error) { return nil, nil }
func (roomClaims) GetIssuer() (string, error)              { return "", nil }
func (roomClaims) GetSubject() (string, error)             { return "", nil }
func (roomClaims) GetAudience() (jwt.ClaimStrings, error)  { return nil, nil }

func TestDstokenVerifiesGolangJWT(t *testing.T) {
	k := newKey(t)
	now := time.Unix(1_750_000_000, 0)
	rc := roomClaims{TeamID: "team-9", Room: "all hands", UserName: "Zoë", Role: "attendee",
		IssuedAt: now.Unix(), Expires: now.Add(time.Hour).Unix()}
	theirs, err := jwt.NewWithClaims(jwt.SigningMethodHS256, rc).SignedString(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Verify(theirs, k, WithTime(now))
	if err != nil {
		t.Fatal(err)
	}
	if v.TeamID != "team-9" || v.Room != "all hands" || v.UserName != "Zoë" || v.Role != "attendee" ||
		!v.IssuedAt.Equal(now) || !v.ExpiresAt.Equal(now.Add(time.Hour)) {
		t.Fatalf("claims: %+v", v)
	}
	// Same claims, same header: byte-identical tokens.
	ours, err := NewClaims().TeamID("team-9").Room("all hands").UserName("Zoë").Role("attendee").
		ExpiresIn(time.Hour).At(now).Sign(k)
	if err != nil || ours != theirs {
		t.Fatalf("tokens differ (%v):\n ours   %s\n theirs %s", err, ours, theirs)
	}
	// A MapClaims token (keys sorted, numbers as floats) verifies too, custom claims included.
	mc := jwt.MapClaims{"td": "t", "rd": "r", "exp": now.Add(time.Minute).Unix(), "admin": true, "n": []int{1, 2}}
	theirs, _ = jwt.NewWithClaims(jwt.SigningMethodHS256, mc).SignedString(testSecret)
	v, err = Verify(theirs, k, WithTime(now))
	if err != nil || !jsonEqual(t, v.JSON(), `{"td":"t","rd":"r","exp":1750000060,"admin":true,"n":[1,2]}`) {
		t.Fatalf("%v %s", err, v.JSON())
	}
	var admin bool
	if err := v.Decode("admin", &admin); err != nil || !admin {
		t.Fatal("custom claim lost")
	}
	// Expired, tampered and HS384 tokens from golang-jwt are refused with the right status.
	_, err = Verify(theirs, k, WithTime(now.Add(time.Hour)))
	wantStatus(t, err, ErrExpired)
	_, err = Verify(theirs[:len(theirs)-2]+"AA", k, WithTime(now))
	wantStatus(t, err, ErrBadSignature)
	hs384, _ := jwt.NewWithClaims(jwt.SigningMethodHS384, mc).SignedString(testSecret)
	_, err = Verify(hs384, k, WithTime(now))
	wantStatus(t, err, ErrUnsupportedAlgorithm)
	wrongKey, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, mc).SignedString([]byte("x"))
	_, err = Verify(wrongKey, k, WithTime(now))
	wantStatus(t, err, ErrBadSignature)
}
