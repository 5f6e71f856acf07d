package dstoken

// Benchmarks: dstoken's Mint, Claims builder and Verify beside golang-jwt on the same room
// token. `go test -run '^$' -bench . -benchtime 2s` gives the numbers; each dstoken benchmark
// also times golang-jwt for as many iterations and reports the ratio as "x-golang-jwt"
// (below 1 = faster than golang-jwt). The test command runs each once (-benchtime=1x) so they
// keep working; they are never timed assertions.

import (
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var benchNow = time.Unix(1767225600, 0)

// compare runs ours under b.Loop, then theirs as many times, and reports the time ratio.
func compare(b *testing.B, ours, theirs func() error) {
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if err := ours(); err != nil {
			b.Fatal(err)
		}
		n++
	}
	oursTime := b.Elapsed()
	start := time.Now()
	for range n {
		if err := theirs(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(oursTime)/float64(max(time.Since(start), 1)), "x-golang-jwt")
}

type benchClaims struct {
	TeamID   string `json:"td"`
	Room     string `json:"rd"`
	UserName string `json:"u"`
	UserID   string `json:"ud"`
	Role     string `json:"role"`
	jwt.RegisteredClaims
}

// golangJWTSign signs the benchmarks' room token with golang-jwt.
func golangJWTSign() error {
	c := benchClaims{"b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f", "daily-standup", "John Smith", "user-000001", "moderator",
		jwt.RegisteredClaims{IssuedAt: jwt.NewNumericDate(benchNow), ExpiresAt: jwt.NewNumericDate(benchNow.Add(time.Hour))}}
	_, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(testSecret)
	return err
}

func BenchmarkMint(b *testing.B) {
	key := newKey(b)
	rt := &RoomToken{TeamID: "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f", Room: "daily-standup",
		UserName: "John Smith", UserID: "user-000001", Role: "moderator", Lifetime: time.Hour, Now: benchNow}
	compare(b, func() error { _, err := Mint(key, rt); return err }, golangJWTSign)
}

func BenchmarkBuilder(b *testing.B) {
	key := newKey(b)
	compare(b, func() error {
		_, err := NewClaims().TeamID("b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f").Room("daily-standup").
			UserName("John Smith").UserID("user-000001").Role("moderator").ExpiresIn(time.Hour).At(benchNow).Sign(key)
		return err
	}, golangJWTSign)
}

// With a custom claim the builder takes the dst_claims setter path.
func BenchmarkBuilderCustom(b *testing.B) {
	key := newKey(b)
	compare(b, func() error {
		_, err := NewClaims().TeamID("b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f").Room("daily-standup").
			UserName("John Smith").UserID("user-000001").Role("moderator").ExpiresIn(time.Hour).At(benchNow).
			CustomJSON("plan", `"pro"`).Sign(key)
		return err
	}, golangJWTSign)
}

func BenchmarkGolangJWT(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if err := golangJWTSign(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	key := newKey(b)
	tok, _ := NewClaims().TeamID("t").Room("r").UserName("John Smith").ExpiresIn(time.Hour).At(benchNow).Sign(key)
	compare(b, func() error { _, err := Verify(tok, key, WithTime(benchNow)); return err },
		func() error { _, err := parseWithGolangJWT(tok, testSecret, benchNow); return err })
}
