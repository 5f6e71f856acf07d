package dstoken

// The Go side's own conversions, which no shared vector can express: Go values with no JSON
// form (NaN, ±Inf) refused as custom claims, and VerifiedClaims' fields read from the exactly
// named claims. The rules themselves are the shared vectors' (vectors_test.go).

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func TestNonFiniteRefused(t *testing.T) {
	k := newKey(t)
	for _, v := range []any{math.NaN(), math.Inf(1), math.Inf(-1), []float64{1, math.NaN()}, map[string]float32{"x": float32(math.Inf(1))}} {
		_, err := NewClaims().TeamID("t").Room("r").ExpiresIn(time.Hour).Custom("n", v).Sign(k)
		var e *Error
		if !errors.As(err, &e) || e.Status != ErrInvalidArgument || e.Name != "n" ||
			!strings.Contains(e.Message, `Claims.Custom: claim "n": json: unsupported value`) {
			t.Fatalf("%v", err)
		}
	}
	_, err := NewClaims().TeamID("t").Room("r").ExpiresIn(time.Hour).CustomJSON("n", "NaN").Sign(k)
	wantStatus(t, err, ErrInvalidArgument)
}

// VerifiedClaims' fields come from the exactly named claims only: a "ROLE" or "Exp" claim (which
// encoding/json would match case-insensitively to a struct field) leaves Role and ExpiresAt alone.
func TestVerifiedFieldsMatchNamesExactly(t *testing.T) {
	k := newKey(t)
	now := time.Unix(1_700_000_000, 0)
	tok, err := NewClaims().TeamID("t").Room("r").Role("attendee").ExpiresIn(time.Hour).At(now).
		CustomJSON("ROLE", `"moderator"`).CustomJSON("Exp", "1").CustomJSON("Td", `"other"`).Sign(k)
	if err != nil {
		t.Fatal(err)
	}
	for _, payloadCheck := range []bool{true, false} {
		var v *VerifiedClaims
		if payloadCheck {
			v, err = Verify(tok, k, WithTime(now))
		} else { // the general decoder's path, for payloads that are not compact
			var m map[string]any
			_ = json.Unmarshal([]byte(mustVerify(t, tok, k, now).JSON()), &m)
			b, _ := json.MarshalIndent(m, "", " ")
			v, err = parsePayload(string(b))
		}
		if err != nil || v.Role != "attendee" || v.TeamID != "t" || v.ExpiresAt.Unix() != now.Unix()+3600 {
			t.Fatalf("%v %+v", err, v)
		}
	}
	m, err := parseWithGolangJWT(tok, testSecret, now)
	if err != nil || m["role"] != "attendee" || m["ROLE"] != "moderator" {
		t.Fatalf("golang-jwt: %v %v", err, m)
	}
}

func mustVerify(t *testing.T, tok string, k *Key, now time.Time) *VerifiedClaims {
	t.Helper()
	v, err := Verify(tok, k, WithTime(now))
	if err != nil {
		t.Fatal(err)
	}
	return v
}
