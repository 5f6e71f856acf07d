package dstoken

// BenchmarkRounds: every minting and verifying path of the benchmarks above, beside golang-jwt
// and hand-written code (crypto/hmac + encoding/json + encoding/base64), in interleaved rounds
// (each round times every path once, in turn), then the threads rows (1 and 2 goroutines
// sharing one Key). The published numbers come from here (bench/run.sh):
//
//	DSTOKEN_BENCH_JSON=out.json DSTOKEN_BENCH_N=100000 DSTOKEN_BENCH_ROUNDS=9 \
//	    go test -run '^$' -bench '^BenchmarkRounds$' -benchtime 1x .
//
// writes every result and its rounds to out.json in the format of bench/README.md. Without
// DSTOKEN_BENCH_N each path runs max(b.N, 200) times per round. Never a timed assertion.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

type benchPayload struct {
	TeamID   string `json:"td"`
	Room     string `json:"rd"`
	UserName string `json:"u"`
	UserID   string `json:"ud"`
	Role     string `json:"role"`
	IssuedAt int64  `json:"iat"`
	Expires  int64  `json:"exp"`
}

var benchHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))

// handWritten is what one writes with the standard library alone.
func handWritten(secret []byte, ud string, now time.Time) (string, error) {
	p, err := json.Marshal(benchPayload{"b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f", "daily-standup", "John Smith", ud,
		"moderator", now.Unix(), now.Add(time.Hour).Unix()})
	if err != nil {
		return "", err
	}
	input := benchHeader + "." + base64.RawURLEncoding.EncodeToString(p)
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(input))
	return input + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)), nil
}

type benchResult struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Impl    string    `json:"impl"`
	Kind    string    `json:"kind"`
	Op      string    `json:"op"`
	Threads int       `json:"threads"`
	Unit    string    `json:"unit"`
	Clock   string    `json:"clock"`
	Median  float64   `json:"median"`
	Rounds  []float64 `json:"rounds"`
}

func newResult(id, name, impl, kind, op, unit, clock string, threads int, rounds []float64) benchResult {
	r := make([]float64, len(rounds))
	for i, v := range rounds {
		r[i] = math.Round(v*10) / 10
	}
	return benchResult{id, name, impl, kind, op, threads, unit, clock, math.Round(median(r)*100) / 100, r}
}

func envInt(b *testing.B, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 {
		b.Fatalf("%s=%q: a positive integer, please", name, s)
	}
	return v
}

func BenchmarkRounds(b *testing.B) {
	key := newKey(b)
	n := envInt(b, "DSTOKEN_BENCH_N", max(b.N, 200))
	rounds := envInt(b, "DSTOKEN_BENCH_ROUNDS", benchRounds)
	ids := make([]string, 4096)
	for i := range ids {
		ids[i] = fmt.Sprintf("user-%06d", i)
	}
	rt := func(i int) *RoomToken {
		return &RoomToken{TeamID: "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f", Room: "daily-standup",
			UserName: "John Smith", UserID: ids[i&4095], Role: "moderator", Lifetime: time.Hour, Now: benchNow}
	}
	mint := func(i int) error { _, err := Mint(key, rt(i)); return err }
	builder := func(i int) error {
		_, err := NewClaims().TeamID("b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f").Room("daily-standup").
			UserName("John Smith").UserID(ids[i&4095]).Role("moderator").ExpiresIn(time.Hour).At(benchNow).Sign(key)
		return err
	}
	builderCustom := func(i int) error {
		_, err := NewClaims().TeamID("b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f").Room("daily-standup").
			UserName("John Smith").UserID(ids[i&4095]).Role("moderator").ExpiresIn(time.Hour).At(benchNow).
			CustomJSON("plan", `"pro"`).Sign(key)
		return err
	}
	hand := func(i int) error { _, err := handWritten(testSecret, ids[i&4095], benchNow); return err }
	golang := func(i int) error {
		c := benchClaims{"b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f", "daily-standup", "John Smith", ids[i&4095], "moderator",
			jwt.RegisteredClaims{IssuedAt: jwt.NewNumericDate(benchNow), ExpiresAt: jwt.NewNumericDate(benchNow.Add(time.Hour))}}
		_, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(testSecret)
		return err
	}
	// The same bytes from every path but the custom claim's.
	ours, err := Mint(key, rt(7))
	if err != nil {
		b.Fatal(err)
	}
	theirs, _ := handWritten(testSecret, ids[7], benchNow)
	if ours != theirs {
		b.Fatalf("dstoken and the hand-written code disagree:\n%s\n%s", ours, theirs)
	}
	verify := func(int) error { _, err := Verify(ours, key, WithTime(benchNow)); return err }
	golangParse := func(int) error {
		_, err := jwt.Parse(ours, func(*jwt.Token) (any, error) { return testSecret, nil },
			jwt.WithValidMethods([]string{"HS256"}), jwt.WithTimeFunc(func() time.Time { return benchNow }))
		return err
	}
	paths := []struct {
		id, name, impl, kind, op string
		f                        func(int) error
	}{
		{"mint", "Mint(key, &RoomToken{...})", "dstoken", "dstoken", "mint", mint},
		{"builder", "NewClaims()...Sign(key)", "dstoken", "dstoken", "mint", builder},
		{"builder_custom", "NewClaims()... + CustomJSON + Sign (dst_claims path)", "dstoken", "dstoken", "mint", builderCustom},
		{"hand_written", "hand-written crypto/hmac + encoding/json + base64", "hand-written", "hand-written", "mint", hand},
		{"golang_jwt_sign", "golang-jwt v5 SignedString (HS256)", "golang-jwt", "library", "mint", golang},
		{"verify", "Verify(token, key)", "dstoken", "dstoken", "verify", verify},
		{"golang_jwt_parse", "golang-jwt v5 jwt.Parse (HS256, MapClaims)", "golang-jwt", "library", "verify", golangParse},
	}
	times := make([][]float64, len(paths))
	run := func(f func(int) error) float64 {
		start := time.Now()
		for i := range n {
			if err := f(i); err != nil {
				b.Fatal(err)
			}
		}
		return float64(time.Since(start)) / float64(n)
	}
	for _, p := range paths { // warm-up
		run(p.f)
	}
	for range rounds {
		for k, p := range paths {
			times[k] = append(times[k], run(p.f))
		}
	}
	var results []benchResult
	for k, p := range paths {
		results = append(results, newResult(p.id, p.name, p.impl, p.kind, p.op, "ns/token", "wall", 1, times[k]))
		b.ReportMetric(median(times[k]), "ns/"+p.id)
	}

	// Threads: 1 and 2 goroutines sharing the Key.
	if runtime.GOMAXPROCS(0) >= 2 {
		mu := new(rwLocked)
		for _, p := range []struct {
			id, name, op string
			f            func(int) error
		}{
			{"mint", "Mint (goroutines, one Key)", "mint", mint},
			{"builder", "NewClaims()...Sign (goroutines, one Key)", "mint", builder},
			{"verify", "Verify (goroutines, one Key)", "verify", verify},
			{"mint_rwmutex", "Mint under a shared sync.RWMutex read lock (the old scheme)", "mint", mu.wrap(mint)},
		} {
			one, two, cpu1, cpu2 := threadRounds(b, rounds, n, p.f)
			id := "threads:" + p.id
			results = append(results,
				newResult(id, p.name, "dstoken", "dstoken", p.op, "tokens/s", "wall", 1, one),
				newResult(id, p.name, "dstoken", "dstoken", p.op, "tokens/s", "wall", 2, two),
				newResult(id, p.name, "dstoken", "dstoken", p.op, "ns/token", "cpu", 1, cpu1),
				newResult(id, p.name, "dstoken", "dstoken", p.op, "ns/token", "cpu", 2, cpu2))
		}
	} else if os.Getenv("DSTOKEN_BENCH_JSON") != "" {
		b.Fatal("the threads rows need GOMAXPROCS >= 2")
	}

	if out := os.Getenv("DSTOKEN_BENCH_JSON"); out != "" {
		data, err := json.MarshalIndent(map[string]any{
			"schema": 1, "benchmark": strings.TrimSuffix(filepath.Base(out), ".json"), "language": "Go",
			"program":  "bindings/go/bench_rounds_test.go (BenchmarkRounds)",
			"settings": map[string]int{"n": n, "rounds": rounds},
			"runtime":  runtime.Version() + ", golang-jwt v5", "results": results,
		}, "", " ")
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(out, append(data, '\n'), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

// rwLocked wraps an operation in a shared sync.RWMutex's read lock.
type rwLocked struct{ mu sync.RWMutex }

func (l *rwLocked) wrap(f func(int) error) func(int) error {
	return func(i int) error {
		l.mu.RLock()
		defer l.mu.RUnlock()
		return f(i)
	}
}
