package dstoken

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var testSecret = []byte("a developer key of at least 32 bytes!!")

func newKey(t testing.TB) *Key {
	t.Helper()
	k, err := NewKey(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	return k
}

// wantStatus fails unless err is an *Error with status want (checked with errors.Is and
// errors.As) whose message is not empty.
func wantStatus(t testing.TB, err error, want Status) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *Error with %v", err, err, want.String())
	}
	if !errors.Is(err, want) || e.Status != want {
		t.Fatalf("error %v: status %v, want %v", err, e.Status.String(), want.String())
	}
	if e.Message == "" || !strings.Contains(err.Error(), want.String()) {
		t.Fatalf("error %q lacks a message or the status name", err)
	}
}

func TestStatusNamesMatchLibrary(t *testing.T) {
	for s := -1; s <= len(statusNames); s++ {
		got, want := Status(s).String(), nativeStatusName(s)
		if s < 0 || s >= len(statusNames) {
			want += fmt.Sprintf(" %d", s) // the Go name keeps the number
		}
		if got != want {
			t.Errorf("Status(%d).String() = %q, dst_status_name = %q", s, got, want)
		}
	}
	for i, n := range statusNames {
		if s, ok := ParseStatus(n); !ok || int(s) != i {
			t.Errorf("ParseStatus(%q) = %v, %v", n, s, ok)
		}
	}
	if _, ok := ParseStatus("DST_NOPE"); ok {
		t.Error("ParseStatus accepted an unknown name")
	}
}

func TestErrorMatching(t *testing.T) {
	err := error(&Error{Status: ErrExpired, Message: "dst_verify: expired"})
	if !errors.Is(err, ErrExpired) || errors.Is(err, ErrBadSignature) {
		t.Fatal("errors.Is does not match by status")
	}
	if !errors.Is(err, &Error{Status: ErrExpired}) {
		t.Fatal("errors.Is does not match an *Error of the same status")
	}
	if got := err.Error(); got != "dstoken: dst_verify: expired (DST_ERR_EXPIRED)" {
		t.Fatalf("Error() = %q", got)
	}
	if got := fmt.Sprint(ErrExpired); got != "DST_ERR_EXPIRED" {
		t.Fatalf("ErrExpired.Error() = %q", got)
	}
}

func TestVersionIsCargoVersion(t *testing.T) {
	cargo, err := os.ReadFile("../../Cargo.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^version = "([0-9.]+)"`).FindSubmatch(cargo)
	if m == nil || Version() != string(m[1]) {
		t.Fatalf("Version() = %q, Cargo.toml has %q", Version(), m)
	}
}

func TestKey(t *testing.T) {
	_, err := NewKey(nil)
	wantStatus(t, err, ErrInvalidArgument)
	_, err = NewKey([]byte{})
	wantStatus(t, err, ErrInvalidArgument)

	k, err := NewKey([]byte{0, 1, 2, 0}) // raw bytes, NULs included
	if err != nil {
		t.Fatal(err)
	}
	tok, err := NewClaims().TeamID("t").Room("r").NoExpiry().Sign(k)
	if err != nil {
		t.Fatal(err)
	}
	if k.Close() != nil || k.Close() != nil {
		t.Fatal("Close returned an error")
	}
	if _, err := NewClaims().TeamID("t").Room("r").NoExpiry().Sign(k); err != ErrClosed {
		t.Fatalf("Sign after Close: %v", err)
	}
	if _, err := Verify(tok, k); !errors.Is(err, ErrClosed) {
		t.Fatalf("Verify after Close: %v", err)
	}
	if _, err := Mint(k, &RoomToken{TeamID: "t", Room: "r", Lifetime: time.Hour}); err != ErrClosed {
		t.Fatalf("Mint after Close: %v", err)
	}
	_, err = NewClaims().TeamID("t").Room("r").NoExpiry().Sign(nil)
	wantStatus(t, err, ErrNullArgument)
	_, err = Verify(tok, nil)
	wantStatus(t, err, ErrNullArgument)
	var nilKey *Key
	if nilKey.Close() != nil {
		t.Fatal("Close on a nil *Key")
	}
}

// Keys left to the garbage collector are released by their cleanup (run under -race, this
// also shows the cleanup does not race the key's last use).
func TestKeyCleanupSafetyNet(t *testing.T) {
	start := liveKeys.Load()
	for i := 0; i < 100; i++ {
		k, err := NewKey(testSecret)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := NewClaims().TeamID("t").Room("r").ExpiresIn(time.Minute).Sign(k); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for liveKeys.Load() > start && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := liveKeys.Load() - start; n > 0 {
		t.Fatalf("%d of 100 forgotten keys still hold native memory", n)
	}
}

// 200,000 keys made, used and closed one after another: right after each Close the native key
// is wiped and freed, so no closed key ever holds native memory (liveKeys counts native keys
// made minus freed; no garbage collection is asked for, and the cleanups of other tests' keys
// can only lower it).
func TestClosedKeysHoldNoNativeMemory(t *testing.T) {
	n := 200_000
	if testing.Short() {
		n = 2_000
	}
	rt := &RoomToken{TeamID: "t", Room: "r", Lifetime: time.Hour}
	start := liveKeys.Load()
	var maxLive int64
	for i := 0; i < n; i++ {
		k, err := NewKey(testSecret)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Mint(k, rt); err != nil {
			t.Fatal(err)
		}
		k.Close()
		maxLive = max(maxLive, liveKeys.Load()-start)
	}
	if maxLive > 0 {
		t.Fatalf("after %d create+close cycles: up to %d closed keys still held native memory right after Close (%d at the end)",
			n, maxLive, liveKeys.Load()-start)
	}
}

// Close frees at once; closing again, and from two goroutines at once, frees nothing twice.
func TestKeyCloseFreesOnce(t *testing.T) {
	for i := 0; i < 200; i++ {
		k, err := NewKey(testSecret)
		if err != nil {
			t.Fatal(err)
		}
		if k.isFreed() {
			t.Fatal("a new key reads as freed")
		}
		var wg sync.WaitGroup
		errs := make(chan string, 2)
		for g := 0; g < 2; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				k.Close()
				if !k.isFreed() {
					errs <- "a Close returned before the native key was freed"
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Fatal(e)
		}
		k.Close()
		if _, err := Mint(k, &RoomToken{TeamID: "t", Room: "r", Lifetime: time.Hour}); err != ErrClosed {
			t.Fatalf("Mint after Close: %v", err)
		}
	}
}

// Many goroutines sign, mint and verify with one key while it is closed underneath them: every
// call either succeeds with a token that a second, open key with the same secret verifies (a
// call that read wiped or freed key state would sign with garbage) and golang-jwt accepts, or
// reports ErrClosed; once one goroutine has seen ErrClosed, every later call does too; a call
// started after Close returned always fails; and when Close returns the native key is freed.
// Run under -race (the test command does), this also shows the hot path has no data race with
// Close and the cleanup.
func TestKeyConcurrency(t *testing.T) {
	check, err := NewKey(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	for round := 0; round < 20; round++ {
		k, err := NewKey(testSecret)
		if err != nil {
			t.Fatal(err)
		}
		claims := NewClaims().TeamID("team").Room("room").UserName("Ann").ExpiresIn(time.Hour)
		rt := &RoomToken{TeamID: "team", Room: "room", UserName: "Ann", Lifetime: time.Hour}
		var wg sync.WaitGroup
		var signed sync.Map
		var closeReturned atomic.Bool
		errs := make(chan error, 8)
		start := make(chan struct{})
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				closed := false
				for i := 0; i < 200; i++ {
					after := closeReturned.Load()
					var tok string
					var err error
					if i%2 == 0 {
						tok, err = claims.Sign(k)
					} else {
						tok, err = Mint(k, rt)
					}
					if err == nil {
						var v *VerifiedClaims
						v, err = Verify(tok, k)
						if err == nil && v.UserName != "Ann" {
							err = fmt.Errorf("wrong claims %+v", v)
						}
						if _, verr := Verify(tok, check); verr != nil {
							errs <- fmt.Errorf("a token minted while closing does not verify: %w", verr)
							return
						}
						signed.Store(tok, true)
					}
					switch {
					case err == ErrClosed:
						closed = true
					case err != nil:
						errs <- err
						return
					case closed:
						errs <- errors.New("a call succeeded after another one saw ErrClosed")
						return
					case after:
						errs <- errors.New("a call started after Close returned succeeded")
						return
					}
				}
			}()
		}
		close(start)
		time.Sleep(time.Duration(round%5) * time.Millisecond)
		k.Close()
		closeReturned.Store(true)
		if !k.isFreed() {
			t.Error("Close returned before the native key was freed")
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		signed.Range(func(tok, _ any) bool {
			if _, err := parseWithGolangJWT(tok.(string), testSecret, time.Now()); err != nil {
				t.Errorf("golang-jwt: %v", err)
			}
			return true
		})
	}
}

func TestBuilderSignVerify(t *testing.T) {
	k := newKey(t)
	now := time.Unix(1_700_000_000, 0)
	c := NewClaims().TeamID("team-1").Room("daily standup").UserName("x").UserName("John Smith").
		UserID("u-42").Initials("JS").Role("moderator").BreakoutID("b1").Avatar("https://a.example/p.png").
		Validity(30*time.Second, time.Hour).At(now).
		Custom("z", 1).Custom("a", map[string]any{"k": []int{1, 2}}).Custom("z", "again").CustomJSON("raw", ` [ true ] `)
	tok, err := c.Sign(k)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Verify(tok, k, WithTime(now))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"td":"team-1","rd":"daily standup","u":"John Smith","ud":"u-42","initials":"JS","role":"moderator",` +
		`"breakoutId":"b1","avatar":"https://a.example/p.png","iat":1700000000,"nbf":1699999970,"exp":1700003600,` +
		`"z":"again","a":{"k":[1,2]},"raw":[true]}`
	if v.JSON() != want {
		t.Fatalf("payload\n%s\nwant\n%s", v.JSON(), want)
	}
	if v.TeamID != "team-1" || v.Room != "daily standup" || v.UserName != "John Smith" || v.UserID != "u-42" ||
		v.Initials != "JS" || v.Role != "moderator" || v.BreakoutID != "b1" || v.Avatar != "https://a.example/p.png" ||
		!v.IssuedAt.Equal(now) || v.NotBefore.Unix() != 1699999970 || v.ExpiresAt.Unix() != 1700003600 {
		t.Fatalf("fields: %+v", v)
	}
	var a struct{ K []int }
	if err := v.Decode("a", &a); err != nil || len(a.K) != 2 {
		t.Fatalf("Decode: %v %+v", err, a)
	}
	wantStatus(t, v.Decode("missing", &a), ErrNotFound)
	if r, ok := v.Get("raw"); !ok || string(r) != "[true]" {
		t.Fatalf("Get: %s %v", r, ok)
	}
	// Clone is independent.
	d := c.Clone().Custom("a", 2).UserName("Other")
	tok2, err := c.Sign(k)
	if err != nil || tok2 != tok {
		t.Fatalf("the original changed through its clone: %v", err)
	}
	if tok3, _ := d.Sign(k); tok3 == tok {
		t.Fatal("the clone did not change")
	}
	// Without At, ExpiresIn reads the clock.
	before := time.Now().Unix()
	tok, err = NewClaims().TeamID("t").Room("r").ExpiresIn(90 * time.Second).Sign(k)
	if err != nil {
		t.Fatal(err)
	}
	v, err = Verify(tok, k)
	if err != nil || v.IssuedAt.Unix() < before || v.ExpiresAt.Unix() != v.IssuedAt.Unix()+90 || !v.NotBefore.IsZero() {
		t.Fatalf("ExpiresIn: %v %+v", err, v)
	}
	tok, err = NewClaims().TeamID("t").Room("r").Validity(10*time.Second, time.Minute).Sign(k)
	if err != nil {
		t.Fatal(err)
	}
	if v, err = Verify(tok, k); err != nil || v.NotBefore.Unix() != v.IssuedAt.Unix()-10 || v.ExpiresAt.Unix() != v.IssuedAt.Unix()+60 {
		t.Fatalf("Validity: %v %+v", err, v)
	}
}

// Strings with U+0000 (which a C string cannot carry) are sent as JSON and arrive intact.
func TestBuilderNULInStrings(t *testing.T) {
	k := newKey(t)
	tok, err := NewClaims().TeamID("t\x00eam").Room("r").UserName("a\x00<b>&").ExpiresIn(time.Hour).Sign(k)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Verify(tok, k)
	if err != nil || v.TeamID != "t\x00eam" || v.UserName != "a\x00<b>&" {
		t.Fatalf("%v %+v", err, v)
	}
	// Invalid UTF-8 is refused on that path too (encoding/json would have replaced it).
	_, err = NewClaims().TeamID("t").Room("r").Role("\xb1\x00").NoExpiry().Sign(k)
	wantStatus(t, err, ErrInvalidUTF8)
	// golang-jwt reads the same strings.
	var got benchClaims
	if _, err := jwt.ParseWithClaims(tok, &got, func(*jwt.Token) (any, error) { return testSecret, nil },
		jwt.WithValidMethods([]string{"HS256"})); err != nil || got.TeamID != "t\x00eam" || got.UserName != "a\x00<b>&" {
		t.Fatalf("golang-jwt: %v %+v", err, got)
	}
}

func TestBuilderErrors(t *testing.T) {
	k := newKey(t)
	cases := []struct {
		name string
		c    *Claims
		want Status
	}{
		// The rules themselves are the shared vectors' (sign_errors, mint_errors); these are the
		// Go side's conversions and the builder's shape.
		{"zero value", &Claims{}, ErrMissingClaim},
		{"bad json", NewClaims().TeamID("t").Room("r").NoExpiry().CustomJSON("x", "{"), ErrInvalidArgument},
		{"json with NUL", NewClaims().TeamID("t").Room("r").NoExpiry().CustomJSON("x", "\"\x00\""), ErrInvalidArgument},
		{"name with NUL", NewClaims().TeamID("t").Room("r").NoExpiry().Custom("x\x00", 1), ErrInvalidArgument},
		{"unmarshallable", NewClaims().TeamID("t").Room("r").NoExpiry().Custom("x", make(chan int)), ErrInvalidArgument},
		{"empty custom name", NewClaims().TeamID("t").Room("r").NoExpiry().Custom("", 1), ErrInvalidArgument},
		{"sub-second skew", NewClaims().TeamID("t").Room("r").Validity(time.Millisecond, time.Hour), ErrInvalidArgument},
		{"sub-second maximum", NewClaims().TeamID("t").Room("r").ExpiresIn(time.Hour).MaxLifetime(1500 * time.Millisecond), ErrInvalidArgument},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := tc.c.Sign(k)
			if tok != "" {
				t.Errorf("a token with an error: %q", tok)
			}
			wantStatus(t, err, tc.want)
		})
	}
}

func TestVerifyStatuses(t *testing.T) {
	k := newKey(t)
	now := time.Unix(1_700_000_000, 0)
	tok, err := NewClaims().TeamID("t").Room("r").IssuedAt(now).NotBefore(now.Add(-time.Minute)).ExpiresAt(now.Add(time.Hour)).At(now).Sign(k)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewKey([]byte("another key"))
	defer other.Close()
	cases := []struct {
		name  string
		token string
		key   *Key
		opts  []VerifyOption
		want  Status
	}{
		// The rules themselves are the shared vectors' (verify); these are the Go side's
		// conversions (NUL bytes, the leeway as a time.Duration) and the token length.
		{"ok", tok, k, []VerifyOption{WithTime(now)}, StatusOK},
		{"leeway saves", tok, k, []VerifyOption{WithTime(now.Add(time.Hour)), WithLeeway(time.Second)}, StatusOK},
		{"NUL suffix", tok + "\x00junk", k, []VerifyOption{WithTime(now)}, ErrMalformedToken},
		{"NUL in the expected team", tok, k, []VerifyOption{WithTime(now), WithTeamID("t\x00")}, ErrInvalidArgument},
		{"NUL in a required name", tok, k, []VerifyOption{WithTime(now), WithRequired("t\x00")}, ErrInvalidArgument},
		{"negative leeway", tok, k, []VerifyOption{WithLeeway(-time.Second)}, ErrInvalidArgument},
		{"fractional leeway", tok, k, []VerifyOption{WithLeeway(1500 * time.Millisecond)}, ErrInvalidArgument},
		{"too long", strings.Repeat("a", maxTokenLength+1), k, nil, ErrMalformedToken},
		{"expected team", tok, k, []VerifyOption{WithTime(now), WithTeamID("t"), WithRoom("r"), WithRequired("iat", "nbf")}, StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := Verify(tc.token, tc.key, tc.opts...)
			if tc.want == StatusOK {
				if err != nil || v.TeamID != "t" {
					t.Fatalf("%v %+v", err, v)
				}
				return
			}
			if v != nil {
				t.Errorf("claims with an error: %+v", v)
			}
			wantStatus(t, err, tc.want)
		})
	}
}

// A team's custom domain (lowercased); a port or an IP address is refused.
func TestCustomDomainJoinURLAndMintURL(t *testing.T) {
	u, err := JoinURL("Meet.Example.com", "my room", "")
	if err != nil || u != "https://meet.example.com/my%20room" {
		t.Fatalf("%q %v", u, err)
	}
	u, err = JoinURL("ACME", "r", "")
	if err != nil || u != "https://acme.digitalsamba.com/r" {
		t.Fatalf("%q %v", u, err)
	}
	k := newKey(t)
	now := time.Now()
	u, err = MintURL(k, &RoomToken{TeamID: "t", Room: "r", Lifetime: time.Hour, Now: now}, "meet.example.com")
	const prefix = "https://meet.example.com/r?token="
	if err != nil || !strings.HasPrefix(u, prefix) {
		t.Fatalf("MintURL: %q %v", u, err)
	}
	c, err := parseWithGolangJWT(strings.TrimPrefix(u, prefix), testSecret, now)
	if err != nil || c["td"] != "t" || c["rd"] != "r" {
		t.Fatalf("golang-jwt: %v %v", c, err)
	}
	for _, team := range []string{"127.0.0.1:8080", "meet.example.com:8443", "10.0.0.1"} {
		u, err := JoinURL(team, "r", "")
		if u != "" {
			t.Errorf("%q: url %q", team, u)
		}
		wantStatus(t, err, ErrInvalidArgument)
	}
}

func TestJoinURL(t *testing.T) {
	u, err := JoinURL("acme", "daily standup/ü", "")
	if err != nil || u != "https://acme.digitalsamba.com/daily%20standup%2F%C3%BC" {
		t.Fatalf("%q %v", u, err)
	}
	// A team's custom domain, lowercased; a port only when allowed; never an IP address.
	u, err = JoinURL("Meet.Example.COM", "r", "a.b.c")
	if err != nil || u != "https://meet.example.com/r?token=a.b.c" {
		t.Fatalf("%q %v", u, err)
	}
	_, err = JoinURL("meet.example.com:8443", "r", "a.b.c")
	wantStatus(t, err, ErrInvalidArgument)
	if !strings.Contains(err.Error(), "JoinURL: team") || !strings.Contains(err.Error(), "URLOptions.AllowPort") || strings.Contains(err.Error(), "DST_URL") {
		t.Fatalf("message: %v", err)
	}
	u, err = JoinURLWith("meet.example.com:8443", "r", "a.b.c", URLOptions{AllowPort: true})
	if err != nil || u != "https://meet.example.com:8443/r?token=a.b.c" {
		t.Fatalf("%q %v", u, err)
	}
	_, err = JoinURLWith("127.0.0.1:8080", "r", "", URLOptions{AllowPort: true})
	wantStatus(t, err, ErrInvalidArgument)
	k := newKey(t)
	rt := &RoomToken{TeamID: "t", Room: "my room", Lifetime: time.Minute, Now: time.Unix(1_700_000_000, 0)}
	tok, err := Mint(k, rt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseWithGolangJWT(tok, testSecret, rt.Now); err != nil {
		t.Fatal(err)
	}
	u, err = MintURLWith(k, rt, "meet.example.com:8443", URLOptions{AllowPort: true})
	if err != nil || u != "https://meet.example.com:8443/my%20room?token="+tok {
		t.Fatalf("%q %v", u, err)
	}
	_, err = MintURLWith(k, rt, "meet.example.com:8443", URLOptions{})
	wantStatus(t, err, ErrInvalidArgument)
	for _, bad := range [][3]string{{"ac me", "r", ""}, {"acme", "", ""}, {"acme", "..", ""}, {"acme", "r", "a b"}, {"acme", "r\x00", ""}} {
		u, err := JoinURL(bad[0], bad[1], bad[2])
		if u != "" {
			t.Errorf("%q: url %q", bad, u)
		}
		wantStatus(t, err, ErrInvalidArgument)
	}
	_, err = JoinURL("acme", "\xff", "")
	wantStatus(t, err, ErrInvalidUTF8)
}

// jsonEqual compares two JSON texts as values.
func jsonEqual(t testing.TB, a, b string) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		t.Fatalf("not JSON: %q / %q", a, b)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return string(xa) == string(ya)
}

// Every failing call's error is its own, whatever other goroutines fail with meanwhile and
// whichever OS thread a goroutine continues on: the error is copied in the call that failed.
func TestErrorsAreTheirCallsUnderConcurrency(t *testing.T) {
	k := newKey(t)
	now := time.Unix(1_700_000_000, 0)
	tok, err := Mint(k, &RoomToken{TeamID: "t", Room: "r", Lifetime: time.Minute, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	calls := []struct {
		reason Reason
		call   func() error
	}{
		{ReasonExpired, func() error { _, err := Verify(tok, k, WithTime(now.Add(time.Hour))); return err }},
		{ReasonClaimMismatch, func() error { _, err := Verify(tok, k, WithTime(now), WithRoom("x")); return err }},
		{ReasonNoExpiry, func() error { _, err := Mint(k, &RoomToken{TeamID: "t", Room: "r"}); return err }},
		{ReasonSubSecond, func() error { _, err := Mint(k, &RoomToken{TeamID: "t", Room: "r", Lifetime: 5}); return err }},
		{ReasonKeyWhitespace, func() error { _, err := NewKeyString("key\n"); return err }},
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				c := calls[(g+i)%len(calls)]
				var e *Error
				if err := c.call(); !errors.As(err, &e) || e.Reason != c.reason {
					t.Errorf("want %v, got %v", c.reason, err)
					return
				}
				if i%16 == 0 {
					runtime.Gosched()
				}
			}
		}()
	}
	wg.Wait()
	// The parts of an expired token's error.
	_, err = Verify(tok, k, WithTime(now.Add(time.Hour)))
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrExpired) || !e.Time.Equal(now.Add(time.Minute)) || e.Value != 3540 ||
		e.Message != "Verify: the token expired at 2023-11-14T22:14:20Z, 59 min 0 s ago" {
		t.Fatalf("%+v", e)
	}
}
