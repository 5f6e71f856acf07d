//! Where the key and the token come from. The key never comes from an argument, and no
//! message here ever contains key bytes.
use crate::out::Failure;
use dstoken::SigningKey;
use std::ffi::OsString;
use std::io::{IsTerminal, Read};
use std::path::Path;

/// The environment variable that holds the developer key.
pub const KEY_ENV: &str = "DIGITALSAMBA_DEVELOPER_KEY";

const KEY_WAYS: &str = "give the developer key in the DIGITALSAMBA_DEVELOPER_KEY environment \
                        variable, in a file with --key-file PATH, or on standard input with --key-stdin";

/// Removes one trailing newline ("\n" or "\r\n"), nothing else.
fn trim_one_newline(bytes: &mut Vec<u8>) {
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
    }
}

fn env_bytes(v: OsString) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        v.into_vec()
    }
    #[cfg(not(unix))]
    {
        v.to_string_lossy().into_owned().into_bytes()
    }
}

/// Keys longer than this are refused (a developer key is a few dozen bytes; this catches a
/// wrong file, or /dev/zero, before it fills memory).
pub const MAX_KEY_LEN: usize = 65_536;

/// Reads at most `MAX_KEY_LEN` bytes (plus a newline) and removes one trailing newline.
fn read_key_bytes(r: impl Read, source: &str) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    r.take(MAX_KEY_LEN as u64 + 3)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::io(format!("cannot read the {source}: {e}")))?;
    trim_one_newline(&mut bytes);
    if bytes.len() > MAX_KEY_LEN {
        bytes.iter_mut().for_each(|b| *b = 0);
        return Err(Failure::io(format!(
            "the {source} is over {MAX_KEY_LEN} bytes: is it the right file?"
        )));
    }
    Ok(bytes)
}

/// Loads the key: `--key-file`, else `--key-stdin`, else the environment variable.
pub fn load_key(key_file: Option<&Path>, key_stdin: bool) -> Result<SigningKey, Failure> {
    let mut secret: Vec<u8>;
    let source: String;
    if let Some(path) = key_file {
        source = format!("key file {}", path.display());
        let file = std::fs::File::open(path)
            .map_err(|e| Failure::io(format!("cannot read the {source}: {e}")))?;
        secret = read_key_bytes(file, &source)?;
    } else if key_stdin {
        source = "key on standard input (--key-stdin)".to_string();
        secret = read_key_bytes(std::io::stdin().lock(), &source)?;
    } else {
        match std::env::var_os(KEY_ENV) {
            Some(v) => {
                source = format!("{KEY_ENV} environment variable");
                secret = env_bytes(v);
                // As for a file or standard input: `export KEY=$(cat key)` keeps none, but a
                // variable set from a file's whole text, or a .env line, often has one.
                trim_one_newline(&mut secret);
            }
            None => return Err(Failure::io(format!("no developer key: {KEY_WAYS}"))),
        }
    }
    if secret.is_empty() {
        return Err(Failure::io(format!(
            "the {source} is empty (after removing one trailing newline); {KEY_WAYS}"
        )));
    }
    let key = SigningKey::new(&secret).map_err(|e| Failure::io(format!("the {source}: {e}")));
    // Best effort: do not leave the secret in freed memory (black_box keeps the writes).
    secret.iter_mut().for_each(|b| *b = 0);
    std::hint::black_box(&secret);
    key
}

/// The token from the argument, or from standard input when the argument is `-` or absent.
/// Standard input loses one trailing newline; any other whitespace is refused.
pub fn read_token(arg: Option<&str>, key_stdin: bool) -> Result<String, Failure> {
    match arg {
        Some(t) if t != "-" => Ok(t.to_string()),
        _ if key_stdin => Err(Failure::usage(
            "--key-stdin reads the key from standard input, so give the token as an argument",
        )),
        None if std::io::stdin().is_terminal() => Err(Failure::usage(
            "no token: give it as an argument, or pipe it in (with '-' or no argument)",
        )),
        _ => {
            // A token is at most dstoken::MAX_TOKEN_LEN bytes: read a little more, never all.
            let limit = dstoken::MAX_TOKEN_LEN + 3;
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .take(limit as u64)
                .read_to_end(&mut bytes)
                .map_err(|e| {
                    Failure::io(format!("cannot read the token from standard input: {e}"))
                })?;
            if bytes.len() >= limit {
                return Err(Failure::malformed(format!(
                    "the token on standard input is over the {}-byte limit",
                    dstoken::MAX_TOKEN_LEN
                )));
            }
            trim_one_newline(&mut bytes);
            let text = String::from_utf8(bytes).map_err(|e| {
                Failure::malformed(format!(
                    "the token on standard input is not UTF-8 (at byte {})",
                    e.utf8_error().valid_up_to()
                ))
            })?;
            if text.is_empty() {
                return Err(Failure::malformed(
                    "no token on standard input: give it as an argument or pipe it in",
                ));
            }
            if let Some((at, c)) = text.char_indices().find(|(_, c)| c.is_whitespace()) {
                return Err(Failure::malformed(format!(
                    "the token on standard input contains whitespace ({c:?} at byte {at}); \
                     only one trailing newline is removed"
                )));
            }
            Ok(text)
        }
    }
}

/// Whether `s` is a URL rather than a token (as the library tells it).
fn looks_like_url(s: &str) -> bool {
    let starts =
        |p: &str| s.len() >= p.len() && s.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    starts("http://") || starts("https://") || s.contains("?token=")
}

/// The value of the `token` parameter of a URL's query, if any (up to '&' or '#').
fn token_param(url: &str) -> Option<&str> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
}

/// A whole join URL given where a token is expected: the token from its `token` parameter,
/// with a note on standard error saying so. Anything else is returned unchanged.
pub fn token_of_url(arg: String, command: &str) -> Result<String, Failure> {
    if !looks_like_url(&arg) {
        return Ok(arg);
    }
    match token_param(&arg) {
        Some(t) if !t.is_empty() => {
            eprintln!(
                "dstoken {command}: the argument is a URL; using the token from its token parameter"
            );
            Ok(t.to_string())
        }
        _ => Err(Failure::malformed(
            "this is a URL without a token parameter, not a token: pass the token alone (or a \
             join URL ending in ?token=...)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::{token_param, trim_one_newline};

    #[test]
    fn token_parameter_of_a_url() {
        for (url, want) in [
            ("https://acme.digitalsamba.com/r?token=a.b.c", Some("a.b.c")),
            ("https://h/r?x=1&token=a.b.c&y=2", Some("a.b.c")),
            ("https://h/r?token=a.b.c#frag", Some("a.b.c")),
            ("https://h/r?tokens=1", None),
            ("https://h/r", None),
        ] {
            assert_eq!(token_param(url), want, "{url}");
        }
    }

    #[test]
    fn trims_exactly_one_newline() {
        for (input, want) in [
            (&b"k\n"[..], &b"k"[..]),
            (b"k\r\n", b"k"),
            (b"k\n\n", b"k\n"),
            (b"k", b"k"),
            (b"k\r", b"k\r"),
            (b"\n", b""),
            (b"", b""),
            (b"k \n", b"k "),
        ] {
            let mut v = input.to_vec();
            trim_one_newline(&mut v);
            assert_eq!(v, want, "{input:?}");
        }
    }
}
