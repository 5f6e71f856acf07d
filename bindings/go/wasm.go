//go:build !cgo

package dstoken

// The WebAssembly backend, built when cgo is off (CGO_ENABLED=0): dstoken's core compiled for
// wasm32-unknown-unknown (a module with no imports whose exports are the C ABI of
// include/dstoken.h) and run by wazero, a WebAssembly runtime written in Go. A program built
// this way is pure Go: it cross-compiles to any GOOS/GOARCH and needs nothing at run time.
//
// The module is embedded from wasm/dstoken.wasm (the packaging step, scripts/package.sh, copies
// the build's dist/dstoken.wasm there); DSTOKEN_WASM=/path/to/dstoken.wasm, read once when the
// package is first used, takes another file instead.
//
// The layer below is generic: cFunctions lists the C functions used, as prototypes copied from
// dstoken.h; call converts Go values to the module's memory according to the prototype. The
// functions after "The backend's functions" do what godst.c does for the cgo backend.
//
// The module is one instance with one linear memory, which is not safe for concurrent calls:
// a mutex serialises the operations (each one is a few microseconds).

import (
	"bytes"
	"context"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

//go:embed wasm
var wasmFiles embed.FS

// wasmEmbedded is where the packaged module sits inside this package.
const wasmEmbedded = "wasm/dstoken.wasm"

// cFunctions: the C functions this backend calls, as declared in include/dstoken.h. A function
// added here can be called with w.call at once.
var cFunctions = []string{
	"const char *dst_version(void)",
	"const char *dst_status_name(int status)",
	"bool dst_last_error(dst_error *out)",
	"void dst_string_free(char *s)",
	"dst_status dst_key_new(const uint8_t *secret, size_t len, dst_key **out)",
	"dst_status dst_key_new_text(const uint8_t *text, size_t len, dst_key **out)",
	"void dst_key_free(dst_key *key)",
	"dst_claims *dst_claims_new(void)",
	"void dst_claims_free(dst_claims *claims)",
	"dst_status dst_claims_set_team_id(dst_claims *claims, const char *value)",
	"dst_status dst_claims_set_room(dst_claims *claims, const char *value)",
	"dst_status dst_claims_set_user_name(dst_claims *claims, const char *value)",
	"dst_status dst_claims_set_user_id(dst_claims *claims, const char *value)",
	"dst_status dst_claims_set_initials(dst_claims *claims, const char *value)",
	"dst_status dst_claims_set_role(dst_claims *claims, const char *value)",
	"dst_status dst_claims_set_breakout_id(dst_claims *claims, const char *value)",
	"dst_status dst_claims_set_avatar(dst_claims *claims, const char *value)",
	"dst_status dst_claims_set_issued_at(dst_claims *claims, int64_t unix_seconds)",
	"dst_status dst_claims_set_not_before(dst_claims *claims, int64_t unix_seconds)",
	"dst_status dst_claims_set_expires_at(dst_claims *claims, int64_t unix_seconds)",
	"dst_status dst_claims_set_json(dst_claims *claims, const char *name, const char *json_text)",
	"dst_status dst_claims_set_custom_json(dst_claims *claims, const char *name, const char *json_text)",
	"dst_status dst_claims_to_json(const dst_claims *claims, char **out)",
	"dst_status dst_sign(const dst_claims *claims, const dst_key *key, char **token_out)",
	"dst_status dst_mint(const dst_room_token *token, const dst_key *key, char **token_out)",
	"dst_status dst_mint_url(const dst_room_token *token, const dst_key *key, const char *team, char **url_out)",
	"dst_status dst_verify_opts(const char *token, const dst_key *key, const dst_verify_options *options, dst_claims **claims_out)",
	"dst_status dst_decode_unverified(const char *token, char **header_out, dst_claims **claims_out)",
	"dst_status dst_join_url_opts(const char *team, const char *room, const char *token, uint32_t flags, char **url_out)",
}

// roomTokenFields: dst_room_token (version 3), laid out for wasm32 by cLayout.
var roomTokenFields = [][2]string{
	{"struct_size", "size_t"}, {"team_id", "const char *"}, {"room", "const char *"}, {"user_name", "const char *"},
	{"user_id", "const char *"}, {"initials", "const char *"}, {"role", "const char *"}, {"breakout_id", "const char *"},
	{"avatar", "const char *"}, {"issued_at", "int64_t"}, {"not_before", "int64_t"}, {"expires_at", "int64_t"},
	{"lifetime_seconds", "int64_t"}, {"not_before_skew_seconds", "int64_t"}, {"now", "int64_t"}, {"no_expiry", "bool"},
	{"max_lifetime_seconds", "int64_t"}, {"lifetime_nanos", "uint32_t"},
}

// errorFields: dst_error, laid out for wasm32 by cLayout.
var errorFields = [][2]string{
	{"struct_size", "size_t"}, {"status", "int32_t"}, {"reason", "uint32_t"}, {"argument", "uint32_t"},
	{"other", "uint32_t"}, {"value", "int64_t"}, {"limit", "int64_t"}, {"time", "int64_t"}, {"suggested", "int64_t"},
	{"name", "char[128]"}, {"text", "char[256]"},
}

// verifyOptionsFields: dst_verify_options, laid out for wasm32 by cLayout.
var verifyOptionsFields = [][2]string{
	{"struct_size", "size_t"}, {"now", "int64_t"}, {"leeway_seconds", "uint32_t"}, {"exp_optional", "bool"},
	{"team_id", "const char *"}, {"room", "const char *"}, {"required", "const char *const *"}, {"required_len", "size_t"},
}

// How a C parameter or result crosses.
const (
	kI32  = iota // int, uint32_t, size_t, bool, dst_status: a Go integer (or bool)
	kI64         // int64_t, uint64_t: a Go int64
	kStr         // const char *: a Go string (copied in, NUL added), nil for NULL
	kIn          // const T *: []byte copied in, or a uint32 address (a handle), nil for NULL
	kPtr         // T * (not const): a uint32 address (a handle) or nil; a []byte is an output buffer
	kOut         // T ** and scalar outputs (size_t *, int64_t *, bool *): a *uint32 or *int64
	kVoid        // a void result
)

type cfunc struct {
	name   string
	ret    int
	retStr bool // const char * result: the caller reads it with cString
	params []int
	fn     api.Function
	stack  []uint64
}

var protoRe = regexp.MustCompile(`^\s*(.+?)\s*\b(dst_\w+)\s*\((.*)\)\s*$`)

func cKind(t string, result bool) (int, error) {
	t = strings.Join(strings.Fields(strings.ReplaceAll(t, "*", " * ")), " ")
	switch {
	case t == "void" && result:
		return kVoid, nil
	case t == "int64_t" || t == "uint64_t":
		return kI64, nil
	case t == "int" || t == "uint32_t" || t == "int32_t" || t == "size_t" || t == "bool" || t == "dst_status":
		return kI32, nil
	case strings.HasSuffix(t, "* *"):
		return kOut, nil
	case t == "const char *":
		return kStr, nil
	case strings.HasPrefix(t, "const ") && strings.HasSuffix(t, " *"):
		return kIn, nil
	case t == "char *" || t == "uint8_t *" || strings.HasPrefix(t, "dst_") && strings.HasSuffix(t, " *"):
		return kPtr, nil
	case strings.HasSuffix(t, " *"):
		return kOut, nil // size_t *, int64_t *, bool *: written by the function
	}
	return 0, fmt.Errorf("no WebAssembly form for the C type %q", t)
}

func parsePrototype(proto string) (*cfunc, error) {
	m := protoRe.FindStringSubmatch(proto)
	if m == nil {
		return nil, fmt.Errorf("cannot read the C prototype %q", proto)
	}
	f := &cfunc{name: m[2]}
	var err error
	if f.ret, err = cKind(m[1], true); err != nil {
		return nil, fmt.Errorf("%s: %w", f.name, err)
	}
	if f.ret == kStr || f.ret == kIn || f.ret == kPtr {
		f.retStr = f.ret == kStr
		f.ret = kI32 // an address
	}
	if ps := strings.TrimSpace(m[3]); ps != "void" && ps != "" {
		for _, p := range strings.Split(ps, ",") {
			p = strings.TrimSpace(p)
			// Drop the parameter's name: the last word, unless the declaration ends with '*'.
			if i := strings.LastIndexAny(p, " *"); i >= 0 && !strings.HasSuffix(p, "*") {
				p = p[:i+1]
			}
			k, err := cKind(p, false)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.name, err)
			}
			f.params = append(f.params, k)
		}
	}
	return f, nil
}

// cLayout lays out a C struct for wasm32 (4-byte pointers and size_t; natural alignment).
func cLayout(fields [][2]string) (offsets map[string]uint32, size uint32) {
	offsets = map[string]uint32{}
	var off, align uint32 = 0, 1
	for _, f := range fields {
		s := map[string]uint32{"size_t": 4, "const char *": 4, "const char *const *": 4, "int64_t": 8, "int32_t": 4,
			"uint32_t": 4, "bool": 1, "char[128]": 128, "char[256]": 256}[f[1]]
		a := min(s, 8)
		if strings.HasPrefix(f[1], "char[") {
			a = 1
		}
		off = (off + a - 1) / a * a
		offsets[f[0]] = off
		off += s
		align = max(align, a)
	}
	return offsets, (off + align - 1) / align * align
}

const wasmPage = 65536

// wasmCore is the instantiated module.
type wasmCore struct {
	mu      sync.Mutex // held for one whole operation (calls and the scratch memory they use)
	ctx     context.Context
	mod     api.Module
	mem     api.Memory
	fns     map[string]*cfunc
	scratch uint32 // scratch memory: pages grown by this file, never used by the module's allocator
	size    uint32
	top     uint32
	stale   [][2]uint32 // scratch blocks left during this operation, zeroed when it ends
	broken  error       // set by a trap: the module's state is unknown, so it is not called again
	path    string

	roomOff  map[string]uint32 // dst_room_token's wasm32 layout
	roomSize uint32
	roomStr  [8]uint32 // offsets of the eight strings, then of the other fields, in godst_mint's order
	roomNum  [fCount - fIssuedAt]uint32
	roomBuf  []byte // the struct being filled (under mu)
	errOff   map[string]uint32
	errSize  uint32
	optOff   map[string]uint32
	optSize  uint32
}

var (
	coreOnce sync.Once
	theCore  *wasmCore
	coreErr  error
)

// wipingMemory backs the module's linear memory. When the memory grows into a new Go slice,
// the old one is zeroed before it is dropped: the key's HMAC state lives in that memory, and a
// copy left for the garbage collector would keep it readable until reused.
type wipingMemory struct{ buf []byte }

func (m *wipingMemory) Reallocate(size uint64) []byte {
	if size <= uint64(cap(m.buf)) {
		m.buf = m.buf[:size]
		return m.buf
	}
	n := make([]byte, size, max(size, 2*uint64(cap(m.buf))))
	copy(n, m.buf)
	clear(m.buf[:cap(m.buf)])
	m.buf = n
	return n
}

func (m *wipingMemory) Free() {
	clear(m.buf[:cap(m.buf)])
	m.buf = nil
}

func loadCore() (*wasmCore, error) {
	coreOnce.Do(func() { theCore, coreErr = newCore() })
	return theCore, coreErr
}

func newCore() (*wasmCore, error) {
	path := os.Getenv("DSTOKEN_WASM")
	var code []byte
	var err error
	if path != "" {
		code, err = os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("DSTOKEN_WASM: %w", err)
		}
	} else {
		path = "(embedded) " + wasmEmbedded
		code, err = fs.ReadFile(wasmFiles, wasmEmbedded)
		if err != nil {
			return nil, errors.New("this build has no WebAssembly core: it was built with CGO_ENABLED=0 from a " +
				"checkout without bindings/go/" + wasmEmbedded + " (scripts/package.sh copies it there); " +
				"set DSTOKEN_WASM=/path/to/dstoken.wasm, or build with cgo")
		}
	}
	ctx := experimental.WithMemoryAllocator(context.Background(),
		experimental.MemoryAllocatorFunc(func(c, _ uint64) experimental.LinearMemory {
			return &wipingMemory{buf: make([]byte, 0, c)}
		}))
	rt := wazero.NewRuntime(ctx)
	mod, err := rt.Instantiate(ctx, code)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	w := &wasmCore{ctx: ctx, mod: mod, mem: mod.Memory(), fns: map[string]*cfunc{}, path: path}
	if w.mem == nil {
		return nil, fmt.Errorf("%s exports no memory: it is not dstoken's wasm32 build", path)
	}
	for _, p := range cFunctions {
		f, err := parsePrototype(p)
		if err != nil {
			return nil, err
		}
		f.fn = mod.ExportedFunction(f.name)
		if f.fn == nil {
			return nil, fmt.Errorf("%s has no function %s", path, f.name)
		}
		def := f.fn.Definition()
		if len(def.ParamTypes()) != len(f.params) {
			return nil, fmt.Errorf("%s: %s takes %d arguments, the binding passes %d", path, f.name, len(def.ParamTypes()), len(f.params))
		}
		f.stack = make([]uint64, max(len(f.params), 1))
		w.fns[f.name] = f
	}
	w.roomOff, w.roomSize = cLayout(roomTokenFields)
	for i, name := range [8]string{"team_id", "room", "user_name", "user_id", "initials", "role", "breakout_id", "avatar"} {
		w.roomStr[i] = w.roomOff[name]
	}
	for i, name := range [...]string{"issued_at", "not_before", "expires_at", "lifetime_seconds", "not_before_skew_seconds",
		"now", "no_expiry", "max_lifetime_seconds", "lifetime_nanos"} {
		w.roomNum[i] = w.roomOff[name]
	}
	w.roomBuf = make([]byte, w.roomSize)
	w.errOff, w.errSize = cLayout(errorFields)
	w.optOff, w.optSize = cLayout(verifyOptionsFields)
	if err := w.growScratch(4 * wasmPage); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *wasmCore) growScratch(need uint32) error {
	pages := (need + 64*1024 + wasmPage - 1) / wasmPage
	prev, ok := w.mem.Grow(pages)
	if !ok {
		return errors.New("the WebAssembly core's memory cannot grow")
	}
	w.scratch, w.size, w.top = prev*wasmPage, pages*wasmPage, prev*wasmPage
	return nil
}

// alloc takes n bytes of scratch (zeroed: every operation zeroes what it used when it ends).
func (w *wasmCore) alloc(n int) uint32 {
	p := (w.top + 7) &^ 7
	if uint64(p)+uint64(n) > uint64(w.scratch)+uint64(w.size) {
		// Rare (very large inputs): a new, larger block; what the operation already placed
		// stays where it is, and the old block is zeroed when the operation ends.
		old := [2]uint32{w.scratch, w.top}
		if err := w.growScratch(uint32(n)); err != nil {
			return 0
		}
		w.stale = append(w.stale, old)
		p = w.top
	}
	w.top = p + uint32(n)
	return p
}

func (w *wasmCore) zero(from, to uint32) {
	if to > from {
		if b, ok := w.mem.Read(from, to-from); ok {
			clear(b)
		}
	}
}

// op runs one operation under the lock; the scratch memory it used is zeroed afterwards (the
// key's bytes are copied there for dst_key_new).
func (w *wasmCore) op(f func() error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.broken != nil {
		return &Error{Status: ErrInternal, Message: "the WebAssembly core stopped after a trap (" + w.broken.Error() + "); restart the process"}
	}
	w.top = w.scratch
	defer func() {
		w.zero(w.scratch, w.top)
		w.top = w.scratch
		for _, b := range w.stale {
			w.zero(b[0], b[1])
		}
		w.stale = w.stale[:0]
	}()
	return f()
}

// placed is where call put a Go value that must be read back after the call.
type placed struct {
	addr uint32
	v    any
}

// call calls a C function with Go arguments, converted as its prototype says (see the k*
// constants), and returns its result (an i32 or i64, as a uint64).
func (w *wasmCore) call(name string, args ...any) (uint64, error) {
	f := w.fns[name]
	if f == nil {
		return 0, &Error{Status: ErrInternal, Message: name + " is not in the WebAssembly backend's table (cFunctions)"}
	}
	if len(args) != len(f.params) {
		return 0, &Error{Status: ErrInternal, Message: fmt.Sprintf("%s takes %d arguments, called with %d", name, len(f.params), len(args))}
	}
	var back [4]placed
	nb := 0
	for i, a := range args {
		var v uint64
		switch k := f.params[i]; k {
		case kI32:
			switch x := a.(type) {
			case int:
				v = uint64(uint32(x))
			case uint32:
				v = uint64(x)
			case int32:
				v = uint64(uint32(x))
			case bool:
				if x {
					v = 1
				}
			default:
				return 0, badArg(name, i, a)
			}
		case kI64:
			x, ok := a.(int64)
			if !ok {
				return 0, badArg(name, i, a)
			}
			v = uint64(x)
		default:
			switch x := a.(type) {
			case nil:
			case uint32:
				v = uint64(x)
			case string:
				if k != kStr {
					return 0, badArg(name, i, a)
				}
				p := w.alloc(len(x) + 1)
				w.mem.WriteString(p, x) // the NUL: scratch is zeroed
				v = uint64(p)
			case []byte:
				p := w.alloc(len(x))
				switch k {
				case kIn, kStr:
					w.mem.Write(p, x)
				case kPtr: // an output buffer: read back
					back[nb] = placed{p, x}
					nb++
				default:
					return 0, badArg(name, i, a)
				}
				v = uint64(p)
			case *uint32, *int64:
				if k != kOut {
					return 0, badArg(name, i, a)
				}
				p := w.alloc(8)
				back[nb] = placed{p, x}
				nb++
				v = uint64(p)
			default:
				return 0, badArg(name, i, a)
			}
		}
		f.stack[i] = v
	}
	if err := f.fn.CallWithStack(w.ctx, f.stack); err != nil {
		// A Rust panic cannot unwind on wasm32-unknown-unknown: it traps, and the module's
		// state (its allocator, the last-error slot) may be half-updated.
		w.broken = fmt.Errorf("%s: %w", name, err)
		return 0, &Error{Status: ErrInternal, Message: "the WebAssembly core trapped in " + name + " (" + err.Error() + "); it cannot be used again in this process"}
	}
	for _, b := range back[:nb] {
		switch x := b.v.(type) {
		case []byte:
			m, _ := w.mem.Read(b.addr, uint32(len(x)))
			copy(x, m)
		case *uint32:
			*x, _ = w.mem.ReadUint32Le(b.addr)
		case *int64:
			u, _ := w.mem.ReadUint64Le(b.addr)
			*x = int64(u)
		}
	}
	if f.ret == kVoid {
		return 0, nil
	}
	return f.stack[0], nil
}

func badArg(name string, i int, a any) error {
	return &Error{Status: ErrInternal, Message: fmt.Sprintf("%s: argument %d: cannot pass a %T", name, i+1, a)}
}

// cString reads a NUL-terminated string of the module's memory.
func (w *wasmCore) cString(p uint32) string {
	if p == 0 {
		return ""
	}
	var sb []byte
	for {
		b, ok := w.mem.Read(p, 256)
		if !ok {
			b, _ = w.mem.Read(p, w.mem.Size()-p)
		}
		for i, c := range b {
			if c == 0 {
				return string(append(sb, b[:i]...))
			}
		}
		if !ok || len(b) == 0 {
			return string(append(sb, b...))
		}
		sb = append(sb, b...)
		p += uint32(len(b))
	}
}

// takeString reads a string the library allocated and frees it with dst_string_free.
func (w *wasmCore) takeString(p uint32) (string, error) {
	s := w.cString(p)
	_, err := w.call("dst_string_free", p)
	return s, err
}

// status turns a call's result into nil or the operation's *Error, with the library's error
// read at once (dst_last_error; the next call may replace it).
func (w *wasmCore) status(op string, r uint64, err error) error {
	if err != nil {
		return err
	}
	s := int32(r)
	if s == 0 {
		return nil
	}
	p := errorParts{status: s, reason: uint32(ReasonInternal)}
	e := w.alloc(int(w.errSize))
	w.mem.WriteUint32Le(e, w.errSize)
	ok, err := w.call("dst_last_error", e)
	if err != nil {
		return err
	}
	if b, _ := w.mem.Read(e, w.errSize); ok != 0 && b != nil {
		le, o := binary.LittleEndian, w.errOff
		str := func(field string, n uint32) string {
			f := b[o[field] : o[field]+n]
			if i := bytes.IndexByte(f, 0); i >= 0 {
				f = f[:i]
			}
			return string(f)
		}
		p = errorParts{status: int32(le.Uint32(b[o["status"]:])), reason: le.Uint32(b[o["reason"]:]),
			argument: le.Uint32(b[o["argument"]:]), other: le.Uint32(b[o["other"]:]),
			value: int64(le.Uint64(b[o["value"]:])), limit: int64(le.Uint64(b[o["limit"]:])),
			time: int64(le.Uint64(b[o["time"]:])), suggested: int64(le.Uint64(b[o["suggested"]:])),
			name: str("name", 128), text: str("text", 256)}
		if p.status == 0 {
			p.status = s
		}
	}
	return newError(op, p)
}

// withCore runs f as one operation of the loaded module.
func withCore(f func(w *wasmCore) error) error {
	w, err := loadCore()
	if err != nil {
		return &Error{Status: ErrInternal, Message: "dstoken: cannot load the WebAssembly core: " + err.Error()}
	}
	return w.op(func() error { return f(w) })
}

// clockIfZero: the library reads a time of 0 as "now", which the module (no imports, so no
// clock) cannot read: the binding reads it instead, as the library would.
func clockIfZero(t int64) int64 {
	if t == 0 {
		return time.Now().Unix()
	}
	return t
}

// ---------------------------------------------------------------------------------------------
// The backend's functions (native.go has the same over cgo; these follow godst.c).

// backendName says which core runs: "wasm" (the WebAssembly core under wazero) here.
const backendName = "wasm"

// keyHandle is a dst_key * in the module's memory.
type keyHandle = uint32

// urlAllowPort is DST_URL_ALLOW_PORT.
const urlAllowPort = 1

// maxTokenLength is DST_MAX_TOKEN_LENGTH (include/dstoken.h).
const maxTokenLength = 65536

// libraryVersion is dst_version(), or "" when the module cannot be loaded.
func libraryVersion() string {
	var v string
	_ = withCore(func(w *wasmCore) error {
		p, err := w.call("dst_version")
		v = w.cString(uint32(p))
		return err
	})
	return v
}

// nativeStatusName is dst_status_name(s) (used by the tests to check the Go table).
func nativeStatusName(s int) string {
	var v string
	_ = withCore(func(w *wasmCore) error {
		p, err := w.call("dst_status_name", s)
		v = w.cString(uint32(p))
		return err
	})
	return v
}

func nativeKeyNew(op string, secret []byte, n int, text bool) (keyHandle, error) {
	var h uint32
	fn := "dst_key_new"
	if text {
		fn = "dst_key_new_text"
	}
	err := withCore(func(w *wasmCore) error {
		r, err := w.call(fn, secret[:max(n, 1)], n, &h)
		return w.status(op, r, err)
	})
	return h, err
}

func nativeKeyFree(p keyHandle) {
	_ = withCore(func(w *wasmCore) error {
		_, err := w.call("dst_key_free", p)
		return err
	})
}

// The dst_claims setters by operation kind (godst.h).
var wasmSetters = map[int64]string{
	opTeamID: "dst_claims_set_team_id", opRoom: "dst_claims_set_room", opUserName: "dst_claims_set_user_name",
	opUserID: "dst_claims_set_user_id", opInitials: "dst_claims_set_initials", opRole: "dst_claims_set_role",
	opBreakoutID: "dst_claims_set_breakout_id", opAvatar: "dst_claims_set_avatar",
	opIssuedAt: "dst_claims_set_issued_at", opNotBefore: "dst_claims_set_not_before", opExpiresAt: "dst_claims_set_expires_at",
	opJSON: "dst_claims_set_json", opCustom: "dst_claims_set_custom_json",
}

// roomToken writes the dst_room_token f describes (strings at b in the module's memory).
func (w *wasmCore) roomToken(b uint32, f *[fCount]int64) []byte {
	t := w.roomBuf
	clear(t)
	le := binary.LittleEndian
	le.PutUint32(t[w.roomOff["struct_size"]:], w.roomSize)
	for i, o := range w.roomStr {
		if f[i] >= 0 {
			le.PutUint32(t[o:], b+uint32(f[i]))
		}
	}
	for i, o := range w.roomNum {
		switch v := f[fIssuedAt+i]; fIssuedAt + i {
		case fNow:
			le.PutUint64(t[o:], uint64(clockIfZero(v)))
		case fNoExpiry:
			t[o] = byte(v)
		case fLifetimeNanos:
			le.PutUint32(t[o:], uint32(v))
		default:
			le.PutUint64(t[o:], uint64(v))
		}
	}
	return t
}

// nativeSign follows godst_sign: f nil, the ops on an empty claim set; otherwise the token f
// describes minted, its claims read back and the ops applied to them; then dst_sign.
func nativeSign(op string, blob []byte, f *[fCount]int64, ops []int64, k keyHandle) (string, error) {
	var token string
	err := withCore(func(w *wasmCore) error {
		b := w.alloc(len(blob))
		w.mem.Write(b, blob)
		var c uint32
		if f != nil {
			var minted uint32
			r, err := w.call("dst_mint", w.roomToken(b, f), k, &minted)
			if err := w.status(op, r, err); err != nil {
				return err
			}
			r, err = w.call("dst_decode_unverified", minted, nil, &c)
			if _, ferr := w.call("dst_string_free", minted); ferr != nil {
				return ferr
			}
			if err := w.status(op, r, err); err != nil {
				return err
			}
		} else {
			r, err := w.call("dst_claims_new")
			if err != nil {
				return err
			}
			if c = uint32(r); c == 0 {
				return w.status(op, uint64(ErrInternal), nil)
			}
		}
		defer w.call("dst_claims_free", c)
		for i := 0; i+2 < len(ops); i += 3 {
			kind, a, bb := ops[i], ops[i+1], ops[i+2]
			name, ok := wasmSetters[kind]
			if !ok {
				return &Error{Status: ErrInternal, Message: fmt.Sprintf("%s: unknown claims operation %d", op, kind)}
			}
			var r uint64
			var err error
			switch kind {
			case opIssuedAt, opNotBefore, opExpiresAt:
				r, err = w.call(name, c, a)
			case opJSON, opCustom:
				r, err = w.call(name, c, b+uint32(a), b+uint32(bb))
			default:
				r, err = w.call(name, c, b+uint32(a))
			}
			if err := w.status(op, r, err); err != nil {
				return err
			}
		}
		var out uint32
		r, err := w.call("dst_sign", c, k, &out)
		if err := w.status(op, r, err); err != nil {
			return err
		}
		token, err = w.takeString(out)
		return err
	})
	return token, err
}

func nativeMint(op string, blob []byte, f *[fCount]int64, k keyHandle, team []byte) (string, error) {
	var res string
	err := withCore(func(w *wasmCore) error {
		b := w.alloc(len(blob))
		w.mem.Write(b, blob)
		t := w.roomToken(b, f)
		var out uint32
		var r uint64
		var err error
		if team != nil {
			r, err = w.call("dst_mint_url", t, k, team, &out)
		} else {
			r, err = w.call("dst_mint", t, k, &out)
		}
		if err := w.status(op, r, err); err != nil {
			return err
		}
		res, err = w.takeString(out)
		return err
	})
	return res, err
}

// nativeVerify follows godst_verify: dst_verify_opts, then the claims as JSON text.
func nativeVerify(op string, tok []byte, k keyHandle, o *verifyConfig, teamID, room, required []byte, nreq int) (string, error) {
	var res string
	err := withCore(func(w *wasmCore) error {
		le := binary.LittleEndian
		opts := make([]byte, w.optSize)
		le.PutUint32(opts[w.optOff["struct_size"]:], w.optSize)
		le.PutUint64(opts[w.optOff["now"]:], uint64(clockIfZero(o.nowUnix)))
		le.PutUint32(opts[w.optOff["leeway_seconds"]:], o.leewaySeconds)
		if o.expOptional {
			opts[w.optOff["exp_optional"]] = 1
		}
		place := func(b []byte) uint32 {
			p := w.alloc(len(b))
			w.mem.Write(p, b)
			return p
		}
		if teamID != nil {
			le.PutUint32(opts[w.optOff["team_id"]:], place(teamID))
		}
		if room != nil {
			le.PutUint32(opts[w.optOff["room"]:], place(room))
		}
		if nreq > 0 {
			names := place(required)
			ptrs := make([]byte, 4*nreq)
			for i, off := 0, uint32(0); i < nreq; i++ {
				le.PutUint32(ptrs[4*i:], names+off)
				off += uint32(bytes.IndexByte(required[off:], 0)) + 1
			}
			le.PutUint32(opts[w.optOff["required"]:], place(ptrs))
			le.PutUint32(opts[w.optOff["required_len"]:], uint32(nreq))
		}
		var c, out uint32
		r, err := w.call("dst_verify_opts", tok, k, opts, &c)
		if c != 0 {
			defer w.call("dst_claims_free", c)
		}
		if err := w.status(op, r, err); err != nil {
			return err
		}
		r, err = w.call("dst_claims_to_json", c, &out)
		if err := w.status(op, r, err); err != nil {
			return err
		}
		res, err = w.takeString(out)
		return err
	})
	return res, err
}

// nativeDecode follows godst_decode: dst_decode_unverified, the header and the claims as JSON.
func nativeDecode(op string, tok []byte) (header, claims string, err error) {
	err = withCore(func(w *wasmCore) error {
		var h, c, out uint32
		r, err := w.call("dst_decode_unverified", tok, &h, &c)
		if err := w.status(op, r, err); err != nil {
			return err
		}
		defer w.call("dst_claims_free", c)
		if header, err = w.takeString(h); err != nil {
			return err
		}
		r, err = w.call("dst_claims_to_json", c, &out)
		if err := w.status(op, r, err); err != nil {
			return err
		}
		claims, err = w.takeString(out)
		return err
	})
	return header, claims, err
}

func nativeJoinURL(op string, team, room, token []byte, flags uint32) (string, error) {
	var res string
	err := withCore(func(w *wasmCore) error {
		var tokArg any
		if token != nil {
			tokArg = token
		}
		var out uint32
		r, err := w.call("dst_join_url_opts", team, room, tokArg, flags, &out)
		if err := w.status(op, r, err); err != nil {
			return err
		}
		res, err = w.takeString(out)
		return err
	})
	return res, err
}
