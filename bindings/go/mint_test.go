package dstoken

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// The builder's two native paths (dst_mint, and the dst_claims setters + dst_sign) give the
// same bytes for every shape of claims dst_mint can express.
func TestBuilderPathsAgree(t *testing.T) {
	k := newKey(t)
	now := time.Unix(1_700_000_000, 0)
	all := func() *Claims {
		return NewClaims().TeamID("team").Room("room").UserName("").UserID("ü-1").Initials("JS").
			Role("moderator").BreakoutID("b").Avatar("https://x.example/a.png")
	}
	cases := map[string]*Claims{
		"minimal":       NewClaims().TeamID("t").Room("r").NoExpiry(),
		"all strings":   all().NoExpiry(),
		"explicit":      all().IssuedAt(now).NotBefore(now.Add(-time.Second)).ExpiresAt(now.Add(time.Hour)).At(now),
		"expires in":    all().ExpiresIn(time.Hour).At(now),
		"validity":      all().Validity(30*time.Second, 2*time.Hour).At(now),
		"clock":         all().ExpiresIn(time.Hour),
		"negative time": NewClaims().TeamID("t").Room("r").IssuedAt(time.Unix(-5, 0)).ExpiresAt(time.Unix(-1, 0)),
		"empty team":    NewClaims().TeamID("").Room("r").NoExpiry(),
		"no room":       NewClaims().TeamID("t").ExpiresIn(time.Hour),
		"no expiry":     NewClaims().TeamID("t").Room("r"),
		"expired":       NewClaims().TeamID("t").Room("r").ExpiresAt(now),
		"bad utf8":      NewClaims().TeamID("t").Room("r").Avatar("\xc3").NoExpiry(),
		"exp < iat":     NewClaims().TeamID("t").Room("r").IssuedAt(now).ExpiresAt(now.Add(-time.Second)),
		"past 9999":     NewClaims().TeamID("t").Room("r").ExpiresIn(time.Hour).At(time.Unix(maxTime-5, 0)),
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if times, now, err := c.plan(); err == nil {
				if _, ok := c.mintFields(times, now); !ok {
					t.Fatal("not on the dst_mint path")
				}
			}
			a, errA := c.Sign(k)
			b, errB := c.signClaims(k)
			if a != b {
				t.Fatalf("tokens differ:\n dst_mint %s\n claims   %s", a, b)
			}
			if (errA == nil) != (errB == nil) {
				t.Fatalf("errors differ: %v / %v", errA, errB)
			}
			if errA != nil {
				var sa, sb *Error
				errors.As(errA, &sa)
				errors.As(errB, &sb)
				if sa == nil || sb == nil || sa.Status != sb.Status {
					t.Fatalf("statuses differ: %v / %v", errA, errB)
				}
			}
		})
	}
}

func TestMint(t *testing.T) {
	k := newKey(t)
	now := time.Unix(1_700_000_000, 0)
	rt := &RoomToken{TeamID: "team", Room: "daily standup", UserName: "John Smith", Role: "moderator",
		Lifetime: time.Hour, NotBeforeSkew: 30 * time.Second, Now: now}
	tok, err := Mint(k, rt)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewClaims().TeamID("team").Room("daily standup").UserName("John Smith").Role("moderator").
		Validity(30*time.Second, time.Hour).At(now).signClaims(k)
	if err != nil || b != tok {
		t.Fatalf("Mint and the claims path differ (%v):\n%s\n%s", err, tok, b)
	}
	if _, err := parseWithGolangJWT(tok, testSecret, now); err != nil {
		t.Fatalf("golang-jwt: %v", err)
	}
	u, err := MintURL(k, rt, "acme")
	if err != nil || u != "https://acme.digitalsamba.com/daily%20standup?token="+tok {
		t.Fatalf("MintURL: %q %v", u, err)
	}
	explicit := &RoomToken{TeamID: "t", Room: "r", IssuedAt: now, ExpiresAt: now.Add(time.Minute), Now: now}
	if tok, err = Mint(k, explicit); err != nil {
		t.Fatal(err)
	}
	if v, err := Verify(tok, k, WithTime(now)); err != nil || v.JSON() != `{"td":"t","rd":"r","iat":1700000000,"exp":1700000060}` {
		t.Fatalf("%v %v", err, v)
	}
	// Without Now, the clock.
	before := time.Now().Unix()
	tok, err = Mint(k, &RoomToken{TeamID: "t", Room: "r", Lifetime: time.Minute})
	if v, err2 := Verify(tok, k); err != nil || err2 != nil || v.IssuedAt.Unix() < before || v.ExpiresAt.Unix() != v.IssuedAt.Unix()+60 {
		t.Fatalf("%v %v %+v", err, err2, v)
	}

	bad := []struct {
		name string
		rt   *RoomToken
		want Status
	}{
		{"nil", nil, ErrNullArgument},
		{"no team", &RoomToken{Room: "r", Lifetime: time.Hour}, ErrMissingClaim},
		{"no room", &RoomToken{TeamID: "t", Lifetime: time.Hour}, ErrMissingClaim},
		{"bad utf8", &RoomToken{TeamID: "t", Room: "r", Role: "\xff", Lifetime: time.Hour}, ErrInvalidUTF8},
		{"NUL", &RoomToken{TeamID: "t", Room: "r", UserName: "a\x00", Lifetime: time.Hour}, ErrInvalidArgument},
		{"both modes", &RoomToken{TeamID: "t", Room: "r", Lifetime: time.Hour, ExpiresAt: now}, ErrInvalidArgument},
		{"skew alone", &RoomToken{TeamID: "t", Room: "r", NotBeforeSkew: time.Second, NoExpiry: true}, ErrInvalidArgument},
		{"now alone", &RoomToken{TeamID: "t", Room: "r", Now: now}, ErrInvalidArgument},
		{"no expiry", &RoomToken{TeamID: "t", Room: "r"}, ErrInvalidArgument},
		{"negative lifetime", &RoomToken{TeamID: "t", Room: "r", Lifetime: -time.Hour}, ErrInvalidArgument},
		{"negative skew", &RoomToken{TeamID: "t", Room: "r", Lifetime: time.Hour, NotBeforeSkew: -time.Millisecond}, ErrInvalidArgument},
		{"sub-second skew", &RoomToken{TeamID: "t", Room: "r", Lifetime: time.Hour, NotBeforeSkew: time.Millisecond}, ErrInvalidArgument},
		{"epoch", &RoomToken{TeamID: "t", Room: "r", ExpiresAt: time.Unix(0, 0)}, ErrInvalidArgument},
		// A Now of 0 is the clock (not 1970), so an expiry in 2001 is already past.
		{"epoch now", &RoomToken{TeamID: "t", Room: "r", ExpiresAt: time.Unix(1_000_000_000, 0), Now: time.Unix(0, 0)}, ErrInvalidArgument},
		{"exp < nbf", &RoomToken{TeamID: "t", Room: "r", NotBefore: now, ExpiresAt: now.Add(-time.Second), Now: now.Add(-time.Hour)}, ErrInvalidArgument},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := Mint(k, tc.rt)
			if tok != "" {
				t.Errorf("token with an error: %s", tok)
			}
			wantStatus(t, err, tc.want)
		})
	}
	_, err = MintURL(k, rt, "bad host")
	wantStatus(t, err, ErrInvalidArgument)
	_, err = MintURL(k, rt, "ac\x00me")
	wantStatus(t, err, ErrInvalidArgument)
	_, err = Mint(nil, rt)
	wantStatus(t, err, ErrNullArgument)
	if !strings.Contains(err.Error(), "Mint") {
		t.Fatalf("message does not name the function: %v", err)
	}
}
