package dstoken

// The rules every dstoken binding shares: registered names and NaN refused
// as custom claims, the zero time.Time refused, an expiry required unless NoExpiry, lifetimes
// rounded up, times within 1970..9999 (milliseconds named as such), no token minted already
// expired, a URL refused by Verify, and messages naming Go methods and fields, never C
// functions. Every token made here is also checked with golang-jwt.

import (
	"encoding/json"
	"errors"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"
)

// wantMessage is wantStatus plus a pattern the message must match; no message names a C
// function or a C field.
func wantMessage(t *testing.T, err error, want Status, pattern string) {
	t.Helper()
	wantStatus(t, err, want)
	if !regexp.MustCompile(pattern).MatchString(err.Error()) {
		t.Fatalf("message %q does not match %q", err, pattern)
	}
	if regexp.MustCompile(`dst_|_seconds|_at\b|team_id|user_name|no_expiry`).MatchString(err.Error()) {
		t.Fatalf("message %q names C", err)
	}
}

func TestCustomRefusesRegisteredNames(t *testing.T) {
	k := newKey(t)
	setters := map[string]string{"td": "TeamID()", "rd": "Room()", "u": "UserName()", "ud": "UserID()",
		"initials": "Initials()", "role": "Role()", "breakoutId": "BreakoutID()", "avatar": "Avatar()",
		"iat": "IssuedAt()", "nbf": "NotBefore()", "exp": "ExpiresAt() or ExpiresIn()"}
	if len(setters) != 11 {
		t.Fatal("11 registered names")
	}
	for name, setter := range setters {
		for _, c := range []*Claims{
			NewClaims().TeamID("t").Room("r").Role("attendee").ExpiresIn(time.Hour).Custom(name, "moderator"),
			NewClaims().TeamID("t").Room("r").Role("attendee").ExpiresIn(time.Hour).CustomJSON(name, `"moderator"`),
		} {
			tok, err := c.Sign(k)
			if tok != "" {
				t.Fatalf("%s: signed %s", name, tok)
			}
			if !errors.Is(err, ErrInvalidArgument) {
				t.Fatalf("%s: %v", name, err)
			}
			wantMessage(t, err, ErrInvalidArgument, `Claims\.Custom(JSON)?: "`+name+`" is a registered claim; set it with `+regexp.QuoteMeta(setter))
		}
	}
	// No privilege escalation: profile data through Custom cannot change the role.
	profile := map[string]any{"role": "moderator", "rd": "board-room", "td": "other-team"}
	c := NewClaims().TeamID("my-team").Room("lobby").Role("attendee").ExpiresIn(time.Hour)
	for n, v := range profile {
		c.Custom(n, v)
	}
	if _, err := c.Sign(k); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("profile data signed: %v", err)
	}
	// Other names still work, and golang-jwt reads them.
	tok, err := NewClaims().TeamID("t").Room("r").ExpiresIn(time.Hour).Custom("plan", "pro").CustomJSON("roles", `["a"]`).Sign(k)
	if err != nil {
		t.Fatal(err)
	}
	m, err := parseWithGolangJWT(tok, testSecret, time.Now())
	if err != nil || m["plan"] != "pro" || m["role"] != nil {
		t.Fatalf("golang-jwt: %v %v", err, m)
	}
}

func TestNonFiniteAndZeroTimeRefused(t *testing.T) {
	k := newKey(t)
	for _, v := range []any{math.NaN(), math.Inf(1), math.Inf(-1), []float64{1, math.NaN()}, map[string]float32{"x": float32(math.Inf(1))}} {
		_, err := NewClaims().TeamID("t").Room("r").ExpiresIn(time.Hour).Custom("n", v).Sign(k)
		wantMessage(t, err, ErrInvalidArgument, `Claims\.Custom: claim "n": json: unsupported value: (NaN|[+-]Inf)`)
	}
	_, err := NewClaims().TeamID("t").Room("r").ExpiresIn(time.Hour).CustomJSON("n", "NaN").Sign(k)
	wantStatus(t, err, ErrInvalidArgument)
	for name, c := range map[string]*Claims{
		"IssuedAt":  NewClaims().TeamID("t").Room("r").ExpiresAt(time.Now().Add(time.Hour)).IssuedAt(time.Time{}),
		"NotBefore": NewClaims().TeamID("t").Room("r").ExpiresAt(time.Now().Add(time.Hour)).NotBefore(time.Time{}),
		"ExpiresAt": NewClaims().TeamID("t").Room("r").ExpiresAt(time.Time{}),
		"At":        NewClaims().TeamID("t").Room("r").ExpiresIn(time.Hour).At(time.Time{}),
	} {
		_, err := c.Sign(k)
		wantMessage(t, err, ErrInvalidArgument, `Claims\.`+name+`: the zero time\.Time .* is not a time to sign`)
	}
}

func TestExpiryRequired(t *testing.T) {
	k := newKey(t)
	_, err := NewClaims().TeamID("t").Room("r").Sign(k)
	wantMessage(t, err, ErrInvalidArgument, `^dstoken: Claims\.Sign: the token has no expiry; call ExpiresIn, Validity or ExpiresAt, or NoExpiry\(\)`)
	_, err = NewClaims().TeamID("t").Room("r").IssuedAt(time.Now()).CustomJSON("c", "1").Sign(k)
	wantMessage(t, err, ErrInvalidArgument, `Claims\.Sign: the token has no expiry`)
	_, err = Mint(k, &RoomToken{TeamID: "t", Room: "r", IssuedAt: time.Now()})
	wantMessage(t, err, ErrInvalidArgument, `^dstoken: Mint: the token has no expiry; set Lifetime or ExpiresAt, or NoExpiry: true`)
	_, err = MintURL(k, &RoomToken{TeamID: "t", Room: "r"}, "acme")
	wantMessage(t, err, ErrInvalidArgument, `^dstoken: MintURL: the token has no expiry`)
	// Asked for: a token without exp, on every path; golang-jwt accepts it as such.
	now := time.Unix(1_700_000_000, 0)
	a, err := NewClaims().TeamID("t").Room("r").IssuedAt(now).NoExpiry().Sign(k)
	if err != nil {
		t.Fatal(err)
	}
	b, err1 := Mint(k, &RoomToken{TeamID: "t", Room: "r", IssuedAt: now, NoExpiry: true})
	c, err2 := NewClaims().TeamID("t").Room("r").IssuedAt(now).NoExpiry().signClaims(k)
	if err1 != nil || err2 != nil || a != b || a != c {
		t.Fatalf("paths differ: %v %v\n%s\n%s\n%s", err1, err2, a, b, c)
	}
	m, err := parseWithGolangJWT(a, testSecret, now)
	if err != nil || m["exp"] != nil || m["iat"] != float64(now.Unix()) {
		t.Fatalf("golang-jwt: %v %v", err, m)
	}
	// NoExpiry with an expiry contradicts itself.
	_, err = NewClaims().TeamID("t").Room("r").ExpiresIn(time.Hour).NoExpiry().Sign(k)
	wantMessage(t, err, ErrInvalidArgument, `NoExpiry\(\) is set but so is an expiry \(ExpiresIn/Validity\)`)
	_, err = Mint(k, &RoomToken{TeamID: "t", Room: "r", ExpiresAt: time.Now().Add(time.Hour), NoExpiry: true})
	wantMessage(t, err, ErrInvalidArgument, `Mint: NoExpiry is set but so is an expiry \(ExpiresAt\)`)
	// Zero and negative lifetimes are refused.
	for _, d := range []time.Duration{0, -time.Nanosecond, -time.Hour} {
		_, err = NewClaims().TeamID("t").Room("r").ExpiresIn(d).Sign(k)
		wantMessage(t, err, ErrInvalidArgument, `Claims\.ExpiresIn: the lifetime must be positive`)
		_, err = NewClaims().TeamID("t").Room("r").Validity(time.Second, d).Sign(k)
		wantMessage(t, err, ErrInvalidArgument, `Claims\.Validity: the lifetime must be positive`)
	}
	_, err = Mint(k, &RoomToken{TeamID: "t", Room: "r", Lifetime: -time.Second})
	wantMessage(t, err, ErrInvalidArgument, `Mint: Lifetime must be positive`)
}

// A fractional lifetime rounds up to whole seconds (as Java does), never down to 0.
func TestLifetimeRoundsUp(t *testing.T) {
	k := newKey(t)
	now := time.Unix(1_700_000_000, 0)
	for d, want := range map[time.Duration]int64{time.Nanosecond: 1, 1500 * time.Millisecond: 2, time.Minute - time.Microsecond: 60, time.Minute: 60} {
		a, err := NewClaims().TeamID("t").Room("r").ExpiresIn(d).At(now).Sign(k)
		if err != nil {
			t.Fatal(err)
		}
		b, err1 := Mint(k, &RoomToken{TeamID: "t", Room: "r", Lifetime: d, Now: now})
		c, err2 := NewClaims().TeamID("t").Room("r").ExpiresIn(d).At(now).signClaims(k)
		if err1 != nil || err2 != nil || a != b || a != c {
			t.Fatalf("%v: paths differ: %v %v", d, err1, err2)
		}
		m, err := parseWithGolangJWT(a, testSecret, now)
		if err != nil || m["exp"] != float64(now.Unix()+want) {
			t.Fatalf("%v: %v %v", d, err, m)
		}
	}
}

func TestTimeRange(t *testing.T) {
	k := newKey(t)
	maxT := time.Unix(maxTime, 0)
	tok, err := NewClaims().TeamID("t").Room("r").ExpiresAt(maxT).Sign(k)
	if err != nil {
		t.Fatal(err)
	}
	if m, err := parseWithGolangJWT(tok, testSecret, time.Now()); err != nil || m["exp"] != float64(maxTime) {
		t.Fatalf("golang-jwt: %v %v", err, m)
	}
	// Milliseconds given as seconds (time.Unix(ms, 0)): named as such.
	ms := time.Unix(time.Now().Add(time.Hour).UnixMilli(), 0)
	for _, err := range []error{
		NewClaims().TeamID("t").Room("r").ExpiresAt(ms).check(),
		NewClaims().TeamID("t").Room("r").IssuedAt(ms).NoExpiry().check(),
		NewClaims().TeamID("t").Room("r").ExpiresIn(time.Hour).At(ms).check(),
	} {
		wantMessage(t, err, ErrInvalidArgument, `Claims\.(ExpiresAt|IssuedAt|At) is \d+ \(unix seconds\), after 9999-12-31T23:59:59Z .*looks like milliseconds.*time\.UnixMilli\(ms\)`)
	}
	_, err = Mint(k, &RoomToken{TeamID: "t", Room: "r", ExpiresAt: ms})
	wantMessage(t, err, ErrInvalidArgument, `Mint: ExpiresAt is \d+ .*looks like milliseconds`)
	_, err = Mint(k, &RoomToken{TeamID: "t", Room: "r", ExpiresAt: time.Unix(maxTime*1000+1000, 0)})
	wantStatus(t, err, ErrInvalidArgument)
	if strings.Contains(err.Error(), "milliseconds") {
		t.Fatalf("not milliseconds either: %v", err)
	}
	for _, err := range []error{
		NewClaims().TeamID("t").Room("r").NotBefore(time.Unix(-1, 0)).NoExpiry().check(),
		NewClaims().TeamID("t").Room("r").IssuedAt(time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC)).NoExpiry().check(),
	} {
		wantMessage(t, err, ErrInvalidArgument, `is -\d+ \(unix seconds, 1969-12-31T.*\), before 1970-01-01T00:00:00Z`)
	}
	_, err = Mint(k, &RoomToken{TeamID: "t", Room: "r", Lifetime: time.Hour, Now: time.Unix(maxTime-60, 0)})
	wantMessage(t, err, ErrInvalidArgument, `Mint: now \(\d+\) plus the lifetime \(3600 s\) is after 9999-12-31T23:59:59Z`)
	_, err = Mint(k, &RoomToken{TeamID: "t", Room: "r", Lifetime: time.Hour, NotBeforeSkew: time.Hour, Now: time.Unix(60, 0)})
	wantMessage(t, err, ErrInvalidArgument, `Mint: now \(60\) minus the skew \(3600 s\) is before 1970`)
	// Verification accepts every 64-bit NumericDate, beyond the signing range too.
	far, err := NewClaims().TeamID("t").Room("r").NoExpiry().CustomJSON("x", "1").signClaims(k)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(far, k, WithTime(time.Unix(maxTime+1000, 0))); err != nil {
		t.Fatal(err)
	}
}

func TestExpiredMintRefused(t *testing.T) {
	k := newKey(t)
	now := time.Unix(1_700_000_000, 0)
	past := time.Now().Add(-time.Minute).Truncate(time.Second)
	_, err := NewClaims().TeamID("t").Room("r").ExpiresAt(past).Sign(k)
	wantMessage(t, err, ErrInvalidArgument, `^dstoken: Claims\.Sign: the token would be expired when minted: ExpiresAt is `+
		regexp.QuoteMeta(strings.TrimSpace(past.UTC().Format(time.RFC3339)))[:0]+`\d+ \(\d{4}-\d\d-\d\dT[\d:]+Z\), not after now \d+ \(.*\) \(the clock\)`)
	_, err = Mint(k, &RoomToken{TeamID: "t", Room: "r", ExpiresAt: now, Now: now})
	wantMessage(t, err, ErrInvalidArgument, `Mint: the token would be expired when minted: ExpiresAt is 1700000000 \(2023-11-14T22:13:20Z\), not after now 1700000000 \(2023-11-14T22:13:20Z\); set an ExpiresAt in the future, or Lifetime`)
	_, err = MintURL(k, &RoomToken{TeamID: "t", Room: "r", ExpiresAt: past}, "acme")
	wantMessage(t, err, ErrInvalidArgument, `MintURL: the token would be expired`)
	_, err = NewClaims().TeamID("t").Room("r").ExpiresAt(now).At(now.Add(time.Second)).CustomJSON("c", "1").Sign(k)
	wantMessage(t, err, ErrInvalidArgument, `Claims\.Sign: the token would be expired`)
	// One second after now is fine; golang-jwt agrees at that now.
	tok, err := Mint(k, &RoomToken{TeamID: "t", Room: "r", ExpiresAt: now.Add(time.Second), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseWithGolangJWT(tok, testSecret, now); err != nil {
		t.Fatal(err)
	}
}

// Messages the library makes name the Go function and field, never the C function.
func TestMessagesNameGo(t *testing.T) {
	k := newKey(t)
	long := strings.Repeat("x", 70000)
	_, err := Mint(k, &RoomToken{TeamID: "t", Room: "r", UserName: long, Lifetime: time.Hour})
	wantMessage(t, err, ErrInvalidArgument, `^dstoken: Mint: the token would be \d+ bytes`)
	_, err = NewClaims().TeamID("t").Room("r").UserName(long).ExpiresIn(time.Hour).Sign(k)
	wantMessage(t, err, ErrInvalidArgument, `^dstoken: Claims\.Sign: the token would be \d+ bytes`)
	_, err = NewClaims().TeamID("t").Room("r").ExpiresIn(time.Hour).CustomJSON("x", "[1,").Sign(k)
	wantMessage(t, err, ErrInvalidArgument, `^dstoken: Claims\.Sign: the JSON text for claim "x" is not valid JSON`)
	_, err = NewClaims().Room("r").ExpiresIn(time.Hour).Sign(k)
	wantMessage(t, err, ErrMissingClaim, `^dstoken: Claims\.Sign: TeamID \(claim "td"\) is required; call TeamID\(\)`)
	_, err = Mint(k, &RoomToken{TeamID: "t", Lifetime: time.Hour})
	wantMessage(t, err, ErrMissingClaim, `^dstoken: Mint: Room \(claim "rd"\) is required; set Room`)
	_, err = MintURL(k, &RoomToken{TeamID: "t", Room: "r", Lifetime: time.Hour}, "bad host!")
	wantMessage(t, err, ErrInvalidArgument, `^dstoken: MintURL: team`)
	_, err = JoinURL("bad host!", "r", "")
	wantMessage(t, err, ErrInvalidArgument, `^dstoken: JoinURL: team`)
	_, err = Verify("a.b", k)
	wantMessage(t, err, ErrMalformedToken, `^dstoken: Verify: `)
	_, err = Verify("https://acme.digitalsamba.com/r?token=a.b.c", k)
	wantMessage(t, err, ErrMalformedToken, `^dstoken: Verify: this is a URL, not a token; pass the token alone`)
	_, err = NewKey(nil)
	wantMessage(t, err, ErrInvalidArgument, `^dstoken: NewKey: `)
	_, err = NewClaims().TeamID("t").Room("r").IssuedAt(time.Unix(100, 0)).ExpiresAt(time.Unix(99, 0)).Sign(k)
	wantMessage(t, err, ErrInvalidArgument, `Claims\.Sign: ExpiresAt \(99\) is earlier than IssuedAt \(100\)`)
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
