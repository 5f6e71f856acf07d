//! Runs the built `dstoken` binary: every subcommand, every exit code, the --json shapes, the
//! three key sources, tokens checked by PyJWT both ways, and - on every single run, through
//! `go` - that the key bytes never appear in standard output or standard error.
use assert_cmd::Command;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::Stdio;

/// Distinctive bytes: if they show up in any output, the key leaked.
const KEY: &str = "cli-test-KEY-9f3Qx7Lm-never-print-me";
const KEY_ENV: &str = "DIGITALSAMBA_DEVELOPER_KEY";
/// A fixed "now" for reproducible tokens: 2023-11-14T22:13:20Z.
const NOW: i64 = 1_700_000_000;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON object ({e}): {:?}", self.stdout))
    }
    fn ok(self) -> Self {
        assert_eq!(self.code, 0, "stderr: {}", self.stderr);
        self
    }
    fn code(self, want: i32) -> Self {
        assert_eq!(
            self.code, want,
            "stdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }
    fn err_has(self, s: &str) -> Self {
        assert!(
            self.stderr.contains(s),
            "stderr lacks {s:?}: {}",
            self.stderr
        );
        self
    }
}

/// A `dstoken` command with a clean environment (no key unless a test adds one).
fn dst(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dstoken"));
    c.env_remove(KEY_ENV).args(args);
    c
}

/// Writes a key file readable by its owner only (a world-readable key file is refused).
fn write_key(path: impl AsRef<std::path::Path>, content: impl AsRef<[u8]>) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(&path, content)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
}

/// `dst` with the key in the environment.
fn dstk(args: &[&str]) -> Command {
    let mut c = dst(args);
    c.env(KEY_ENV, KEY);
    c
}

/// Runs and checks that the key never appears in any output.
fn go(c: &mut Command) -> Run {
    let out = c.output().expect("run dstoken");
    let run = Run {
        code: out.status.code().expect("exited normally (no signal)"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    for (name, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        assert!(!text.contains(KEY), "the key appears in {name}: {text}");
        assert!(
            !text.contains("never-print-me"),
            "part of the key appears in {name}: {text}"
        );
    }
    run
}

fn mint_fixed(extra: &[&str]) -> String {
    let mut args = vec![
        "mint",
        "--team-id",
        "team-1",
        "--room",
        "demo",
        "--ttl",
        "1h",
    ];
    let now = NOW.to_string();
    args.extend(["--now", now.as_str()]);
    args.extend(extra);
    go(&mut dstk(&args)).ok().stdout.trim_end().to_string()
}

fn version() -> String {
    let toml =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml")).unwrap();
    let line = toml
        .lines()
        .find(|l| l.starts_with("version = \""))
        .unwrap();
    line.trim_start_matches("version = \"")
        .trim_end_matches('"')
        .to_string()
}

#[test]
fn version_and_help() {
    let r = go(&mut dst(&["--version"])).ok();
    assert_eq!(r.stdout.trim(), format!("dstoken {}", version()));
    let r = go(&mut dst(&["--help"])).ok();
    for s in [
        "Exit status:",
        "DIGITALSAMBA_DEVELOPER_KEY",
        "--key-file",
        "--key-stdin",
        "Examples:",
        "  5  ",
    ] {
        assert!(r.stdout.contains(s), "--help lacks {s:?}");
    }
    for sub in ["mint", "verify", "decode", "url", "completions"] {
        let r = go(&mut dst(&[sub, "--help"])).ok();
        assert!(
            r.stdout.contains("Examples:"),
            "{sub} --help has no examples"
        );
        assert!(r.stdout.contains("--json"), "{sub} --help lacks --json");
    }
    let r = go(&mut dst(&["mint", "--help"])).ok();
    for flag in [
        "--team-id",
        "--room",
        "--user-name",
        "--user-id",
        "--initials",
        "--role",
        "--breakout-id",
        "--avatar",
        "--ttl",
        "--not-before-skew",
        "--issued-at",
        "--not-before",
        "--expires-at",
        "--claim",
        "--json-claim",
        "--url",
        "--team",
        "--host",
        "--domain",
        "--allow-port",
        "trailing newline",
    ] {
        assert!(r.stdout.contains(flag), "mint --help lacks {flag}");
    }
    // No subcommand: usage on stderr, exit 2.
    go(&mut dst(&[])).code(2);
}

#[test]
fn mint_matches_the_library_and_every_claim_flag() {
    let token = mint_fixed(&[
        "--user-name",
        "Ada Lovelace",
        "--user-id",
        "u-42",
        "--initials",
        "AL",
        "--role",
        "moderator",
        "--breakout-id",
        "b-1",
        "--avatar",
        "https://example.com/a.png",
        "--not-before-skew",
        "30s",
        "--claim",
        "plan=pro=max",
        "--json-claim",
        "seats=12",
        "--claim",
        "note=",
        "--json-claim",
        "tags=[\"a\",1]",
    ]);
    let mut c = dstoken::Claims::new();
    c.set_team_id("team-1").unwrap();
    c.set_room("demo").unwrap();
    c.set_user_name("Ada Lovelace").unwrap();
    c.set_user_id("u-42").unwrap();
    c.set_initials("AL").unwrap();
    c.set_role("moderator").unwrap();
    c.set_breakout_id("b-1").unwrap();
    c.set_avatar("https://example.com/a.png").unwrap();
    c.set_validity_at(NOW, 30, 3600).unwrap();
    c.set_string("plan", "pro=max").unwrap();
    c.set_json("seats", "12").unwrap();
    c.set_string("note", "").unwrap();
    c.set_json("tags", "[\"a\",1]").unwrap();
    let key = dstoken::SigningKey::new(KEY.as_bytes()).unwrap();
    assert_eq!(token, dstoken::sign(&c, &key).unwrap());

    // --ttl alone: iat and exp, no nbf (dst_claims_set_expires_in).
    let t = mint_fixed(&[]);
    let mut c = dstoken::Claims::new();
    c.set_team_id("team-1").unwrap();
    c.set_room("demo").unwrap();
    c.set_expires_in_at(NOW, 3600).unwrap();
    assert_eq!(t, dstoken::sign(&c, &key).unwrap());
}

#[test]
fn mint_explicit_times_unix_and_rfc3339() {
    let base = ["mint", "--team-id", "t", "--room", "r"];
    let run = |times: &[&str]| {
        let mut a = base.to_vec();
        a.extend(times);
        a.push("--json");
        go(&mut dstk(&a)).ok().json()
    };
    let unix = run(&[
        "--issued-at",
        "1700000000",
        "--not-before",
        "1699999970",
        "--expires-at",
        "1700003600",
        "--now",
        "1699999000",
    ]);
    let rfc = run(&[
        "--issued-at",
        "2023-11-14T22:13:20Z",
        "--not-before",
        "2023-11-15T00:12:50+02:00",
        "--expires-at",
        "2023-11-14T18:13:20-05:00",
        "--now",
        "2023-11-14T22:03:20Z",
    ]);
    assert_eq!(unix["token"], rfc["token"]);
    assert_eq!(
        unix["claims"],
        json!({"td":"t","rd":"r","iat":1700000000,"nbf":1699999970,"exp":1700003600})
    );
    // exp only (after --now, or after the clock), and --no-expiry.
    assert_eq!(
        run(&["--expires-at", "5", "--now", "4"])["claims"],
        json!({"td":"t","rd":"r","exp":5})
    );
    assert_eq!(
        run(&["--expires-at", "9999-12-31T23:59:59Z"])["claims"],
        json!({"td":"t","rd":"r","exp":253402300799_i64})
    );
    assert_eq!(run(&["--no-expiry"])["claims"], json!({"td":"t","rd":"r"}));
}

#[test]
fn mint_json_and_url() {
    let now = NOW.to_string();
    let j = go(&mut dstk(&[
        "mint",
        "--team-id",
        "t",
        "--room",
        "my room",
        "--ttl",
        "15m",
        "--now",
        &now,
        "--url",
        "--team",
        "acme",
        "--json",
    ]))
    .ok()
    .json();
    assert_eq!(j["ok"], true);
    assert_eq!(j["command"], "mint");
    let token = j["token"].as_str().unwrap();
    assert_eq!(
        j["url"],
        format!("https://acme.digitalsamba.com/my%20room?token={token}")
    );
    assert_eq!(
        j["claims"],
        json!({"td":"t","rd":"my room","iat":NOW,"exp":NOW + 900})
    );
    // Without --json, --url prints just the URL; --domain (alias --host) gives a custom
    // domain, with a port only under --allow-port.
    let mint_url = |target: &[&str]| {
        let mut a = vec![
            "mint",
            "--team-id",
            "t",
            "--room",
            "demo",
            "--ttl",
            "1d",
            "--now",
            &now,
            "--url",
        ];
        a.extend(target);
        go(&mut dstk(&a))
    };
    let r = mint_url(&["--host", "Rooms.Example.com:8443", "--allow-port"]).ok();
    assert!(
        r.stdout
            .starts_with("https://rooms.example.com:8443/demo?token=eyJ"),
        "{}",
        r.stdout
    );
    let r = mint_url(&["--domain", "Meet.Example.com"]).ok();
    assert!(
        r.stdout
            .starts_with("https://meet.example.com/demo?token=eyJ"),
        "{}",
        r.stdout
    );
    let r = mint_url(&["--team", "ACME"]).ok();
    assert!(
        r.stdout
            .starts_with("https://acme.digitalsamba.com/demo?token=eyJ"),
        "{}",
        r.stdout
    );
    mint_url(&["--domain", "meet.example.com:8443"])
        .code(2)
        .err_has("--allow-port");
    mint_url(&["--domain", "127.0.0.1:8080", "--allow-port"])
        .code(2)
        .err_has("IP address");
    mint_url(&["--domain", "127.0.0.1:8080"])
        .code(2)
        .err_has("port");
    let j = go(&mut dstk(&[
        "mint",
        "--team-id",
        "t",
        "--room",
        "r",
        "--ttl",
        "1h",
        "--json",
    ]))
    .ok()
    .json();
    assert_eq!(j["url"], Value::Null);
}

#[test]
fn mint_usage_errors_exit_2() {
    let base = ["mint", "--team-id", "t", "--room", "r"];
    let cases: &[(&[&str], &str)] = &[
        (&["--ttl", "1x"], "e.g. 30s"),
        (&["--ttl=-5s"], "invalid duration"),
        (&["--ttl", "0s"], "more than 0"),
        (&["--ttl", "1.5h"], "invalid duration"),
        (
            &["--ttl", "1h", "--not-before-skew", "5 s"],
            "invalid duration",
        ),
        (&["--expires-at", "2023-11-14T22:13:20"], "RFC 3339"),
        (&["--expires-at", "2023-11-14T22:13:20.5Z"], "fractional"),
        (&["--expires-at", "tomorrow"], "invalid time"),
        (&[], "--ttl"),
        (&["--ttl", "1h", "--expires-at", "5"], "cannot be used with"),
        (&["--ttl", "1h", "--issued-at", "5"], "cannot be used with"),
        (
            &["--not-before-skew", "30s", "--expires-at", "5"],
            "works only with --ttl",
        ),
        (
            &["--not-before-skew", "30s", "--no-expiry"],
            "works only with --ttl",
        ),
        (&["--now", "5", "--no-expiry"], "works only with --ttl"),
        // Unit mistakes and an already expired token.
        (
            &["--expires-at", "1767229200000"],
            "looks like milliseconds: 1767229200000 ms is 2026-01-01T01:00:00Z; give seconds (1767229200)",
        ),
        (&["--expires-at=-5", "--now=-6"], "outside the time range"),
        (
            &["--ttl", "1h", "--now", "1700000000000"],
            "--now is 1700000000000",
        ),
        (&["--ttl", "1h", "--now", "1700000000000"], "milliseconds"),
        (&["--expires-at", "7", "--now", "7"], "would be expired when minted"),
        (
            &["--expires-at", "2023-11-14T22:13:20Z"],
            "--expires-at (2023-11-14T22:13:20Z) is not after now",
        ),
        (
            &["--expires-at", "1700000000", "--now", "1700003600"],
            "is not after now (2023-11-14T23:13:20Z), 1 h 0 min 0 s ago",
        ),
        (&["--ttl", "1h", "--url"], "--team"),
        (&["--ttl", "1h", "--team", "acme"], "--url"),
        (
            &["--ttl", "1h", "--url", "--team", "acme", "--host", "a.b"],
            "cannot be used with",
        ),
        (&["--ttl", "1h", "--url", "--team", "acme.com"], "--domain"),
        (&["--ttl", "1h", "--url", "--host", "acme"], "--team"),
        (
            &["--ttl", "1h", "--url", "--team=-bad-"],
            "DST_ERR_INVALID_ARGUMENT",
        ),
        (&["--ttl", "1h", "--claim", "td=x"], "--team-id"),
        (&["--ttl", "1h", "--json-claim", "exp=5"], "--expires-at"),
        (&["--ttl", "1h", "--claim", "novalue"], "NAME=VALUE"),
        (&["--ttl", "1h", "--claim", "=v"], "the claim name in --claim must not be empty"),
        (
            &["--ttl", "1h", "--claim", "a=1", "--json-claim", "a=2"],
            "given twice",
        ),
        (&["--ttl", "1h", "--json-claim", "a={"], "not valid JSON"),
        (&["--ttl", "1h", "--key", "secret"], "unexpected argument"),
        (&["--ttl", "1h", "--bogus"], "unexpected argument"),
        (
            &["--expires-at", "5", "--issued-at", "10", "--now", "1"],
            "is earlier than --issued-at",
        ),
    ];
    for (extra, msg) in cases {
        let mut a = base.to_vec();
        a.extend(*extra);
        go(&mut dstk(&a)).code(2).err_has(msg);
    }
    // Empty required claims: the library's message, with the option named.
    go(&mut dstk(&[
        "mint",
        "--team-id",
        "",
        "--room",
        "r",
        "--ttl",
        "1h",
    ]))
    .code(2)
    .err_has("--team-id must not be empty");
    // --json failure shape for an error found after parsing.
    let r = go(&mut dstk(&[
        "mint",
        "--team-id",
        "t",
        "--room",
        "",
        "--ttl",
        "1h",
        "--json",
    ]))
    .code(2);
    let j = r.json();
    assert_eq!(j["ok"], false);
    assert_eq!(j["command"], "mint");
    assert_eq!(j["error"]["exit_code"], 2);
    assert_eq!(j["error"]["class"], "usage");
    assert_eq!(j["error"]["status"], "DST_ERR_INVALID_ARGUMENT");
}

#[cfg(unix)]
#[test]
fn invalid_utf8_arguments_exit_2() {
    use std::os::unix::ffi::OsStrExt;
    let bad = std::ffi::OsStr::from_bytes(b"ro\xffom");
    let mut c = dstk(&["mint", "--team-id", "t", "--ttl", "1h", "--room"]);
    c.arg(bad);
    go(&mut c).code(2).err_has("invalid UTF-8");
    let mut c = dst(&["decode"]);
    c.arg(bad);
    go(&mut c).code(2).err_has("invalid UTF-8");
}

/// Escape sequences, C1 controls and bidi overrides in claim names and values
/// never reach the terminal in decode/verify's human output (--json stays JSON).
#[test]
fn decode_and_verify_escape_terminal_controls() {
    let now = NOW.to_string();
    let hostile = "a\u{202e}b\u{1b}[2J\u{9b}31m\u{7f}\u{2066}c";
    let token = go(&mut dstk(&[
        "mint",
        "--team-id",
        "t",
        "--room",
        "r",
        "--ttl",
        "1h",
        "--now",
        &now,
        "--user-name",
        hostile,
        "--claim",
        "x\u{202d}y=\u{85}z",
    ]))
    .ok()
    .stdout
    .trim_end()
    .to_string();
    for out in [
        go(&mut dst(&["decode", "--now", &now, &token])).ok().stdout,
        go(&mut dstk(&["verify", "--now", &now, &token]))
            .ok()
            .stdout,
    ] {
        for c in [
            '\u{202e}', '\u{1b}', '\u{9b}', '\u{7f}', '\u{2066}', '\u{202d}', '\u{85}',
        ] {
            assert!(!out.contains(c), "{c:?} reaches the terminal: {out:?}");
        }
        assert!(out.contains("\\u202e") && out.contains("\\u009b"), "{out}");
    }
    // --json is JSON: the exact values, parsed.
    let j = go(&mut dst(&["decode", "--json", &token])).ok().json();
    assert_eq!(j["claims"]["u"], hostile);
}

/// A key file others can read is refused, naming the file, its mode and the
/// fix; group-readable stays allowed.
#[test]
fn world_readable_key_files_are_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("key");
    write_key(&p, format!("{KEY}\n")).unwrap();
    let path = p.to_str().unwrap();
    let now = NOW.to_string();
    let args = [
        "mint",
        "--team-id",
        "t",
        "--room",
        "r",
        "--ttl",
        "1h",
        "--now",
        &now,
        "--key-file",
        path,
    ];
    for mode in [0o644, 0o604, 0o444, 0o666] {
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
        go(&mut dst(&args))
            .code(1)
            .err_has(path)
            .err_has(&format!("mode {mode:04o}"))
            .err_has(&format!("chmod 600 {path}"));
    }
    for mode in [0o600, 0o640, 0o400, 0o660] {
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
        let r = go(&mut dst(&args)).ok();
        assert!(r.stderr.is_empty(), "{mode:o}: {}", r.stderr);
    }
    // The same for verify.
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    go(&mut dst(&["verify", "--key-file", path, "a.b.c"]))
        .code(1)
        .err_has("readable by every user");
}

#[test]
fn key_from_each_source() {
    let from_env = mint_fixed(&[]);
    let dir = tempfile::tempdir().unwrap();
    let now = NOW.to_string();
    let args = [
        "mint",
        "--team-id",
        "team-1",
        "--room",
        "demo",
        "--ttl",
        "1h",
        "--now",
        &now,
    ];

    // --key-file: one trailing newline is trimmed (\n or \r\n), and the file wins over the env.
    for (name, content) in [
        ("plain", KEY.to_string()),
        ("nl", format!("{KEY}\n")),
        ("crlf", format!("{KEY}\r\n")),
    ] {
        let p = dir.path().join(name);
        write_key(&p, content).unwrap();
        let mut a = args.to_vec();
        a.extend(["--key-file", p.to_str().unwrap()]);
        assert_eq!(go(&mut dst(&a)).ok().stdout.trim_end(), from_env, "{name}");
        let mut c = dst(&a);
        c.env(KEY_ENV, "some-other-key");
        assert_eq!(
            go(&mut c).ok().stdout.trim_end(),
            from_env,
            "{name} wins over the env"
        );
    }
    // Only one newline is trimmed: a second one is whitespace the library refuses in a key.
    let p2 = dir.path().join("two");
    write_key(&p2, format!("{KEY}\n\n")).unwrap();
    go(&mut dst(&[
        "verify",
        "--key-file",
        p2.to_str().unwrap(),
        "--now",
        &now,
        &from_env,
    ]))
    .code(1)
    .err_has("whitespace at its start or end");

    // --key-stdin, with and without a trailing newline.
    for input in [KEY.to_string(), format!("{KEY}\n")] {
        let mut a = args.to_vec();
        a.push("--key-stdin");
        assert_eq!(
            go(dst(&a).write_stdin(input)).ok().stdout.trim_end(),
            from_env
        );
    }
    go(dstk(&["verify", "--key-stdin", "--now", &now, &from_env]).write_stdin(format!("{KEY}\n")))
        .ok();
}

#[test]
fn key_errors_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let mint = ["mint", "--team-id", "t", "--room", "r", "--ttl", "1h"];
    for sub in [&mint[..], &["verify", "a.b.c"][..]] {
        let r = go(&mut dst(sub)).code(1);
        for way in ["DIGITALSAMBA_DEVELOPER_KEY", "--key-file", "--key-stdin"] {
            assert!(
                r.stderr.contains(way),
                "missing-key message lacks {way}: {}",
                r.stderr
            );
        }
    }
    let empty = dir.path().join("empty");
    write_key(&empty, "").unwrap();
    let nl = dir.path().join("nl");
    write_key(&nl, "\n").unwrap();
    for p in [&empty, &nl] {
        let mut a = mint.to_vec();
        a.extend(["--key-file", p.to_str().unwrap()]);
        go(&mut dst(&a)).code(1).err_has("must not be empty");
    }
    let mut a = mint.to_vec();
    a.extend(["--key-file", "/dev/zero"]);
    go(&mut dst(&a)).code(1).err_has("is over 65536 bytes");
    let mut a = mint.to_vec();
    a.extend(["--key-file", dir.path().to_str().unwrap()]);
    go(&mut dst(&a)).code(1).err_has("cannot read the key file");
    let mut a = mint.to_vec();
    a.extend(["--key-file", "/nonexistent/dstoken-key"]);
    go(&mut dst(&a))
        .code(1)
        .err_has("cannot read the key file /nonexistent/dstoken-key");
    let mut c = dst(&mint);
    c.env(KEY_ENV, "");
    go(&mut c)
        .code(1)
        .err_has("environment variable: the developer key must not be empty");
    let mut a = mint.to_vec();
    a.push("--key-stdin");
    go(dst(&a).write_stdin(""))
        .code(1)
        .err_has("must not be empty");
    // Both key options: usage.
    let mut a = mint.to_vec();
    a.extend(["--key-stdin", "--key-file", empty.to_str().unwrap()]);
    go(&mut dst(&a)).code(2);
    // The key on stdin leaves no room for the token there.
    go(dst(&["verify", "--key-stdin"]).write_stdin(KEY))
        .code(2)
        .err_has("give the token as an argument");
    // --json: the failure shape says "io".
    let mut a = mint.to_vec();
    a.push("--json");
    let j = go(&mut dst(&a)).code(1).json();
    assert_eq!(j["error"]["class"], "io");
    assert_eq!(j["error"]["exit_code"], 1);
}

#[test]
fn verify_ok_text_and_json() {
    let token = mint_fixed(&["--user-name", "Ada", "--not-before-skew", "30s"]);
    let r = go(&mut dstk(&["verify", "--now", "1700000100", &token])).ok();
    for s in [
        "VERIFIED",
        "2023-11-14T22:13:20Z  (issued 1 min ago)",
        "1699999970  2023-11-14T22:12:50Z  (valid since 2 min ago)",
        "1700003600  2023-11-14T23:13:20Z  (expires in 58 min)",
        "\"Ada\"",
    ] {
        assert!(
            r.stdout.contains(s),
            "verify output lacks {s:?}:\n{}",
            r.stdout
        );
    }
    assert!(!r.stdout.contains("NOT VERIFIED"));
    let j = go(&mut dstk(&[
        "verify",
        "--now",
        "2023-11-14T22:15:00Z",
        "--leeway",
        "1m",
        "--json",
        &token,
    ]))
    .ok()
    .json();
    assert_eq!(j["ok"], true);
    assert_eq!(j["command"], "verify");
    assert_eq!(j["verified"], true);
    assert_eq!(j["now"], 1_700_000_100);
    assert_eq!(j["leeway"], 60);
    assert_eq!(j["header"], json!({"alg":"HS256","typ":"JWT"}));
    assert_eq!(j["claims"]["u"], "Ada");
    assert_eq!(
        j["times"]["exp"],
        json!({"unix":1700003600,"utc":"2023-11-14T23:13:20Z","relative":"expires in 58 min"})
    );
    assert_eq!(j["times"]["iat"]["relative"], "issued 1 min ago");
}

#[test]
fn verify_failures_have_distinct_codes() {
    let token = mint_fixed(&["--not-before-skew", "30s"]);
    let mut parts: Vec<String> = token.split('.').map(String::from).collect();

    // 3: malformed or unsupported.
    go(&mut dstk(&["verify", "abc"]))
        .code(3)
        .err_has("DST_ERR_MALFORMED_TOKEN");
    go(&mut dstk(&["verify", "a.b.c.d"])).code(3);
    let hs384 = format!(
        "eyJhbGciOiJIUzM4NCIsInR5cCI6IkpXVCJ9.{}.{}",
        parts[1], parts[2]
    );
    go(&mut dstk(&["verify", &hs384]))
        .code(3)
        .err_has("DST_ERR_UNSUPPORTED_ALGORITHM");
    // 4: bad signature (another key, or a changed payload).
    let mut c = dst(&["verify", "--now", "1700000100", &token]);
    c.env(KEY_ENV, "another-key");
    go(&mut c)
        .code(4)
        .err_has("DST_ERR_BAD_SIGNATURE")
        .err_has("trailing newline")
        .err_has("base64-decoded")
        .err_has("another team's key");
    // One trailing newline in the variable is removed, as from a file.
    for value in [format!("{KEY}\n"), format!("{KEY}\r\n")] {
        let mut c = dst(&["verify", "--now", "1700000100", &token]);
        c.env(KEY_ENV, value);
        go(&mut c).ok();
    }
    let mut c = dst(&["verify", "--now", "1700000100", &token]);
    c.env(KEY_ENV, format!("{KEY}\n\n"));
    go(&mut c).code(1).err_has("whitespace at its start or end");
    // A whole join URL: the token from its token parameter, with a note on stderr.
    let url = format!("https://acme.digitalsamba.com/demo?token={token}");
    let r = go(&mut dstk(&["verify", "--now", "1700000100", &url])).ok();
    assert!(r.stdout.starts_with("VERIFIED"), "{}", r.stdout);
    assert!(r.stderr.contains("token parameter"), "{}", r.stderr);
    go(&mut dstk(&["verify", "https://acme.digitalsamba.com/demo"]))
        .code(3)
        .err_has("pass the token alone");
    parts[2] = format!("{}A", &parts[2][..parts[2].len() - 1]);
    let tampered = parts.join(".");
    if tampered != token {
        go(&mut dstk(&["verify", "--now", "1700000100", &tampered])).code(4);
    }

    // 5: expired - the claim's time, now and the leeway in text and JSON.
    let r = go(&mut dstk(&["verify", "--now", "1700003600", &token])).code(5);
    for s in [
        "DST_ERR_EXPIRED",
        "exp     1700003600  2023-11-14T23:13:20Z  (expired just now)",
        "now     1700003600",
        "leeway  0 s",
    ] {
        assert!(r.stderr.contains(s), "stderr lacks {s:?}:\n{}", r.stderr);
    }
    let j = go(&mut dstk(&[
        "verify",
        "--now",
        "1700014400",
        "--leeway",
        "10s",
        "--json",
        &token,
    ]))
    .code(5)
    .json();
    assert_eq!(
        j,
        json!({"ok":false,"command":"verify","error":{"exit_code":5,"class":"time","status":"DST_ERR_EXPIRED",
               "message": j["error"]["message"], "claim":"exp","claim_time":1700003600,"now":1700014400,"leeway":10}})
    );
    // The leeway is honoured.
    go(&mut dstk(&[
        "verify",
        "--now",
        "1700003600",
        "--leeway",
        "1s",
        &token,
    ]))
    .ok();
    // 5: not yet valid, by nbf then by iat.
    let r = go(&mut dstk(&["verify", "--now", "1699999900", &token]))
        .code(5)
        .err_has("DST_ERR_NOT_YET_VALID");
    assert!(
        r.stderr.contains("nbf     1699999970") && r.stderr.contains("(valid in 1 min)"),
        "{}",
        r.stderr
    );
    let no_nbf = mint_fixed(&[]);
    let j = go(&mut dstk(&[
        "verify",
        "--now",
        "1699999999",
        "--json",
        &no_nbf,
    ]))
    .code(5)
    .json();
    assert_eq!(j["error"]["claim"], "iat");
    assert_eq!(j["error"]["status"], "DST_ERR_NOT_YET_VALID");
    // 2: bad --leeway / --now.
    go(&mut dstk(&["verify", "--leeway", "5000000000", &token]))
        .code(2)
        .err_has("4294967295");
    go(&mut dstk(&["verify", "--leeway", "-1s", &token])).code(2);
    go(&mut dstk(&["verify", "--now", "yesterday", &token])).code(2);
}

#[test]
fn tokens_on_standard_input() {
    let token = mint_fixed(&[]);
    let now = "1700000100";
    for arg in [None, Some("-")] {
        let mut a = vec!["verify", "--now", now];
        a.extend(arg);
        go(dstk(&a).write_stdin(format!("{token}\n"))).ok();
        go(dstk(&a).write_stdin(token.clone())).ok();
    }
    for (input, msg) in [
        (format!("{token}\n\n"), "whitespace"),
        (format!("{token} \n"), "whitespace"),
        (format!(" {token}"), "whitespace"),
        (format!("{token}\t"), "whitespace"),
        (format!("{token}\r\n\n"), "whitespace"),
        (String::new(), "no token on standard input"),
        ("\n".to_string(), "no token on standard input"),
        ("x".repeat(70_000), "limit"),
    ] {
        go(dstk(&["verify", "-"]).write_stdin(input.clone()))
            .code(3)
            .err_has(msg);
        go(dst(&["decode"]).write_stdin(input.clone()))
            .code(3)
            .err_has(msg);
        go(dst(&["url", "--team", "acme", "--room", "r"]).write_stdin(input))
            .code(3)
            .err_has(msg);
    }
    go(dst(&["decode", "-"]).write_stdin(b"\xff\xfe".to_vec()))
        .code(3)
        .err_has("not UTF-8");
}

#[test]
fn decode_is_marked_not_verified() {
    let token = mint_fixed(&["--user-name", "Ada"]);
    // No key needed; a wrong one in the environment changes nothing.
    let r = go(dst(&["decode", "--now", "1700000060"]).write_stdin(format!("{token}\n"))).ok();
    assert!(r.stdout.starts_with("NOT VERIFIED"), "{}", r.stdout);
    assert!(r.stdout.contains("(expires in 59 min)"), "{}", r.stdout);
    let j = go(&mut dst(&[
        "decode",
        "--json",
        "--now",
        "1700000060",
        &token,
    ]))
    .ok()
    .json();
    assert_eq!(j["ok"], true);
    assert_eq!(j["command"], "decode");
    assert_eq!(j["verified"], false);
    assert_eq!(j["header"]["alg"], "HS256");
    assert_eq!(j["claims"]["u"], "Ada");
    assert_eq!(j["times"]["iat"]["relative"], "issued 1 min ago");
    assert_eq!(j["now"], 1_700_000_060);
    // Values come out exactly as the token has them (big and fractional numbers too).
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let payload = r#"{"big":123456789012345678901234567890,"f":1.50,"esc":"\u001b[31m"}"#;
    let crafted = format!("{}.{}.sig", b64(r#"{"alg":"HS256"}"#), b64(payload));
    let raw = go(&mut dst(&["decode", "--json", &crafted])).ok().stdout;
    assert!(
        raw.contains(&format!("\"claims\":{payload}")),
        "numbers verbatim: {raw}"
    );
    // Control characters stay escaped in the text output (no terminal escapes from a token).
    let r = go(&mut dst(&["decode", &crafted])).ok();
    assert!(
        r.stdout.contains("\\u001b[31m") && !r.stdout.contains('\u{1b}'),
        "{}",
        r.stdout
    );
    // A token with a bad signature still decodes (that is the point), one that is not a JWT does not.
    let parts: Vec<&str> = token.split('.').collect();
    go(&mut dst(&[
        "decode",
        &format!("{}.{}.AAAA", parts[0], parts[1]),
    ]))
    .ok();
    go(&mut dst(&["decode", "not-a-token"]))
        .code(3)
        .err_has("three base64url parts");
    let j = go(&mut dst(&["decode", "--json", "a.b.c"])).code(3).json();
    assert_eq!(j["error"]["class"], "malformed");
    assert_eq!(j["error"]["exit_code"], 3);
}

#[test]
fn url_subcommand() {
    let token = mint_fixed(&[]);
    let r = go(&mut dst(&[
        "url", "--team", "acme", "--room", "demo", &token,
    ]))
    .ok();
    assert_eq!(
        r.stdout,
        format!("https://acme.digitalsamba.com/demo?token={token}\n")
    );
    let j = go(dst(&[
        "url",
        "--host",
        "rooms.example.com",
        "--room",
        "a/b",
        "--json",
        "-",
    ])
    .write_stdin(format!("{token}\n")))
    .ok()
    .json();
    assert_eq!(
        j,
        json!({"ok":true,"command":"url","url":format!("https://rooms.example.com/a%2Fb?token={token}")})
    );
    go(&mut dst(&["url", "--room", "demo", &token])).code(2);
    go(&mut dst(&["url", "--team", "acme", &token])).code(2);
    go(&mut dst(&["url", "--team", "acme", "--room", "..", &token]))
        .code(2)
        .err_has("DST_ERR_INVALID_ARGUMENT");
    go(&mut dst(&[
        "url",
        "--team",
        "acme",
        "--room",
        "r",
        "not a token",
    ]))
    .code(2);
}

#[test]
fn completions_and_man_pages() {
    for (shell, marker) in [
        ("bash", "complete"),
        ("zsh", "#compdef dstoken"),
        ("fish", "complete -c dstoken"),
    ] {
        let r = go(&mut dst(&["completions", shell])).ok();
        assert!(r.stdout.contains(marker), "{shell}");
        for word in [
            "mint",
            "verify",
            "decode",
            "team-id",
            "key-file",
            "key-stdin",
        ] {
            assert!(r.stdout.contains(word), "{shell} completion lacks {word}");
        }
    }
    go(&mut dst(&["completions", "tcsh"])).code(2);
    let r = go(&mut dst(&["man"])).ok();
    assert!(
        r.stdout.contains(".TH dstoken 1"),
        "{}",
        &r.stdout[..200.min(r.stdout.len())]
    );
    assert!(r.stdout.contains("Exit status"));
    let dir = tempfile::tempdir().unwrap();
    go(&mut dst(&[
        "man",
        "--out-dir",
        dir.path().to_str().unwrap(),
    ]))
    .ok();
    for page in [
        "dstoken.1",
        "dstoken-mint.1",
        "dstoken-verify.1",
        "dstoken-decode.1",
        "dstoken-url.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join(page))
            .unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.contains(".TH"), "{page}");
    }
    assert!(
        !dir.path().join("dstoken-man.1").exists(),
        "the hidden man command has no page"
    );
}

// ------------------------------------------------------------------------------------------
// Independent checks with PyJWT.

/// The Python with PyJWT: $DSTOKEN_PYTHON, else build/venv (scripts/bootstrap.sh --test).
/// Missing is a failure under CI=true, a loud skip otherwise.
fn python() -> Option<PathBuf> {
    let p = std::env::var_os("DSTOKEN_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../build/venv/bin/python"
            ))
        });
    let ok = std::process::Command::new(&p)
        .args(["-c", "import jwt"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        return Some(p);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "no Python with PyJWT at {} (run scripts/bootstrap.sh --test or set DSTOKEN_PYTHON)",
        p.display()
    );
    eprintln!(
        "SKIPPED: no Python with PyJWT at {} (run scripts/bootstrap.sh --test)",
        p.display()
    );
    None
}

/// Runs a Python snippet with the key in DSTOKEN_TEST_KEY; returns its stdout.
fn py(python: &PathBuf, code: &str, arg: &str) -> String {
    let out = std::process::Command::new(python)
        .args(["-c", code, arg])
        .env("DSTOKEN_TEST_KEY", KEY)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn pyjwt_verifies_minted_tokens() {
    let Some(python) = python() else { return };
    let code = r#"
import json, os, sys, jwt
token = sys.argv[1]
claims = jwt.decode(token, os.environb[b"DSTOKEN_TEST_KEY"], algorithms=["HS256"],
                    options={"require": ["exp", "iat"]})
print(json.dumps({"header": jwt.get_unverified_header(token), "claims": claims}))
"#;
    // The real clock, so PyJWT checks exp/nbf/iat for itself.
    let j = go(&mut dstk(&[
        "mint",
        "--team-id",
        "team-1",
        "--room",
        "demo",
        "--user-name",
        "Zoë \"Z\" ☃",
        "--role",
        "moderator",
        "--ttl",
        "1h",
        "--not-before-skew",
        "30s",
        "--claim",
        "plan=pro",
        "--json-claim",
        "seats=12",
        "--json-claim",
        "meta={\"a\":[true,null]}",
        "--json",
    ]))
    .ok()
    .json();
    let token = j["token"].as_str().unwrap();
    let got: Value = serde_json::from_str(&py(&python, code, token)).unwrap();
    assert_eq!(got["header"], json!({"alg":"HS256","typ":"JWT"}));
    assert_eq!(got["claims"], j["claims"]);
    assert_eq!(got["claims"]["u"], "Zoë \"Z\" ☃");
    assert_eq!(got["claims"]["meta"], json!({"a":[true,null]}));
    let exp = got["claims"]["exp"].as_i64().unwrap();
    assert_eq!(exp - got["claims"]["iat"].as_i64().unwrap(), 3600);
    assert_eq!(
        got["claims"]["iat"].as_i64().unwrap() - got["claims"]["nbf"].as_i64().unwrap(),
        30
    );

    // The key from a file with a trailing newline signs exactly as the bare key does.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("key");
    write_key(&p, format!("{KEY}\n")).unwrap();
    let t = go(&mut dst(&[
        "mint",
        "--team-id",
        "t",
        "--room",
        "r",
        "--ttl",
        "5m",
        "--key-file",
        p.to_str().unwrap(),
    ]))
    .ok()
    .stdout;
    py(&python, code, t.trim_end());
}

#[test]
fn verify_accepts_and_refuses_pyjwt_tokens() {
    let Some(python) = python() else { return };
    let code = r#"
import json, os, sys, jwt
key = os.environb[b"DSTOKEN_TEST_KEY"]
now = int(sys.argv[1])
base = {"td": "team-1", "rd": "demo", "u": "Ada", "iat": now - 60, "exp": now + 3600, "tags": ["x", 2],
        "big": 123456789012345678901234567890}
out = {
  "valid": jwt.encode(base, key, algorithm="HS256"),
  "no_typ": jwt.encode({"td": "t", "rd": "r"}, key, algorithm="HS256", headers={"typ": None}),
  "expired": jwt.encode(dict(base, exp=now - 10), key, algorithm="HS256"),
  "not_yet": jwt.encode(dict(base, nbf=now + 600), key, algorithm="HS256"),
  "other_key": jwt.encode(base, b"a-different-key-entirely-000000000", algorithm="HS256"),
  "hs512": jwt.encode(base, key, algorithm="HS512"),
}
print(json.dumps(out))
"#;
    let now = NOW.to_string();
    let toks: Value = serde_json::from_str(&py(&python, code, &now)).unwrap();
    let t = |n: &str| toks[n].as_str().unwrap().to_string();
    let j = go(&mut dstk(&["verify", "--now", &now, "--json", &t("valid")]))
        .ok()
        .json();
    assert_eq!(j["claims"]["tags"], json!(["x", 2]));
    let names: Vec<&String> = j["claims"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["td", "rd", "u", "iat", "exp", "tags", "big"]);
    // The big number comes out exactly as PyJWT wrote it.
    let raw = go(&mut dstk(&["verify", "--now", &now, "--json", &t("valid")]))
        .ok()
        .stdout;
    assert!(
        raw.contains(r#""exp":1700003600,"tags":["x",2],"big":123456789012345678901234567890}"#),
        "{raw}"
    );
    assert_eq!(j["times"]["exp"]["relative"], "expires in 1 h");
    go(&mut dstk(&[
        "verify",
        "--now",
        &now,
        "--exp-optional",
        &t("no_typ"),
    ]))
    .ok();
    go(&mut dstk(&["verify", "--now", &now, &t("expired")]))
        .code(5)
        .err_has("DST_ERR_EXPIRED");
    go(&mut dstk(&["verify", "--now", &now, &t("not_yet")]))
        .code(5)
        .err_has("nbf");
    go(&mut dstk(&["verify", "--now", &now, &t("other_key")])).code(4);
    go(&mut dstk(&["verify", "--now", &now, &t("hs512")]))
        .code(3)
        .err_has("DST_ERR_UNSUPPORTED_ALGORITHM");
    // decode shows PyJWT's token without a key.
    let r = go(&mut dst(&["decode", &t("valid")])).ok();
    assert!(
        r.stdout.starts_with("NOT VERIFIED") && r.stdout.contains("\"team-1\""),
        "{}",
        r.stdout
    );
}

#[test]
fn help_never_mentions_a_default_key_or_team() {
    let r = go(&mut dst(&["mint", "--help"])).ok();
    assert!(!r.stdout.to_lowercase().contains("demo key"));
    assert!(
        !r.stdout.contains("[default"),
        "mint has no defaults: {}",
        r.stdout
    );
}

/// The docs' CLI session (docs/src/cli.md, "A session") is real output: re-run it and compare.
/// (tests/docs/check_docs.py also replays it line by line.)
#[test]
fn readme_session_is_real_output() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/src/cli.md"))
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.txt");
    write_key(&key, "replace-with-your-developer-key\n").unwrap();
    let key = key.to_str().unwrap();
    let token = go(&mut dst(&[
        "mint",
        "--key-file",
        key,
        "--team-id",
        "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f",
        "--room",
        "daily-standup",
        "--user-name",
        "John Smith",
        "--role",
        "moderator",
        "--ttl",
        "1h",
        "--not-before-skew",
        "30s",
        "--now",
        "2025-06-01T12:00:00Z",
    ]))
    .ok()
    .stdout;
    let ok = go(dst(&[
        "verify",
        "--key-file",
        key,
        "--now",
        "2025-06-01T12:01:00Z",
        "-",
    ])
    .write_stdin(token.clone()))
    .ok()
    .stdout;
    let expired = go(dst(&[
        "verify",
        "--key-file",
        key,
        "--now",
        "2025-06-01T15:00:00Z",
        "-",
    ])
    .write_stdin(token.clone()))
    .code(5)
    .stderr;
    let url = go(
        dst(&["url", "--team", "acme", "--room", "daily-standup", "-"]).write_stdin(token.clone()),
    )
    .ok()
    .stdout;
    let decoded = go(
        dst(&["decode", "--json", "--now", "2025-06-01T12:01:00Z", "-"]).write_stdin(token.clone()),
    )
    .ok()
    .stdout;
    let no_key = go(&mut dst(&[
        "mint",
        "--team-id",
        "x",
        "--room",
        "y",
        "--ttl",
        "1h",
    ]))
    .code(1)
    .stderr;
    for (what, text) in [
        ("token", format!("$ cat token.txt\n{token}")),
        ("verify", ok),
        ("expired", expired),
        ("url", url),
        ("decode", decoded),
        ("no key", no_key),
    ] {
        assert!(
            readme.contains(&text),
            "docs/src/cli.md's session lacks the current {what} output:\n{text}"
        );
    }
}

#[test]
fn lifetime_rules_and_verify_options_are_the_librarys() {
    // A lifetime in milliseconds is refused with the seconds it would have meant; --max-ttl
    // raises the limit on purpose.
    go(&mut dstk(&[
        "mint",
        "--team-id",
        "t",
        "--room",
        "r",
        "--ttl",
        "3600000",
    ]))
    .code(2)
    .err_has("--ttl is 3600000 seconds")
    .err_has("give 3600 seconds")
    .err_has("raise --max-ttl");
    go(&mut dstk(&[
        "mint",
        "--team-id",
        "t",
        "--room",
        "r",
        "--ttl",
        "3600000",
        "--max-ttl",
        "3600000",
    ]))
    .ok();
    // A token without exp is refused by verify unless --exp-optional.
    let forever = go(&mut dstk(&[
        "mint",
        "--team-id",
        "t",
        "--room",
        "r",
        "--no-expiry",
    ]))
    .ok()
    .stdout;
    let forever = forever.trim_end();
    go(&mut dstk(&["verify", forever]))
        .code(2)
        .err_has("DST_ERR_MISSING_CLAIM");
    go(&mut dstk(&["verify", "--exp-optional", forever])).ok();
    // Expected team and room: another is refused with exit status 4, naming the token's.
    let now = NOW.to_string();
    let token = mint_fixed(&[]);
    go(&mut dstk(&[
        "verify",
        "--now",
        &now,
        "--expect-team-id",
        "team-1",
        "--expect-room",
        "demo",
        &token,
    ]))
    .ok();
    go(&mut dstk(&[
        "verify",
        "--now",
        &now,
        "--expect-team-id",
        "team-2",
        &token,
    ]))
    .code(4)
    .err_has("DST_ERR_CLAIM_MISMATCH")
    .err_has("\"team-1\"");
    go(&mut dstk(&[
        "verify",
        "--now",
        &now,
        "--require",
        "ud",
        &token,
    ]))
    .code(2)
    .err_has("claim \"ud\"");
}
