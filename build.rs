//! Generates `include/dstoken.h` with cbindgen. The header is written to `$OUT_DIR` on every
//! build; the committed copy in `include/` is refreshed when it differs, except under CI
//! (`CI` set), where it is left alone so the drift test (`tests/header.rs`) catches a header
//! that was not regenerated and committed.
use std::env;
use std::fs;
use std::path::PathBuf;

fn main() {
    let crate_dir =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-env-changed=CI");

    let major = env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_default();
    let minor = env::var("CARGO_PKG_VERSION_MINOR").unwrap_or_default();
    let patch = env::var("CARGO_PKG_VERSION_PATCH").unwrap_or_default();
    let version = env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let version_macros = format!(
        "\n/** dstoken's version, from Cargo.toml; dst_version() returns the library's at run time. */\n\
         #define DSTOKEN_VERSION_MAJOR {major}\n\
         #define DSTOKEN_VERSION_MINOR {minor}\n\
         #define DSTOKEN_VERSION_PATCH {patch}\n\
         #define DSTOKEN_VERSION_STRING \"{version}\"\n{ROOM_TOKEN_INIT}"
    );

    set_soname(&major, &minor);

    let config =
        cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml parses");
    let bindings = cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .with_after_include(version_macros)
        .with_trailer(ROOM_TOKEN_INIT_MACRO)
        .generate()
        .expect("cbindgen generates the header");
    let generated = out_dir.join("dstoken.h");
    bindings.write_to_file(&generated);

    let committed = crate_dir.join("include").join("dstoken.h");
    let new = fs::read(&generated).expect("generated header is readable");
    let old = fs::read(&committed).ok();
    if old.as_deref() != Some(new.as_slice()) {
        if env::var_os("CI").is_some() {
            println!("cargo:warning=include/dstoken.h differs from the generated header; regenerate it (cargo build) and commit it");
        } else {
            fs::create_dir_all(crate_dir.join("include")).expect("include/ can be created");
            fs::write(&committed, &new).expect("include/dstoken.h is writable");
        }
    }
}

/// `DST_ROOM_TOKEN_INIT` (cbindgen cannot express `sizeof`). Defined before the struct's
/// typedef, which is fine: a macro is expanded where it is used.
const ROOM_TOKEN_INIT: &str = "
/**
 * Initialiser for a dst_room_token: every field absent (NULL/0) and struct_size =
 * sizeof(dst_room_token) as the caller compiles it: `dst_room_token t = DST_ROOM_TOKEN_INIT;`
 * (then set the fields you need). Same effect as dst_room_token_init(), without a call.
 */
#if defined(__cplusplus)
/**
 * C++11 and later: an expression of type dst_room_token (value-initialised, then sized), so
 * `dst_room_token t = DST_ROOM_TOKEN_INIT;` and `auto t = DST_ROOM_TOKEN_INIT;` both compile
 * cleanly under -Wall -Wextra (no missing-field-initializer warning).
 */
#define DST_ROOM_TOKEN_INIT ([]() -> dst_room_token { dst_room_token dst_t_ = dst_room_token(); dst_t_.struct_size = sizeof(dst_room_token); return dst_t_; }())
#else
/** C99 and later: a designated initialiser (the other members are zero). */
#define DST_ROOM_TOKEN_INIT { .struct_size = sizeof(dst_room_token) }
#endif

/**
 * Initialisers for dst_error (before dst_last_error()) and dst_verify_options: every member
 * zero or NULL and struct_size = sizeof as the caller compiles it; for dst_verify_options
 * those are the defaults (the system clock, no leeway, `exp` required, any team and room).
 */
#if defined(__cplusplus)
/** C++11 and later: an expression of type dst_error, as DST_ROOM_TOKEN_INIT. */
#define DST_ERROR_INIT ([]() -> dst_error { dst_error dst_e_ = dst_error(); dst_e_.struct_size = sizeof(dst_error); return dst_e_; }())
/** C++11 and later: an expression of type dst_verify_options, as DST_ROOM_TOKEN_INIT. */
#define DST_VERIFY_OPTIONS_INIT ([]() -> dst_verify_options { dst_verify_options dst_o_ = dst_verify_options(); dst_o_.struct_size = sizeof(dst_verify_options); return dst_o_; }())
#else
/** C99 and later: a designated initialiser (the other members are zero). */
#define DST_ERROR_INIT { .struct_size = sizeof(dst_error) }
/** C99 and later: a designated initialiser (the other members are zero: the defaults). */
#define DST_VERIFY_OPTIONS_INIT { .struct_size = sizeof(dst_verify_options) }
#endif";

/// `dst_room_token_init(t)` as a macro for `dst_room_token_init_size((t), sizeof *(t))`, after
/// the declarations (the function keeps its name and its version-1 behaviour for programs
/// compiled against version 1's header).
const ROOM_TOKEN_INIT_MACRO: &str = "
#if !defined(dst_room_token_init)
/**
 * Initialises `*(token)` for this header's version of dst_room_token: a call of
 * dst_room_token_init_size() with `sizeof *(token)`. The function dst_room_token_init() itself
 * (what programs built against version 1's header call) initialises version 1 only.
 */
#define dst_room_token_init(token) dst_room_token_init_size((token), sizeof *(token))
#endif";

/// The shared library's ABI name: `libdstoken.so.0.<minor>` while the version is 0.y (0.y
/// releases may break the ABI), `libdstoken.so.<major>` from 1.0 on. macOS gets the matching
/// `@rpath` install name. Linux libraries (glibc and musl alike: both are ELF, linked by a
/// GNU-style linker) get the SONAME and are linked with `-z now`. Every other target gets
/// neither: Windows DLLs carry no such name, and wasm-ld (wasm32-*) refuses both options
/// (`unknown argument: -Wl,-soname,...`), as a .wasm module has no SONAME to set.
fn set_soname(major: &str, minor: &str) {
    let abi = if major == "0" {
        format!("0.{minor}")
    } else {
        major.to_string()
    };
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    match os.as_str() {
        "macos" | "ios" => {
            println!("cargo:rustc-cdylib-link-arg=-Wl,-install_name,@rpath/libdstoken.{abi}.dylib")
        }
        "linux" | "android" => {
            println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libdstoken.so.{abi}");
            // Every symbol the library calls is bound when it is loaded (DF_BIND_NOW), never
            // by the lazy resolver in the middle of a call (which saves every vector register
            // on the stack). rustc's full RELRO does the same by default; this keeps it when
            // a build sets `-C relro-level` otherwise. tests/c/test_stack_secrets.c checks it.
            println!("cargo:rustc-cdylib-link-arg=-Wl,-z,now");
        }
        _ => {}
    }
}
