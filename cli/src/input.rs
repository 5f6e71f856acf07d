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

/// `bytes` without one trailing newline ("\n" or "\r\n"), nothing else removed.
fn without_one_newline(bytes: &[u8]) -> &[u8] {
    match bytes {
        [rest @ .., b'\r', b'\n'] | [rest @ .., b'\n'] => rest,
        _ => bytes,
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

/// Zeroes `bytes` with volatile writes (the compiler may not drop them as dead stores).
fn wipe(bytes: &mut [u8]) {
    for b in bytes.iter_mut() {
        // SAFETY: `b` is a valid, exclusive reference to one byte.
        unsafe { std::ptr::write_volatile(b, 0) };
    }
    std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
}

/// Key bytes in a buffer of fixed capacity, allocated once and zeroed when dropped: reading
/// into it never reallocates, so no copy of the key is left behind in freed memory (a growing
/// `Vec` leaves one in every block it outgrows).
struct SecretBuf {
    buf: Box<[u8]>,
    len: usize,
}

impl SecretBuf {
    fn with_capacity(cap: usize) -> Self {
        SecretBuf {
            buf: vec![0u8; cap].into_boxed_slice(),
            len: 0,
        }
    }

    /// Reads until end of input or until the buffer is full.
    fn read_from(&mut self, mut r: impl Read) -> std::io::Result<()> {
        while self.len < self.buf.len() {
            match r.read(&mut self.buf[self.len..]) {
                Ok(0) => break,
                Ok(n) => self.len += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Copies `bytes` in (the buffer must be large enough: made with their length).
    fn from_bytes(bytes: &[u8]) -> Self {
        let mut s = SecretBuf::with_capacity(bytes.len());
        s.buf.copy_from_slice(bytes);
        s.len = bytes.len();
        s
    }

    fn trim_one_newline(&mut self) {
        self.len = without_one_newline(&self.buf[..self.len]).len();
    }

    fn bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl Drop for SecretBuf {
    fn drop(&mut self) {
        wipe(&mut self.buf);
    }
}

/// Reads at most `MAX_KEY_LEN` bytes (plus a newline) into a zeroising buffer and removes one
/// trailing newline.
fn read_key_bytes(r: impl Read, source: &str) -> Result<SecretBuf, Failure> {
    let mut secret = SecretBuf::with_capacity(MAX_KEY_LEN + 3);
    secret
        .read_from(r)
        .map_err(|e| Failure::io(format!("cannot read the {source}: {e}")))?;
    secret.trim_one_newline();
    if secret.len > MAX_KEY_LEN {
        return Err(Failure::io(format!(
            "the {source} is over {MAX_KEY_LEN} bytes: is it the right file?"
        )));
    }
    Ok(secret)
}

/// Refuses a key file that every user of the machine can read (as ssh does for private keys);
/// a group-readable file stays allowed (a service account's group). Only regular files are
/// checked: a pipe or a device (`<(pass show key)`, /dev/stdin) is no file others read later.
#[cfg(unix)]
fn check_key_file_mode(file: &std::fs::File, path: &Path) -> Result<(), Failure> {
    use std::os::unix::fs::PermissionsExt;
    let meta = file
        .metadata()
        .map_err(|e| Failure::io(format!("cannot read the key file {}: {e}", path.display())))?;
    let mode = meta.permissions().mode() & 0o7777;
    if meta.is_file() && mode & 0o004 != 0 {
        return Err(Failure::io(format!(
            "the key file {p} is readable by every user of this machine (mode {mode:04o}); \
             make it private: chmod 600 {p} (or chmod 640 to share it with a group)",
            p = path.display()
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_key_file_mode(_file: &std::fs::File, _path: &Path) -> Result<(), Failure> {
    Ok(())
}

/// Loads the key: `--key-file`, else `--key-stdin`, else the environment variable.
pub fn load_key(key_file: Option<&Path>, key_stdin: bool) -> Result<SigningKey, Failure> {
    let secret: SecretBuf;
    let source: String;
    if let Some(path) = key_file {
        source = format!("key file {}", path.display());
        let file = std::fs::File::open(path)
            .map_err(|e| Failure::io(format!("cannot read the {source}: {e}")))?;
        check_key_file_mode(&file, path)?;
        secret = read_key_bytes(file, &source)?;
    } else if key_stdin {
        source = "key on standard input (--key-stdin)".to_string();
        secret = read_key_bytes(std::io::stdin().lock(), &source)?;
    } else {
        match std::env::var_os(KEY_ENV) {
            Some(v) => {
                source = format!("{KEY_ENV} environment variable");
                let mut bytes = env_bytes(v);
                let mut s = SecretBuf::from_bytes(&bytes);
                wipe(&mut bytes);
                // As for a file or standard input: a variable set from a file's whole text, or
                // a .env line, often ends in one.
                s.trim_one_newline();
                secret = s;
            }
            None => return Err(Failure::io(format!("no developer key: {KEY_WAYS}"))),
        }
    }
    // The key is text: the core refuses an empty one and whitespace at either end (after the
    // one trailing newline removed above).
    SigningKey::from_text(secret.bytes()).map_err(|e| {
        Failure::io(format!(
            "the {source}: {}; {KEY_WAYS}",
            crate::out::compose(e.parts())
        ))
    })
    // `secret` is zeroed when dropped here.
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
            let n = without_one_newline(&bytes).len();
            bytes.truncate(n);
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
/// A join URL given where a token belongs: the core says so (`Reason::IsUrl`), and the tool
/// takes the token from its `token` parameter (`command` names the subcommand in the note).
pub fn token_of_url(arg: String, command: &str) -> Result<String, Failure> {
    match dstoken::decode_unverified(&arg) {
        Err(e) if e.parts().reason == dstoken::Reason::IsUrl => {}
        _ => return Ok(arg),
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
    use super::{token_param, without_one_newline, SecretBuf};

    #[test]
    fn secret_buffer_reads_without_growing() {
        let mut s = SecretBuf::with_capacity(8);
        s.read_from(&b"0123456789"[..]).unwrap();
        assert_eq!(s.bytes(), b"01234567", "stops at its capacity");
        let ptr = s.buf.as_ptr();
        s.read_from(&b"x"[..]).unwrap();
        assert_eq!(s.buf.as_ptr(), ptr, "never reallocates");
    }

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
            assert_eq!(without_one_newline(input), want, "{input:?}");
            let mut s = SecretBuf::from_bytes(input);
            s.trim_one_newline();
            assert_eq!(s.bytes(), want, "{input:?}");
        }
    }
}
