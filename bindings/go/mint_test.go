package dstoken

import (
	"errors"
	"strings"
	"testing"
	"time"
)

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
		Validity(30*time.Second, time.Hour).At(now).Sign(k)
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
		{"NUL", &RoomToken{TeamID: "t", Room: "r", UserName: "a\x00", Lifetime: time.Hour}, ErrInvalidArgument},
		{"sub-second skew", &RoomToken{TeamID: "t", Room: "r", Lifetime: time.Hour, NotBeforeSkew: time.Millisecond}, ErrInvalidArgument},
		{"sub-second maximum", &RoomToken{TeamID: "t", Room: "r", Lifetime: time.Hour, MaxLifetime: time.Millisecond}, ErrInvalidArgument},
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

// A time.Duration counts nanoseconds: Lifetime: 3600 is 3.6 µs, which the library refuses as a
// sub-second lifetime; the message says what to pass, and the error's parts are fields.
func TestLifetimeInNanosecondsRefused(t *testing.T) {
	k := newKey(t)
	for _, sign := range []func() (string, error){
		func() (string, error) { return Mint(k, &RoomToken{TeamID: "t", Room: "r", Lifetime: 3600}) },
		func() (string, error) { return NewClaims().TeamID("t").Room("r").ExpiresIn(3600).Sign(k) },
	} {
		tok, err := sign()
		var e *Error
		if tok != "" || !errors.As(err, &e) || !errors.Is(err, ErrInvalidArgument) {
			t.Fatalf("%q %v", tok, err)
		}
		if e.Reason != ReasonSubSecond || e.Argument != ArgLifetime || e.Value != 0 || e.Limit != 3600 {
			t.Errorf("parts: %+v", e)
		}
		if !strings.Contains(e.Message, "3600 * time.Second") {
			t.Errorf("the message does not say what to pass: %q", e.Message)
		}
	}
	// MaxLifetime raises the library's 30-day maximum.
	rt := &RoomToken{TeamID: "t", Room: "r", Lifetime: 40 * 24 * time.Hour}
	_, err := Mint(k, rt)
	var e *Error
	if !errors.As(err, &e) || e.Reason != ReasonLifetimeTooLong || e.Other != ArgMaxLifetime || !strings.Contains(e.Message, "MaxLifetime") {
		t.Fatalf("%v", err)
	}
	rt.MaxLifetime = 40 * 24 * time.Hour
	if _, err := Mint(k, rt); err != nil {
		t.Fatal(err)
	}
}
