package dstoken

// Fuzz tests (go test -fuzz=FuzzSign, -fuzz=FuzzVerify). Without -fuzz, `go test` runs their
// seed corpora (the f.Add calls and testdata/fuzz/) as ordinary tests.

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"
)

// asDstokenError fails unless err is an *Error with a known, non-internal status.
func asDstokenError(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Status <= StatusOK || e.Status >= ErrInternal || e.Message == "" {
		t.Fatalf("not a proper *Error: %v (%T)", err, err)
	}
	return e
}

// Any claims either sign into a token that golang-jwt verifies and decodes to those claims,
// or fail with a dstoken error; never a panic, never a wrong token.
func FuzzSign(f *testing.F) {
	f.Add("team", "room", "John Smith", "plan", `"pro"`, int64(1700000000), int64(3600), false)
	f.Add("", "r", "", "", "", int64(0), int64(0), true)
	f.Add("t\x00", "r/?#", "\xff\xfe", "n\x00", `{"a":[1,2.5,null]}`, int64(-1), int64(-5), false)
	f.Add("équipe", "salle 1", "Zoë 🎉\u2028", "x", `{"a":1,"a":2}`, int64(1<<62), int64(1), true)
	f.Add("t", "r", "<script>&", "iat", `"later"`, int64(4102444800), int64(86400), true)
	f.Fuzz(func(t *testing.T, team, room, user, name, value string, at, lifetime int64, relative bool) {
		key := newKey(t)
		c := NewClaims().TeamID(team).Room(room).UserName(user)
		if relative {
			c.ExpiresIn(time.Duration(lifetime%1_000_000) * time.Second).At(time.Unix(at, 0))
		} else {
			c.IssuedAt(time.Unix(at, 0))
		}
		if name != "" || value != "" {
			c.CustomJSON(name, value)
		}
		tok, err := c.Sign(key)
		if err != nil {
			if tok != "" {
				t.Fatal("a token with an error")
			}
			e := asDstokenError(t, err)
			if e.Status == ErrInvalidUTF8 && allValidUTF8(team, room, user, name, value) {
				t.Fatalf("invalid UTF-8 reported for valid strings: %v", err)
			}
			return
		}
		claims := jwt.MapClaims{}
		_, err = jwt.ParseWithClaims(tok, claims, func(*jwt.Token) (any, error) { return testSecret, nil },
			jwt.WithValidMethods([]string{"HS256"}), jwt.WithoutClaimsValidation())
		if err != nil {
			t.Fatalf("golang-jwt refuses %s: %v", tok, err)
		}
		for claim, want := range map[string]string{"td": team, "rd": room, "u": user} {
			if claim != name && claims[claim] != want { // a custom claim of that name replaces it
				t.Fatalf("claim %s changed: %v", claim, claims)
			}
		}
		if name != "" {
			got, _ := json.Marshal(claims[name])
			if !jsonEqual(t, string(got), value) {
				t.Fatalf("custom claim %q: %s, want %s", name, got, value)
			}
		}
	})
}

// Any string either verifies (and then golang-jwt accepts its signature and reads the same
// claims) or fails with a dstoken error.
func FuzzVerify(f *testing.F) {
	key, err := NewKey(testSecret)
	if err != nil {
		f.Fatal(err)
	}
	defer key.Close()
	good, _ := NewClaims().TeamID("t").Room("r").UserName("Ann").ExpiresIn(time.Hour).At(time.Unix(1700000000, 0)).
		Custom("n", []any{1, "x", nil}).Sign(key)
	f.Add(good)
	f.Add(good + "=")
	f.Add(good[:len(good)-1])
	f.Add("eyJhbGciOiJub25lIn0.eyJ0ZCI6InQifQ.")
	f.Add("a.b.c")
	f.Add("")
	f.Add("...")
	f.Fuzz(func(t *testing.T, token string) {
		v, err := Verify(token, key, WithTime(time.Unix(1700000000, 0)))
		if err != nil {
			if v != nil {
				t.Fatal("claims with an error")
			}
			asDstokenError(t, err)
			return
		}
		claims := jwt.MapClaims{}
		_, err = jwt.ParseWithClaims(token, claims, func(*jwt.Token) (any, error) { return testSecret, nil },
			jwt.WithValidMethods([]string{"HS256"}), jwt.WithoutClaimsValidation())
		if err != nil {
			t.Fatalf("dstoken accepts what golang-jwt refuses (%v): %q", err, token)
		}
		theirs, _ := json.Marshal(claims)
		if !jsonEqual(t, string(theirs), v.JSON()) {
			t.Fatalf("claims differ: dstoken %s, golang-jwt %s", v.JSON(), theirs)
		}
	})
}

func allValidUTF8(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}
