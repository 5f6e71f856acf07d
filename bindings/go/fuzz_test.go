package dstoken

// Fuzz tests (go test -fuzz=FuzzSign, -fuzz=FuzzVerify). Without -fuzz, `go test` runs their
// seed corpora (the f.Add calls and testdata/fuzz/) as ordinary tests.

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
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
			c.IssuedAt(time.Unix(at, 0)).NoExpiry()
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
			if claims[claim] != want { // a custom claim of a registered name is refused, never replaces it
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

// Verify reads the registered claims out of the library's compact payload with a hand-written
// scanner (scanRegistered); it must agree with encoding/json on every compact JSON object.
func FuzzPayloadScan(f *testing.F) {
	for _, seed := range []string{
		`{}`, `{"td":"t","rd":"r","u":"J\u00f6hn \"JS\"","iat":1700000000,"nbf":-5,"exp":253402300799}`,
		`{"td":5,"u":null,"role":["moderator"],"exp":1.5e9,"iat":"soon","nbf":true}`,
		`{"x":{"a":[1,{"b":"}]"}],"c":"\\"},"td":"after","\u0075":"escaped name","avatar":"a,b}"}`,
		`{"td":"first","td":"second"}`, `{"exp":99999999999999999999}`, `{"a":"\"","ud":"u"}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, payload string) {
		var buf bytes.Buffer
		// The library's payloads are compact, valid UTF-8 JSON objects.
		if !utf8.ValidString(payload) || json.Compact(&buf, []byte(payload)) != nil || buf.Len() == 0 || buf.Bytes()[0] != '{' {
			return
		}
		got, err := parsePayload(buf.String())
		if err != nil {
			t.Fatal(err)
		}
		// The oracle: encoding/json into a map (exact names, the last of duplicates), each
		// registered string claim decoded when it is a string, each time when it is an int64.
		want := &VerifiedClaims{payload: buf.String()}
		var all map[string]json.RawMessage
		if err := json.Unmarshal(buf.Bytes(), &all); err != nil {
			t.Fatal(err)
		}
		for name, dst := range map[string]*string{"td": &want.TeamID, "rd": &want.Room, "u": &want.UserName, "ud": &want.UserID,
			"initials": &want.Initials, "role": &want.Role, "breakoutId": &want.BreakoutID, "avatar": &want.Avatar} {
			if raw := all[name]; len(raw) > 0 && raw[0] == '"' {
				_ = json.Unmarshal(raw, dst)
			}
		}
		for name, dst := range map[string]*time.Time{"iat": &want.IssuedAt, "nbf": &want.NotBefore, "exp": &want.ExpiresAt} {
			if n, err := strconv.ParseInt(string(all[name]), 10, 64); err == nil {
				*dst = time.Unix(n, 0)
			}
		}
		if got.TeamID != want.TeamID || got.Room != want.Room || got.UserName != want.UserName || got.UserID != want.UserID ||
			got.Initials != want.Initials || got.Role != want.Role || got.BreakoutID != want.BreakoutID || got.Avatar != want.Avatar ||
			!got.IssuedAt.Equal(want.IssuedAt) || !got.NotBefore.Equal(want.NotBefore) || !got.ExpiresAt.Equal(want.ExpiresAt) {
			t.Fatalf("%s:\n scanner %+v\n decoder %+v", buf.String(), got, want)
		}
	})
}
