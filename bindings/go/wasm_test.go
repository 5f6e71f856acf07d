//go:build !cgo

package dstoken

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
	"time"
)

// These run only with CGO_ENABLED=0, where the package runs the WebAssembly core (wasm.go).

func TestWasmBackendIsInUse(t *testing.T) {
	if backendName != "wasm" {
		t.Fatalf("backend %q, want wasm", backendName)
	}
	if _, err := loadCore(); err != nil {
		t.Fatalf("the WebAssembly core does not load: %v (set DSTOKEN_WASM to the wasm32 build, see scripts/test.sh)", err)
	}
	if Version() == "" {
		t.Fatal("Version() is empty")
	}
}

// The key's bytes are copied into the module's memory for dst_key_new; that copy is wiped when
// the call returns, and the core keeps the key as HMAC state, not as its bytes.
func TestWasmKeyBytesDoNotStayInMemory(t *testing.T) {
	w, err := loadCore()
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte("k3y-that-must-not-linger-in-linear-memory-0123456789")
	inMemory := func() bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		m, _ := w.mem.Read(0, w.mem.Size())
		return bytes.Contains(m, secret)
	}
	k, err := NewKey(secret)
	if err != nil {
		t.Fatal(err)
	}
	if inMemory() {
		t.Fatal("the key's bytes are in the module's memory after NewKey")
	}
	tok, err := Mint(k, &RoomToken{TeamID: "t", Room: "r", Lifetime: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(tok, k); err != nil {
		t.Fatal(err)
	}
	k.Close()
	if inMemory() {
		t.Fatal("the key's bytes are in the module's memory after Close")
	}
}

// Growing the linear memory into a new slice wipes the old one (it held the key's state).
func TestWasmMemoryGrowthWipesTheOldCopy(t *testing.T) {
	m := &wipingMemory{buf: make([]byte, 0, 16)}
	b := m.Reallocate(16)
	copy(b, "secret-state-012")
	old := b[:cap(b)]
	nb := m.Reallocate(1 << 20)
	if string(nb[:16]) != "secret-state-012" {
		t.Fatal("the contents did not move")
	}
	if !bytes.Equal(old, make([]byte, len(old))) {
		t.Fatalf("the old backing array still holds %q", old)
	}
	m.Free()
	if !bytes.Equal(nb[:16], make([]byte, 16)) {
		t.Fatal("Free did not wipe the memory")
	}
}

// A panic in the core traps; the backend reports ErrInternal and refuses every later call
// (on a core of its own, not the package's).
func TestWasmTrapIsAnErrorAndStopsTheCore(t *testing.T) {
	w, err := newCore()
	if err != nil {
		t.Fatal(err)
	}
	var key uint32
	err = w.op(func() error {
		r, err := w.call("dst_key_new", []byte("k"), 1, &key)
		return w.status("test", r, err)
	})
	if err != nil {
		t.Fatal(err)
	}
	// dst_verify_opts with now = 0 reads the clock, which wasm32-unknown-unknown has not:
	// Rust's std panics (the binding never passes 0: clockIfZero).
	err = w.op(func() error {
		var c uint32
		opts := make([]byte, w.optSize)
		binary.LittleEndian.PutUint32(opts, w.optSize)
		_, err := w.call("dst_verify_opts", cstr("a.b.c"), key, opts, &c)
		return err
	})
	if !errors.Is(err, ErrInternal) {
		t.Fatalf("a trap gave %v, want ErrInternal", err)
	}
	err = w.op(func() error { return nil })
	if !errors.Is(err, ErrInternal) || !bytes.Contains([]byte(err.Error()), []byte("stopped after a trap")) {
		t.Fatalf("after a trap: %v", err)
	}
}

func TestWasmPrototypes(t *testing.T) {
	for proto, want := range map[string][]int{
		"dst_status dst_mint_into(const dst_room_token *token, const dst_key *key, char *buf, size_t cap, size_t *len_out)":           {kIn, kIn, kPtr, kI32, kOut},
		"dst_status dst_verify(const char *token, const dst_key *key, int64_t now, uint32_t leeway_seconds, dst_claims **claims_out)": {kStr, kIn, kI64, kI32, kOut},
		"const char *dst_version(void)": nil,
	} {
		f, err := parsePrototype(proto)
		if err != nil {
			t.Fatal(err)
		}
		if len(f.params) != len(want) {
			t.Fatalf("%s: %v, want %v", proto, f.params, want)
		}
		for i := range want {
			if f.params[i] != want[i] {
				t.Fatalf("%s: %v, want %v", proto, f.params, want)
			}
		}
	}
	// The layouts as clang lays them out for wasm32 (4-byte pointers and size_t).
	if off, size := cLayout(roomTokenFields); size != 112 || off["issued_at"] != 40 || off["no_expiry"] != 88 ||
		off["max_lifetime_seconds"] != 96 || off["lifetime_nanos"] != 104 {
		t.Fatalf("dst_room_token on wasm32: size %d, offsets %v", size, off)
	}
	if off, size := cLayout(errorFields); size != 440 || off["value"] != 24 || off["name"] != 56 || off["text"] != 184 {
		t.Fatalf("dst_error on wasm32: size %d, offsets %v", size, off)
	}
	if off, size := cLayout(verifyOptionsFields); size != 40 || off["now"] != 8 || off["exp_optional"] != 20 || off["required_len"] != 36 {
		t.Fatalf("dst_verify_options on wasm32: size %d, offsets %v", size, off)
	}
}
