package dstoken

// A fresh Go module outside the repository depends on this one through a replace directive,
// as the README tells users to, builds the Go example (examples/go/main.go, which mints a token
// and prints it with its join URL), and runs it; golang-jwt verifies the token, and the program must not need libdstoken.so (no DT_NEEDED entry for
// it). The same again through pkg-config (-tags dstoken_pkgconfig) with a prefix holding only
// the static library, laid out as `cmake --install` does with the project's dstoken.pc.in.

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func runIn(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// nativeStaticLibs is the system-library list of link_static.go's LDFLAGS.
func nativeStaticLibs(t *testing.T) string {
	src, err := os.ReadFile("link_static.go")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^#cgo LDFLAGS: \S+libdstoken\.a (.*)$`).FindSubmatch(src)
	if m == nil {
		t.Fatal("no LDFLAGS line in link_static.go")
	}
	return strings.TrimSpace(string(m[1]))
}

// The link line matches what rustc reports for the static library (CMake records it in
// build/stage/native-static-libs.txt; the test command names that file).
func TestNativeStaticLibs(t *testing.T) {
	path := os.Getenv("DSTOKEN_NATIVE_STATIC_LIBS_FILE")
	if path == "" {
		t.Skip("DSTOKEN_NATIVE_STATIC_LIBS_FILE is not set (scripts/test.sh sets it)")
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := nativeStaticLibs(t); got != strings.TrimSpace(string(want)) {
		t.Fatalf("link_static.go links %q, rustc reports %q", got, want)
	}
}

func buildConsumer(t *testing.T, tags string, env []string) string {
	here, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gomod := "module example.com/consumer\n\ngo 1.24\n\nrequire github.com/dstoken/dstoken/bindings/go v0.0.0\n\n" +
		"replace github.com/dstoken/dstoken/bindings/go => " + here + "\n"
	sum, err := os.ReadFile("go.sum") // saves checksum look-ups for the modules we already use
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile("../../examples/go/main.go")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"go.mod": []byte(gomod), "go.sum": sum, "main.go": example} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env = append(env, "GOWORK=off", "GOFLAGS=-mod=mod", "CGO_ENABLED=1")
	runIn(t, dir, env, "go", "mod", "tidy")
	runIn(t, dir, env, "go", "build", "-tags", tags, "-o", "app", ".")
	return filepath.Join(dir, "app")
}

func checkConsumer(t *testing.T, app string) {
	f, err := elf.Open(app)
	if err != nil {
		t.Fatal(err)
	}
	needed, err := f.ImportedLibraries()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, lib := range needed {
		if strings.Contains(lib, "dstoken") {
			t.Fatalf("%s needs %s at run time (NEEDED: %v)", app, lib, needed)
		}
	}
	t.Logf("NEEDED: %v", needed)
	out := runIn(t, filepath.Dir(app), []string{"LD_LIBRARY_PATH=", "DIGITALSAMBA_DEVELOPER_KEY=" + string(testSecret),
		"DIGITALSAMBA_TEAM_ID=consumer-team", "DIGITALSAMBA_TEAM=acme", "DIGITALSAMBA_ROOM=consumer room",
		"DIGITALSAMBA_USER=Consumer"}, app, "-lifetime", "2h")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want a token and a URL, got %q", out)
	}
	token := lines[0]
	if lines[1] != "https://acme.digitalsamba.com/consumer%20room?token="+token {
		t.Fatalf("URL %q", lines[1])
	}
	c, err := parseWithGolangJWT(token, testSecret, time.Now())
	if err != nil {
		t.Fatalf("golang-jwt refuses the consumer's token %q: %v", token, err)
	}
	exp, _ := c.GetExpirationTime()
	iat, _ := c.GetIssuedAt()
	if c["td"] != "consumer-team" || c["rd"] != "consumer room" || c["u"] != "Consumer" || c["role"] != "moderator" ||
		exp.Sub(iat.Time) != 2*time.Hour {
		t.Fatalf("claims: %v", c)
	}
}

func TestConsumerModule(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds programs with the go command")
	}
	checkConsumer(t, buildConsumer(t, "", nil))
}

func TestConsumerModulePkgConfig(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds programs with the go command")
	}
	if _, err := exec.LookPath("pkg-config"); err != nil {
		t.Fatal("pkg-config is not installed (scripts/bootstrap.sh installs it)")
	}
	tmpl, err := os.ReadFile("../../cmake/dstoken.pc.in")
	if err != nil {
		t.Fatal(err)
	}
	lib, err := os.ReadFile("../../target/release/libdstoken.a")
	if err != nil {
		t.Fatal(err)
	}
	hdr, err := os.ReadFile("../../include/dstoken.h")
	if err != nil {
		t.Fatal(err)
	}
	prefix := t.TempDir()
	pc := strings.NewReplacer("@DSTOKEN_PC_PREFIX@", "${pcfiledir}/../..", "@CMAKE_INSTALL_LIBDIR@", "lib",
		"@CMAKE_INSTALL_INCLUDEDIR@", "include", "@PROJECT_VERSION@", Version(),
		"@DSTOKEN_LIBS_PRIVATE@", nativeStaticLibs(t)).Replace(string(tmpl))
	for name, data := range map[string][]byte{"lib/pkgconfig/dstoken.pc": []byte(pc), "lib/libdstoken.a": lib,
		"include/dstoken.h": hdr} {
		p := filepath.Join(prefix, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The go command caches pkg-config's answer with the compiled package without hashing it
	// (only CGO_* flags are part of the cache key): a define naming this prefix makes each run
	// compile against its own prefix instead of a deleted one of an earlier run.
	env := []string{"PKG_CONFIG_PATH=" + filepath.Join(prefix, "lib/pkgconfig"),
		"CGO_CFLAGS=-O2 -g -DDSTOKEN_TEST_PREFIX=" + prefix}
	checkConsumer(t, buildConsumer(t, "dstoken_pkgconfig", env))
}
