//! Room join URLs: `https://<team>.digitalsamba.com/<room>?token=<token>`.
use crate::error::{Error, Result};

fn is_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// The host for `team`: `<team>.digitalsamba.com`, or `team` itself when it contains a dot (a
/// custom domain, optionally with `:port`).
fn host(team: &str) -> Result<String> {
    if !team.contains('.') {
        if is_label(team) {
            return Ok(format!("{team}.digitalsamba.com"));
        }
        return Err(Error::invalid(format!(
            "team {team:?} is not a valid host label (letters, digits and inner hyphens, at most 63)"
        )));
    }
    let (name, port) = match team.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (team, None),
    };
    let port_ok = port.is_none_or(|p| {
        !p.is_empty()
            && p.len() <= 5
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u16>().is_ok_and(|n| n > 0)
    });
    if name.len() <= 253 && name.split('.').all(is_label) && port_ok {
        Ok(team.to_ascii_lowercase())
    } else {
        Err(Error::invalid(format!(
            "team {team:?} is not a valid domain name"
        )))
    }
}

fn percent_encode_segment(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
}

/// Builds the URL that admits the token's holder to `room`. A `None` token gives the
/// public-room URL. The room is percent-encoded as one path segment.
pub fn join_url(team: &str, room: &str, token: Option<&str>) -> Result<String> {
    let host = host(team)?;
    if room.is_empty() || room == "." || room == ".." {
        return Err(Error::invalid(format!(
            "room {room:?} is not a usable path segment"
        )));
    }
    let mut url = format!("https://{host}/");
    percent_encode_segment(room, &mut url);
    if let Some(token) = token {
        let ok = !token.is_empty()
            && token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if !ok {
            return Err(Error::invalid(
                "token has characters a compact JWT never contains",
            ));
        }
        url.push_str("?token=");
        url.push_str(token);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_subdomain_and_custom_domain() {
        assert_eq!(
            join_url("acme", "daily", Some("a.b.c")).unwrap(),
            "https://acme.digitalsamba.com/daily?token=a.b.c"
        );
        assert_eq!(
            join_url("meet.example.com", "daily", None).unwrap(),
            "https://meet.example.com/daily"
        );
        assert_eq!(
            join_url("Meet.Example.com:8443", "r", None).unwrap(),
            "https://meet.example.com:8443/r"
        );
    }

    #[test]
    fn room_is_one_encoded_segment() {
        assert_eq!(
            join_url("acme", "a b/c?d#é", None).unwrap(),
            "https://acme.digitalsamba.com/a%20b%2Fc%3Fd%23%C3%A9"
        );
        for room in ["", ".", ".."] {
            assert!(join_url("acme", room, None).is_err());
        }
    }

    #[test]
    fn bad_hosts_and_tokens() {
        for team in [
            "",
            "-a",
            "a-",
            "a_b",
            "a b",
            "evil.com/x",
            "a..b",
            ".a",
            "a.",
            "a@b.c",
            "a.b:0",
            "a.b:99999",
            "a.b:",
            "a.b:x",
        ] {
            assert!(join_url(team, "r", None).is_err(), "{team}");
        }
        assert!(join_url("acme", "r", Some("")).is_err());
        assert!(join_url("acme", "r", Some("a.b&x=1")).is_err());
    }
}
