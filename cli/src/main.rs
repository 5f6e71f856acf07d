//! `dstoken`: mint, verify and decode Digital Samba room tokens from a shell.
//!
//! A thin front end over the dstoken Rust core: clap parses, the core signs and verifies.
//! The key never comes from an argument and never appears in any output.
mod input;
mod jwt;
mod out;
mod schema;
mod times;

use clap::{ArgGroup, Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use out::{code, Failure, Obj, TimeDetail};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

const KEY_HELP: &str = "\
Key (mint, verify): the team's developer key comes from the DIGITALSAMBA_DEVELOPER_KEY environment
variable, from a file (--key-file PATH) or from standard input (--key-stdin); never from an
argument, which every user of the machine could see in `ps`. --key-file and --key-stdin win over
the variable. The key is used as raw bytes; from the variable, a file or standard input one
trailing newline (\\n or \\r\\n) is removed, nothing else. An empty key is an error. The key is
never printed.";

const EXIT_HELP: &str = "\
Exit status:
  0  success
  1  key or I/O error: no key, unreadable or empty key file, unreadable input, failed output
     (also an internal error)
  2  usage error: unknown or conflicting options, invalid UTF-8 in an argument, bad durations or
     times, claim values the library refuses
  3  the token is malformed (also: whitespace in a token read from standard input) or uses an
     unsupported algorithm or header
  4  the token's signature does not match the key
  5  the token has expired or is not yet valid (DST_ERR_EXPIRED, DST_ERR_NOT_YET_VALID)";

const TOP_AFTER: &str = concat!(
    "Examples:\n",
    "  export DIGITALSAMBA_DEVELOPER_KEY=...   # or --key-file PATH, --key-stdin\n",
    "  dstoken mint --team-id 3f1c... --room demo --user-name Ada --ttl 1h\n",
    "  dstoken mint --team-id 3f1c... --room demo --ttl 1h --url --team acme\n",
    "  dstoken verify \"$TOKEN\"\n",
    "  dstoken decode - < token.txt\n",
    "  dstoken url --team acme --room demo \"$TOKEN\"\n",
    "\n",
    "JSON: with --json every subcommand prints one JSON object on standard output with \"ok\"\n",
    "(true/false) and \"command\"; a failure has \"error\": {exit_code, class, status, message} and for\n",
    "time failures claim, claim_time, now, leeway (the human message still goes to standard error).\n",
    "Command-line parse errors are reported by the parser on standard error only (exit 2).\n",
    "\n"
);

/// Mint, verify and decode Digital Samba room tokens (HS256 JWTs).
#[derive(Parser)]
#[command(
    name = "dstoken",
    version = dstoken::VERSION,
    propagate_version = true,
    arg_required_else_help = true,
    after_help = format!("{TOP_AFTER}{KEY_HELP}\n\n{EXIT_HELP}")
)]
struct Cli {
    /// Print one JSON object on standard output instead of text (shape: `dstoken --help`, README).
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Mint(Box<MintArgs>),
    Verify(VerifyArgs),
    Decode(DecodeArgs),
    Url(UrlArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) to standard output.
    #[command(
        after_help = "Examples:\n  dstoken completions bash > /etc/bash_completion.d/dstoken\n  dstoken completions zsh > \"${fpath[1]}/_dstoken\""
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to standard output, or write dstoken.1 and one page per
    /// subcommand into --out-dir.
    #[command(hide = true)]
    Man {
        /// Write dstoken.1, dstoken-mint.1, ... into this directory.
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
}

#[derive(Args)]
struct KeyArgs {
    /// Read the developer key from this file (raw bytes; one trailing newline is removed; an
    /// empty file is an error).
    #[arg(long, value_name = "PATH", conflicts_with = "key_stdin")]
    key_file: Option<PathBuf>,
    /// Read the developer key from standard input (raw bytes; one trailing newline is removed).
    #[arg(long)]
    key_stdin: bool,
}

/// Mint (sign) a room token and print it, or with --url the join URL.
#[derive(Args)]
#[command(
    group(ArgGroup::new("lifetime").args(["ttl", "expires_at", "no_expiry"]).required(true)),
    group(ArgGroup::new("target").args(["team", "domain"])),
    after_help = concat!(
        "Times: either relative (--ttl, optionally --not-before-skew and --now) or explicit\n",
        "(--issued-at, --not-before, --expires-at as unix seconds or RFC 3339 such as\n",
        "2025-06-01T12:00:00Z or 2025-06-01T14:00:00+02:00). One of --ttl, --expires-at or\n",
        "--no-expiry is required. Times lie between 1970 and 9999-12-31T23:59:59Z in seconds\n",
        "(a time in milliseconds is refused as such), and an --expires-at that is already past\n",
        "(at --now or the clock) is refused. Durations: 30s, 15m, 1h, 1d, 1h30m (bare digits\n",
        "are seconds).\n",
        "Key: DIGITALSAMBA_DEVELOPER_KEY, --key-file PATH or --key-stdin; never an argument.\n\n",
        "Examples:\n",
        "  dstoken mint --team-id 3f1c... --room demo --user-name Ada --role moderator --ttl 1h\n",
        "  dstoken mint --team-id 3f1c... --room demo --ttl 15m --not-before-skew 30s\n",
        "  dstoken mint --team-id 3f1c... --room demo --expires-at 2025-06-01T18:00:00+02:00\n",
        "  dstoken mint --team-id 3f1c... --room demo --ttl 1h --claim plan=pro --json-claim seats=12\n",
        "  dstoken mint --team-id 3f1c... --room demo --ttl 1h --url --team acme\n",
        "  dstoken mint --key-file ~/.config/dstoken/key --team-id 3f1c... --room demo --ttl 1h --json"
    )
)]
struct MintArgs {
    /// Team id (claim td). Required.
    #[arg(long, value_name = "ID")]
    team_id: String,
    /// Room id or friendly URL (claim rd). Required.
    #[arg(long, value_name = "ROOM")]
    room: String,
    /// User name (claim u).
    #[arg(long, value_name = "NAME")]
    user_name: Option<String>,
    /// User id (claim ud).
    #[arg(long, value_name = "ID")]
    user_id: Option<String>,
    /// Initials (claim initials).
    #[arg(long, value_name = "TEXT")]
    initials: Option<String>,
    /// Role (claim role), e.g. moderator.
    #[arg(long, value_name = "ROLE")]
    role: Option<String>,
    /// Breakout room id (claim breakoutId).
    #[arg(long, value_name = "ID")]
    breakout_id: Option<String>,
    /// Avatar URL (claim avatar).
    #[arg(long, value_name = "URL")]
    avatar: Option<String>,
    /// Lifetime: iat = now, exp = now + DURATION (e.g. 1h).
    #[arg(long, value_name = "DURATION", value_parser = positive_duration)]
    ttl: Option<i64>,
    /// With --ttl: the longest lifetime accepted (default 30d). A longer --ttl is refused, so
    /// that milliseconds given as seconds are caught; raise it to mint longer-lived tokens.
    #[arg(long, value_name = "DURATION", requires = "ttl", value_parser = positive_duration)]
    max_ttl: Option<i64>,
    /// With --ttl: nbf = now - DURATION, for clocks that run a little behind (e.g. 30s).
    #[arg(long, value_name = "DURATION", requires = "ttl", value_parser = times::parse_duration)]
    not_before_skew: Option<i64>,
    /// The "now" to mint at instead of the system clock (unix seconds or RFC 3339): with --ttl
    /// iat = now; with --expires-at the time it must be after.
    #[arg(long, value_name = "TIME", value_parser = times::parse_time)]
    now: Option<i64>,
    /// Explicit iat (unix seconds or RFC 3339).
    #[arg(long, value_name = "TIME", conflicts_with = "ttl", value_parser = times::parse_time)]
    issued_at: Option<i64>,
    /// Explicit nbf (unix seconds or RFC 3339).
    #[arg(long, value_name = "TIME", conflicts_with = "ttl", value_parser = times::parse_time)]
    not_before: Option<i64>,
    /// Explicit exp (unix seconds or RFC 3339).
    #[arg(long, value_name = "TIME", value_parser = times::parse_time)]
    expires_at: Option<i64>,
    /// Mint a token without exp (it never expires). Think twice.
    #[arg(long)]
    no_expiry: bool,
    /// A custom string claim (repeatable); the value is everything after the first '='.
    #[arg(long = "claim", value_name = "NAME=VALUE")]
    claims: Vec<String>,
    /// A custom claim with a JSON value (repeatable): seats=12, tags='["a","b"]', vip=true.
    #[arg(long = "json-claim", value_name = "NAME=JSON")]
    json_claims: Vec<String>,
    /// Print the join URL (needs --team or --domain) instead of the bare token.
    #[arg(long, requires = "target")]
    url: bool,
    /// With --url: the team subdomain (lowercased); the URL is https://TEAM.digitalsamba.com/ROOM?token=...
    #[arg(long, value_name = "TEAM", requires = "url")]
    team: Option<String>,
    /// With --url: the team's custom domain (meet.example.com, lowercased; no IP address)
    /// instead of --team: https://DOMAIN/ROOM?token=...
    #[arg(
        long = "domain",
        visible_alias = "host",
        value_name = "DOMAIN",
        requires = "url"
    )]
    domain: Option<String>,
    /// With --domain: accept a port (meet.example.com:8443), refused otherwise.
    #[arg(long, requires = "domain")]
    allow_port: bool,
    #[command(flatten)]
    key: KeyArgs,
}

/// Verify a token with the key: signature, then times; print its claims.
#[derive(Args)]
#[command(after_help = concat!(
    "The token comes from the argument, or from standard input when it is '-' or absent (one\n",
    "trailing newline is removed; any other whitespace is an error). On failure the status name\n",
    "and message are printed (for time failures also the claim's time, now and the leeway) and\n",
    "the exit status tells the class: 3 malformed/unsupported, 4 bad signature, 5 expired or not\n",
    "yet valid, 1 key problems, 2 usage.\n",
        "Key: DIGITALSAMBA_DEVELOPER_KEY, --key-file PATH or --key-stdin; never an argument; one\n",
    "trailing newline is removed from each. A whole join URL (https://...?token=...) is accepted:\n",
    "the token is taken from its token parameter (and a note says so on standard error).\n\n",
    "Examples:\n",
    "  dstoken verify \"$TOKEN\"\n",
    "  dstoken verify --leeway 30s - < token.txt\n",
    "  dstoken verify --key-file key.txt --now 2025-06-01T12:00:00Z --json \"$TOKEN\"\n",
    "  dstoken verify \"$TOKEN\" || echo \"refused with exit status $?\""
))]
struct VerifyArgs {
    /// The token, or '-' (or nothing) to read it from standard input.
    #[arg(value_name = "TOKEN|-")]
    token: Option<String>,
    /// Allowed clock difference for exp, nbf and iat (e.g. 30s; at most 4294967295 s).
    #[arg(long, value_name = "DURATION", default_value = "0", value_parser = leeway)]
    leeway: u32,
    /// Verify as if it were this time (unix seconds or RFC 3339) instead of the system clock.
    #[arg(long, value_name = "TIME", value_parser = times::parse_time)]
    now: Option<i64>,
    /// Accept a token without exp (one that never expires), refused otherwise.
    #[arg(long)]
    exp_optional: bool,
    /// A claim the token must carry (repeatable), e.g. --require ud.
    #[arg(long = "require", value_name = "CLAIM")]
    required: Vec<String>,
    /// The team id (claim td) the token must carry; another is refused (exit status 4).
    #[arg(long, value_name = "ID")]
    expect_team_id: Option<String>,
    /// The room (claim rd) the token must carry; another is refused (exit status 4).
    #[arg(long, value_name = "ROOM")]
    expect_room: Option<String>,
    #[command(flatten)]
    key: KeyArgs,
}

/// Show a token's header and claims WITHOUT verifying it (no key needed).
#[derive(Args)]
#[command(after_help = concat!(
    "The output is marked NOT VERIFIED: anyone can write a token that decodes; only `dstoken\n",
    "verify` checks the signature. Exit status 3 when the token is not a well-formed JWT.\n\n",
    "Examples:\n",
    "  dstoken decode \"$TOKEN\"\n",
    "  pbpaste | dstoken decode --json - | jq .claims"
))]
struct DecodeArgs {
    /// The token, or '-' (or nothing) to read it from standard input.
    #[arg(value_name = "TOKEN|-")]
    token: Option<String>,
    /// Describe exp/nbf/iat relative to this time (unix seconds or RFC 3339) instead of the clock.
    #[arg(long, value_name = "TIME", value_parser = times::parse_time)]
    now: Option<i64>,
}

/// Print the join URL for a room and a token (no key needed; the token is not checked).
#[derive(Args)]
#[command(
    group(ArgGroup::new("target").args(["team", "domain"]).required(true)),
    after_help = concat!(
        "Examples:\n",
        "  dstoken url --team acme --room demo \"$TOKEN\"\n",
        "  dstoken url --domain meet.example.com --room demo \"https://acme.digitalsamba.com/demo?token=...\"\n",
        "  dstoken mint --team-id 3f1c... --room demo --ttl 1h | dstoken url --domain rooms.example.com --room demo -"
    )
)]
struct UrlArgs {
    /// The team subdomain (lowercased): https://TEAM.digitalsamba.com/...
    #[arg(long, value_name = "TEAM")]
    team: Option<String>,
    /// The team's custom domain (meet.example.com, lowercased; no IP address) instead of
    /// --team: https://DOMAIN/...
    #[arg(long = "domain", visible_alias = "host", value_name = "DOMAIN")]
    domain: Option<String>,
    /// With --domain: accept a port (meet.example.com:8443), refused otherwise.
    #[arg(long, requires = "domain")]
    allow_port: bool,
    /// The room (percent-encoded as one path segment).
    #[arg(long, value_name = "ROOM")]
    room: String,
    /// The token, or '-' (or nothing) to read it from standard input.
    #[arg(value_name = "TOKEN|-")]
    token: Option<String>,
}

fn positive_duration(s: &str) -> Result<i64, String> {
    match times::parse_duration(s)? {
        0 => Err(format!("duration {s:?} must be more than 0 seconds")),
        n => Ok(n),
    }
}

fn leeway(s: &str) -> Result<u32, String> {
    let n = times::parse_duration(s)?;
    u32::try_from(n).map_err(|_| format!("leeway {s:?} is over 4294967295 seconds"))
}

/// The host argument for `dstoken::join_url`: a team label (no dot) or a custom domain.
fn url_target(team: Option<&str>, domain: Option<&str>) -> Result<String, Failure> {
    match (team, domain) {
        (Some(t), _) if t.contains('.') => Err(Failure::usage(format!(
            "--team takes a team subdomain such as acme, not a domain ({t:?}); use --domain for a custom domain"
        ))),
        (Some(t), _) => Ok(t.to_string()),
        (None, Some(h)) if !h.contains('.') => Err(Failure::usage(format!(
            "--domain takes a domain name such as meet.example.com ({h:?} has no dot); use --team for a team subdomain"
        ))),
        (None, Some(h)) => Ok(h.to_string()),
        (None, None) => Err(Failure::usage("give --team or --domain")),
    }
}

fn join_url(
    team: Option<&str>,
    domain: Option<&str>,
    allow_port: bool,
    room: &str,
    token: &str,
) -> Result<String, Failure> {
    let target = url_target(team, domain)?;
    let opts = dstoken::UrlOptions::default().allow_port(allow_port);
    // The library's host argument is --team or --domain here.
    let spelled = if team.is_some() {
        None
    } else {
        Some("--domain")
    };
    dstoken::join_url_with(&target, room, Some(token), &opts)
        .map_err(|e| Failure::from_core_as(&e, spelled))
}

/// What a command prints on success: text and the JSON object.
struct Output {
    text: String,
    json: String,
}

fn mint(a: &MintArgs, custom: &[(usize, bool, &str)]) -> Result<Output, Failure> {
    let core = |e: dstoken::Error| Failure::from_core(&e);
    let mut c = dstoken::Claims::new();
    c.set_team_id(&a.team_id).map_err(core)?;
    c.set_room(&a.room).map_err(core)?;
    type Setter = fn(&mut dstoken::Claims, &str) -> dstoken::Result<()>;
    let optional: [(&Option<String>, Setter); 6] = [
        (&a.user_name, dstoken::Claims::set_user_name),
        (&a.user_id, dstoken::Claims::set_user_id),
        (&a.initials, dstoken::Claims::set_initials),
        (&a.role, dstoken::Claims::set_role),
        (&a.breakout_id, dstoken::Claims::set_breakout_id),
        (&a.avatar, dstoken::Claims::set_avatar),
    ];
    for (value, set) in optional {
        if let Some(v) = value {
            set(&mut c, v).map_err(core)?;
        }
    }
    // (clap's `requires = "ttl"` is not enforced for an argument of a required group.)
    if a.ttl.is_none() && a.not_before_skew.is_some() {
        return Err(Failure::usage(
            "--not-before-skew works only with --ttl (relative times); with explicit times give --not-before",
        ));
    }
    if a.now.is_some() && a.ttl.is_none() && a.expires_at.is_none() {
        return Err(Failure::usage(
            "--now works only with --ttl (iat = now) or --expires-at (the time it must be after)",
        ));
    }
    if let Some(now) = a.now {
        dstoken::check_sign_time("now", now).map_err(|e| core(e.for_arg(dstoken::Arg::Now)))?;
    }
    if let Some(ttl) = a.ttl {
        // Every lifetime rule (positive, at most --max-ttl) is the library's.
        c.set_lifetime_at(a.now.unwrap_or(0), ttl, 0, a.not_before_skew, a.max_ttl)
            .map_err(core)?;
    } else {
        if let Some(t) = a.issued_at {
            c.set_issued_at(t).map_err(core)?;
        }
        if let Some(t) = a.not_before {
            c.set_not_before(t).map_err(core)?;
        }
        if let Some(exp) = a.expires_at {
            c.set_expires_at(exp).map_err(core)?;
            // A token already expired when minted admits no one.
            dstoken::check_not_expired(exp, dstoken::given_now(a.now)).map_err(core)?;
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    for &(_, is_json, spec) in custom {
        let opt = if is_json { "--json-claim" } else { "--claim" };
        let Some((name, value)) = spec.split_once('=') else {
            return Err(Failure::usage(format!(
                "{opt} {spec:?}: expected NAME=VALUE (no '=' found)"
            )));
        };
        // The library refuses an empty name and the registered claims' names.
        dstoken::Claims::check_custom_name(name).map_err(core)?;
        if seen.contains(&name) {
            return Err(Failure::usage(format!(
                "{opt} {name}: claim \"{name}\" is given twice"
            )));
        }
        seen.push(name);
        let r = if is_json {
            c.set_json(name, value)
        } else {
            c.set_string(name, value)
        };
        r.map_err(core)?;
    }

    let key = input::load_key(a.key.key_file.as_deref(), a.key.key_stdin)?;
    let token = dstoken::sign(&c, &key).map_err(core)?;
    let url = if a.url {
        Some(join_url(
            a.team.as_deref(),
            a.domain.as_deref(),
            a.allow_port,
            &a.room,
            &token,
        )?)
    } else {
        None
    };
    let o = Obj::new()
        .bool("ok", true)
        .str("command", "mint")
        .str("token", &token);
    let o = match &url {
        Some(u) => o.str("url", u),
        None => o.null("url"),
    };
    let json = o.raw("claims", &c.to_json()).finish();
    Ok(Output {
        text: format!("{}\n", url.as_deref().unwrap_or(&token)),
        json,
    })
}

const TIME_CLAIMS: [&str; 3] = ["iat", "nbf", "exp"];

/// The text listing of members, with time claims spelled out relative to `now`.
fn list(m: &jwt::Members, now: i64, times_too: bool) -> String {
    // Names are printed bare unless they need quoting (control characters, quotes, spaces).
    let show = |name: &str| {
        let quoted = out::json_str(name);
        if quoted == format!("\"{name}\"") && !name.is_empty() && !name.contains(' ') {
            name.to_string()
        } else {
            quoted
        }
    };
    let width =
        m.0.iter()
            .map(|(n, _)| show(n).chars().count())
            .max()
            .unwrap_or(0);
    let mut s = String::new();
    for (name, value) in &m.0 {
        let shown = show(name);
        s.push_str(&format!("  {shown:<width$}  {}", value.get()));
        if times_too && TIME_CLAIMS.contains(&name.as_str()) {
            if let Ok(t) = value.get().parse::<i64>() {
                let utc = times::rfc3339_utc(t).unwrap_or_else(|| "(outside RFC 3339)".into());
                s.push_str(&format!("  {utc}  ({})", times::relative(name, t, now)));
            }
        }
        s.push('\n');
    }
    s
}

fn times_json(m: &jwt::Members, now: i64) -> String {
    let mut o = Obj::new();
    for name in TIME_CLAIMS {
        if let Some(t) = m.time(name) {
            o = o.raw(name, &out::time_json(name, t, now));
        }
    }
    o.finish()
}

fn verify(a: &VerifyArgs) -> Result<Output, Failure> {
    let key = input::load_key(a.key.key_file.as_deref(), a.key.key_stdin)?;
    let token = input::read_token(a.token.as_deref(), a.key.key_stdin)?;
    let token = input::token_of_url(token, "verify")?;
    let now = dstoken::given_now(a.now);
    let required: Vec<&str> = a.required.iter().map(String::as_str).collect();
    let mut opts = dstoken::VerifyOptions::default();
    opts.now = now;
    opts.leeway = a.leeway;
    opts.require_exp = !a.exp_optional;
    opts.required = &required;
    opts.team_id = a.expect_team_id.as_deref();
    opts.room = a.expect_room.as_deref();
    match dstoken::verify_with(&token, &key, &opts) {
        Ok(_claims) => {
            let d = jwt::decode(&token)
                .map_err(|e| Failure::internal(format!("verified token does not decode: {e}")))?;
            let utc = times::rfc3339_utc(now)
                .map(|u| format!(" ({u})"))
                .unwrap_or_default();
            let text = format!(
                "VERIFIED: the signature matches the key and the times are valid at {now}{utc}, leeway {} s\nheader:\n{}claims:\n{}",
                a.leeway,
                list(&d.header, now, false),
                list(&d.claims, now, true)
            );
            let json = Obj::new()
                .bool("ok", true)
                .str("command", "verify")
                .bool("verified", true)
                .raw("header", &d.header.to_json())
                .raw("claims", &d.claims.to_json())
                .raw("times", &times_json(&d.claims, now))
                .int("now", now)
                .int("leeway", i64::from(a.leeway))
                .finish();
            Ok(Output { text, json })
        }
        Err(e) => {
            let mut f = Failure::from_core(&e);
            // What verify's own options ask of the token, named by the token's claim and the
            // option that asked (the library's argument spellings are the mint's options).
            let p = e.parts();
            match p.reason {
                dstoken::Reason::Missing => {
                    f.message = format!(
                        "the token has no claim \"{}\", which verify requires (--exp-optional \
                         accepts a token without exp; --require names the others)",
                        p.name
                    )
                }
                dstoken::Reason::ClaimMismatch => {
                    let (option, want) = if p.name == "td" {
                        ("--expect-team-id", a.expect_team_id.as_deref())
                    } else {
                        ("--expect-room", a.expect_room.as_deref())
                    };
                    f.message = format!(
                        "the token's claim \"{}\" is \"{}\", not \"{}\" ({option})",
                        p.name,
                        p.text,
                        want.unwrap_or_default()
                    )
                }
                _ => {}
            }
            if matches!(
                e.kind(),
                dstoken::ErrorKind::Expired | dstoken::ErrorKind::NotYetValid
            ) {
                // The signature has been checked by now, so the payload is the signed one.
                f.time = time_detail(&token, e.parts(), now, a.leeway);
            }
            Err(f)
        }
    }
}

/// The time detail of a time failure: the claim the library names, exactly as the token wrote
/// it (a NumericDate may have a fraction or an exponent).
fn time_detail(token: &str, p: &dstoken::Parts, now: i64, leeway: u32) -> Option<TimeDetail> {
    let d = jwt::decode(token).ok()?;
    let claim = ["exp", "nbf", "iat"].into_iter().find(|c| *c == p.name)?;
    Some(TimeDetail {
        claim,
        claim_time: d.claims.get(claim)?.to_string(),
        now,
        leeway,
    })
}

fn decode(a: &DecodeArgs) -> Result<Output, Failure> {
    let token = input::read_token(a.token.as_deref(), false)?;
    let d = jwt::decode(&token).map_err(|e| Failure::from_core(&e))?;
    let now = dstoken::given_now(a.now);
    let text = format!(
        "NOT VERIFIED: decoded without a key; the signature was not checked and anyone could have written these claims.\nheader:\n{}claims:\n{}",
        list(&d.header, now, false),
        list(&d.claims, now, true)
    );
    let json = Obj::new()
        .bool("ok", true)
        .str("command", "decode")
        .bool("verified", false)
        .raw("header", &d.header.to_json())
        .raw("claims", &d.claims.to_json())
        .raw("times", &times_json(&d.claims, now))
        .int("now", now)
        .finish();
    Ok(Output { text, json })
}

fn url(a: &UrlArgs) -> Result<Output, Failure> {
    let token = input::read_token(a.token.as_deref(), false)?;
    let token = input::token_of_url(token, "url")?;
    let u = join_url(
        a.team.as_deref(),
        a.domain.as_deref(),
        a.allow_port,
        &a.room,
        &token,
    )?;
    Ok(Output {
        text: format!("{u}\n"),
        json: Obj::new()
            .bool("ok", true)
            .str("command", "url")
            .str("url", &u)
            .finish(),
    })
}

fn man(out_dir: Option<&std::path::Path>) -> Result<Output, Failure> {
    let cmd = Cli::command();
    match out_dir {
        Some(dir) => {
            clap_mangen::generate_to(cmd, dir).map_err(|e| {
                Failure::io(format!(
                    "cannot write man pages into {}: {e}",
                    dir.display()
                ))
            })?;
            Ok(Output {
                text: String::new(),
                json: Obj::new().bool("ok", true).str("command", "man").finish(),
            })
        }
        None => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut buf)
                .map_err(|e| Failure::io(format!("cannot render the man page: {e}")))?;
            let text = String::from_utf8(buf).map_err(|e| Failure::internal(e.to_string()))?;
            Ok(Output {
                text,
                json: String::new(),
            })
        }
    }
}

fn write_stdout(s: &str) -> Result<(), Failure> {
    let mut o = std::io::stdout().lock();
    o.write_all(s.as_bytes())
        .and_then(|()| o.flush())
        .map_err(|e| Failure::io(format!("cannot write to standard output: {e}")))
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    let (name, result) = match &cli.command {
        Command::Mint(a) => {
            // --claim and --json-claim in command-line order (custom claims keep their order).
            let sub = matches.subcommand_matches("mint");
            let idx = |id: &str| -> Vec<usize> {
                sub.and_then(|m| m.indices_of(id))
                    .map(|i| i.collect())
                    .unwrap_or_default()
            };
            let mut custom: Vec<(usize, bool, &str)> = Vec::new();
            custom.extend(
                idx("claims")
                    .into_iter()
                    .zip(&a.claims)
                    .map(|(i, s)| (i, false, s.as_str())),
            );
            custom.extend(
                idx("json_claims")
                    .into_iter()
                    .zip(&a.json_claims)
                    .map(|(i, s)| (i, true, s.as_str())),
            );
            custom.sort_by_key(|&(i, _, _)| i);
            ("mint", mint(a, &custom))
        }
        Command::Verify(a) => ("verify", verify(a)),
        Command::Decode(a) => ("decode", decode(a)),
        Command::Url(a) => ("url", url(a)),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "dstoken", &mut buf);
            let text = String::from_utf8_lossy(&buf).into_owned();
            (
                "completions",
                Ok(Output {
                    text,
                    json: String::new(),
                }),
            )
        }
        Command::Man { out_dir } => ("man", man(out_dir.as_deref())),
    };
    // completions and man print their documents as they are, --json or not.
    let raw_output = matches!(
        cli.command,
        Command::Completions { .. } | Command::Man { out_dir: None }
    );
    let result = result.and_then(|o| {
        if cli.json && !raw_output {
            write_stdout(&format!("{}\n", o.json))
        } else if raw_output {
            write_stdout(&o.text)
        } else {
            // Claim names and values come from the token: no escape sequence, C1 control or
            // bidi override of theirs reaches the terminal.
            write_stdout(&out::terminal_safe(&o.text))
        }
    });
    match result {
        Ok(()) => ExitCode::from(code::OK),
        Err(f) => {
            if cli.json {
                // Ignore a failure to write the JSON: the exit status still tells.
                let _ = write_stdout(&format!("{}\n", f.json(name)));
            }
            let human = f.human(name);
            let _ = std::io::stderr().write_all(out::terminal_safe(&human).as_bytes());
            ExitCode::from(f.code)
        }
    }
}
