package dstoken

// Benchmarks: dstoken's Mint, Claims builder and Verify beside golang-jwt on the same room
// token. `go test -run '^$' -bench . -benchtime 2s` gives the numbers; each dstoken benchmark
// also times golang-jwt for as many iterations and reports the ratio as "x-golang-jwt"
// (below 1 = faster than golang-jwt). BenchmarkVerifyRounds compares Verify with golang-jwt's
// Parse in interleaved rounds (the median ratio, steadier on a loaded machine), and
// BenchmarkThreads* measure tokens per second with 1 and 2 goroutines sharing one Key
// (`-benchtime 20000x` = 20000 operations per goroutine and round). The test command runs each
// once (-benchtime=1x) so they keep working; they are never timed assertions.

import (
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var benchNow = time.Unix(1767225600, 0)

// benchRounds is the number of interleaved rounds of the round-based benchmarks.
const benchRounds = 9

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

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

// golang-jwt's jwt.Parse (HS256, MapClaims) of the benchmarks' room token, alone.
func BenchmarkGolangJWTVerify(b *testing.B) {
	key := newKey(b)
	tok, err := NewClaims().TeamID("b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f").Room("daily-standup").UserName("John Smith").
		UserID("user-000001").Role("moderator").ExpiresIn(time.Hour).At(benchNow).Sign(key)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseWithGolangJWT(tok, testSecret, benchNow); err != nil {
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

// timeN runs f n times and returns the time per call.
func timeN(b *testing.B, n int, f func() error) float64 {
	start := time.Now()
	for range n {
		if err := f(); err != nil {
			b.Fatal(err)
		}
	}
	return float64(time.Since(start)) / float64(n)
}

// Verify beside golang-jwt's jwt.Parse (HS256, MapClaims, the same token and time) in
// alternating batches, the order swapped every round: the median of the rounds' ratios.
func BenchmarkVerifyRounds(b *testing.B) {
	key := newKey(b)
	tok, err := NewClaims().TeamID("b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f").Room("daily-standup").UserName("John Smith").
		UserID("user-000001").Role("moderator").ExpiresIn(time.Hour).At(benchNow).Sign(key)
	if err != nil {
		b.Fatal(err)
	}
	ours := func() error { _, err := Verify(tok, key, WithTime(benchNow)); return err }
	theirs := func() error {
		_, err := jwt.Parse(tok, func(*jwt.Token) (any, error) { return testSecret, nil },
			jwt.WithValidMethods([]string{"HS256"}), jwt.WithTimeFunc(func() time.Time { return benchNow }))
		return err
	}
	n := max(b.N, 200)
	timeN(b, n, ours)
	timeN(b, n, theirs)
	var nsOurs, nsTheirs, ratios []float64
	for r := range benchRounds {
		var a, t float64
		if r%2 == 0 {
			a, t = timeN(b, n, ours), timeN(b, n, theirs)
		} else {
			t, a = timeN(b, n, theirs), timeN(b, n, ours)
		}
		nsOurs, nsTheirs, ratios = append(nsOurs, a), append(nsTheirs, t), append(ratios, a/t)
	}
	b.ReportMetric(median(nsOurs), "ns/verify")
	b.ReportMetric(median(nsTheirs), "ns/golang-jwt-Parse")
	b.ReportMetric(median(ratios), "x-golang-jwt-median")
}

// threads measures op's throughput with 1 and with 2 goroutines sharing one Key, n operations
// per goroutine, in alternating rounds, and reports both rates (wall time) and the median
// ratio. It also reports the median ratio of CPU time per token (2 goroutines / 1): near 1
// when the goroutines do not contend, so that on a machine whose other load leaves less than
// two idle cores the lower wall-time scaling is the machine's, not the Key's.
func threads(b *testing.B, op func(i int) error) {
	if runtime.GOMAXPROCS(0) < 2 {
		b.Skip("needs GOMAXPROCS >= 2")
	}
	one, two, cpu1, cpu2 := threadRounds(b, benchRounds, max(b.N, 200), op)
	ratios, cpuRatios := make([]float64, len(one)), make([]float64, len(one))
	for r := range one {
		ratios[r], cpuRatios[r] = two[r]/one[r], cpu2[r]/cpu1[r]
	}
	b.ReportMetric(median(one), "tokens/s-1-goroutine")
	b.ReportMetric(median(two), "tokens/s-2-goroutines")
	b.ReportMetric(median(ratios), "x-2-vs-1")
	b.ReportMetric(median(cpuRatios), "x-cpu/token-2-vs-1")
}

// threadRounds runs op with 1 and with 2 goroutines sharing one Key, n operations per goroutine,
// in `rounds` alternating rounds: per round, tokens per second (wall time) and the process's CPU
// ns per token with 1 and with 2 goroutines.
func threadRounds(b *testing.B, rounds, n int, op func(i int) error) (one, two, cpu1, cpu2 []float64) {
	var cpuPerToken float64
	run := func(g int) float64 {
		var wg sync.WaitGroup
		errs := make(chan error, g)
		cpu0 := cpuTime()
		start := time.Now()
		for w := range g {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range n {
					if err := op(w*n + i); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		cpuPerToken = float64(cpuTime()-cpu0) / float64(g*n)
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
		return float64(g*n) / elapsed.Seconds()
	}
	run(2) // warm-up
	for r := range rounds {
		var a, c, cpuA, cpuC float64
		if r%2 == 0 {
			a = run(1)
			cpuA = cpuPerToken
			c = run(2)
			cpuC = cpuPerToken
		} else {
			c = run(2)
			cpuC = cpuPerToken
			a = run(1)
			cpuA = cpuPerToken
		}
		one, two, cpu1, cpu2 = append(one, a), append(two, c), append(cpu1, cpuA), append(cpu2, cpuC)
	}
	return one, two, cpu1, cpu2
}

// Mint from 1 and 2 goroutines with one shared Key.
func BenchmarkThreadsMint(b *testing.B) {
	key := newKey(b)
	threads(b, func(int) error {
		_, err := Mint(key, &RoomToken{TeamID: "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f", Room: "daily-standup",
			UserName: "John Smith", UserID: "user-000001", Role: "moderator", Lifetime: time.Hour, Now: benchNow})
		return err
	})
}

// The README's builder path from 1 and 2 goroutines with one shared Key.
func BenchmarkThreadsBuilder(b *testing.B) {
	key := newKey(b)
	threads(b, func(int) error {
		_, err := NewClaims().TeamID("b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f").Room("daily-standup").
			UserName("John Smith").UserID("user-000001").Role("moderator").ExpiresIn(time.Hour).At(benchNow).Sign(key)
		return err
	})
}

// Verify from 1 and 2 goroutines with one shared Key.
func BenchmarkThreadsVerify(b *testing.B) {
	key := newKey(b)
	tok, err := NewClaims().TeamID("t").Room("r").UserName("John Smith").ExpiresIn(time.Hour).At(benchNow).Sign(key)
	if err != nil {
		b.Fatal(err)
	}
	threads(b, func(int) error { _, err := Verify(tok, key, WithTime(benchNow)); return err })
}

// The read-locked scheme for comparison, same run: every call also under a shared
// sync.RWMutex's read lock (two atomic read-modify-writes of one shared word per call, where
// the Key's own counting writes a line of the P the goroutine runs on).
func BenchmarkThreadsMintRWMutex(b *testing.B) {
	key := newKey(b)
	var mu sync.RWMutex
	threads(b, func(int) error {
		mu.RLock()
		defer mu.RUnlock()
		_, err := Mint(key, &RoomToken{TeamID: "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f", Room: "daily-standup",
			UserName: "John Smith", UserID: "user-000001", Role: "moderator", Lifetime: time.Hour, Now: benchNow})
		return err
	})
}

// What a call pays for Close's safety alone: counting the call in and out of a Key (its
// inFlight, as Key.use does around the cgo call) beside a sync.RWMutex read lock, on one
// goroutine and on every P at once sharing the Key (b.RunParallel, whose ns/op is wall time
// per call over all goroutines: it falls as Ps are added only while they write no shared cache
// line; the RWMutex's rises instead).
func BenchmarkKeyCallGate(b *testing.B) {
	key := newKey(b)
	var mu sync.RWMutex
	gate := func() {
		slot, ok := key.calls.enter()
		if !ok {
			b.Error("closed")
		}
		key.calls.exit(slot)
	}
	rw := func() {
		mu.RLock()
		mu.RUnlock() // an empty critical section: the lock itself is what is measured
	}
	for _, c := range []struct {
		name string
		f    func()
	}{{"inFlight", gate}, {"RWMutex", rw}} {
		b.Run(c.name+"/1-goroutine", func(b *testing.B) {
			for b.Loop() {
				c.f()
			}
		})
		b.Run(c.name+"/parallel", func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					c.f()
				}
			})
		})
	}
}
