//! Room join URLs: `https://<team>.digitalsamba.com/<room>?token=<token>`, or on a team's own
//! domain `https://meet.example.com/<room>?token=<token>`.
use crate::error::{Arg, Error, Reason, Result};

/// Options of [`join_url_with`]. New options may be added (hence `#[non_exhaustive]`): start
/// from [`UrlOptions::default`] and set what you need.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct UrlOptions {
    /// Accept a custom domain with a port (`meet.example.com:8443`). Off by default: Digital
    /// Samba serves rooms on port 443, and `host:port` in a team argument is far more often a
    /// mistake (a local test server, a copied address) than a real room host.
    pub allow_port: bool,
}

impl UrlOptions {
    /// The options with `allow_port` set.
    pub fn allow_port(mut self, allow: bool) -> Self {
        self.allow_port = allow;
        self
    }
}

/// Whether the WHATWG URL host parser would read `label`, the last label of a host, as a number
/// and so the host as an IPv4 address (its "ends in a number" rule): decimal digits (a leading
/// 0 makes them octal), or `0x`/`0X` followed by hex digits, none included. Browsers turn
/// `127.0.0.0x1` and `0x7f.0x0.0x0.0x1` into 127.0.0.1, and refuse `a.0x` outright.
fn is_ipv4_number(label: &str) -> bool {
    let hex = label
        .strip_prefix("0x")
        .or_else(|| label.strip_prefix("0X"));
    match hex {
        Some(digits) => digits.bytes().all(|b| b.is_ascii_hexdigit()),
        None => !label.is_empty() && label.bytes().all(|b| b.is_ascii_digit()),
    }
}

/// Whether browsers take `name` (ASCII letters, digits, hyphens and dots) as it is: the URL
/// standard's "domain to ASCII" (UTS 46 processing, nontransitional, hyphens not checked) must
/// succeed and change nothing but letter case. This is what refuses an `xn--` label that is not
/// valid Punycode or decodes to something IDNA disallows (`xn--a` decodes to U+0080, a control
/// character).
fn browsers_accept(name: &str) -> bool {
    match idna::domain_to_ascii_cow(name.as_bytes(), idna::AsciiDenyList::URL) {
        Ok(ascii) => ascii.eq_ignore_ascii_case(name),
        Err(_) => false,
    }
}

/// Whether `s` has the shape of a UUID (8-4-4-4-12 hex digits), as a Digital Samba team id does:
/// a valid DNS label, but never a team's subdomain.
fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn is_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// The host for `team`, lowercased: `<team>.digitalsamba.com` for a team subdomain (a DNS label,
/// no dot), or `team` itself for a custom domain (a hostname with a dot, optionally `:port`
/// when `opts` allows it). IP literals are refused: a room is served on a domain name (the
/// TLS certificate names it), so a numeric top-level label is taken for a mistake.
fn host(team: &str, opts: &UrlOptions) -> Result<String> {
    const HINT: &str = "give a Digital Samba team subdomain (acme: letters, digits and inner \
                        hyphens, at most 63) or a custom domain (meet.example.com)";
    if !team.is_ascii() {
        return Err(Error::invalid(format!(
            "team {team:?} has non-ASCII characters: give an internationalised domain in its \
             ASCII (punycode, xn--...) form"
        ))
        .why(Reason::NonAsciiHost, Arg::Team)
        .text(team));
    }
    if !team.contains('.') && !team.contains(':') {
        if is_uuid(team) {
            return Err(Error::invalid(format!(
                "team {team:?} is a team id (a UUID, the token's td claim), not the team's \
                 subdomain: the join URL takes the name in https://<name>.digitalsamba.com (your \
                 Digital Samba team's domain name, e.g. acme), or a custom domain"
            ))
            .why(Reason::TeamIsId, Arg::Team)
            .text(team));
        }
        if is_label(team) && browsers_accept(team) {
            return Ok(format!("{}.digitalsamba.com", team.to_ascii_lowercase()));
        }
        return Err(Error::invalid(format!(
            "team {team:?} is not a valid team subdomain; {HINT}"
        ))
        .why(Reason::InvalidSubdomain, Arg::Team)
        .text(team));
    }
    let (name, port) = match team.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (team, None),
    };
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u16>().is_ok_and(|n| n > 0);
        if !valid {
            return Err(Error::invalid(format!(
                "team {team:?}: the port {port:?} is not a number from 1 to 65535"
            ))
            .why(Reason::BadPort, Arg::Team)
            .text(team));
        }
        if !opts.allow_port {
            return Err(Error::invalid(format!(
                "team {team:?} has a port (:{port}); rooms are served on the default HTTPS \
                 port, so give the domain alone (meet.example.com), or allow a port explicitly \
                 (DST_URL_ALLOW_PORT / the binding's allow-port option)"
            ))
            .why(Reason::PortNotAllowed, Arg::Team)
            .other(Arg::Flags)
            .text(team)
            .nums(port.parse().unwrap_or_default(), 0));
        }
    }
    if !name.contains('.') {
        return Err(Error::invalid(format!(
            "team {team:?}: a team subdomain takes no port, and a custom domain has a dot; {HINT}"
        ))
        .why(Reason::PortOnSubdomain, Arg::Team)
        .text(team));
    }
    let last = name.rsplit('.').next().unwrap_or_default();
    if is_ipv4_number(last) {
        return Err(Error::invalid(format!(
            "team {team:?} is an IP address (or ends in a label a browser reads as a number: \
             decimal, octal or 0x hex): rooms are served on a domain name; {HINT}"
        ))
        .why(Reason::IpAddress, Arg::Team)
        .text(team));
    }
    if name.len() <= 253 && name.split('.').all(is_label) && browsers_accept(name) {
        Ok(team.to_ascii_lowercase())
    } else {
        Err(Error::invalid(format!(
            "team {team:?} is not a valid domain name (labels of letters, digits and inner \
             hyphens, at most 63 each, 253 in all, no empty label or trailing dot, an xn-- \
             label valid IDNA Punycode); {HINT}"
        ))
        .why(Reason::InvalidDomain, Arg::Team)
        .text(team))
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
///
/// `team` is a Digital Samba team subdomain (a DNS label such as `acme`, lowercased:
/// `https://acme.digitalsamba.com/...`) or a team's custom domain (a hostname with a dot,
/// lowercased: `https://meet.example.com/...`). A port is refused (see [`join_url_with`]), and
/// so are IP literals.
pub fn join_url(team: &str, room: &str, token: Option<&str>) -> Result<String> {
    join_url_with(team, room, token, &UrlOptions::default())
}

/// [`join_url`] with options (a custom domain with a port, when `opts.allow_port`).
pub fn join_url_with(
    team: &str,
    room: &str,
    token: Option<&str>,
    opts: &UrlOptions,
) -> Result<String> {
    let host = host(team, opts)?;
    if room.is_empty() || room == "." || room == ".." {
        return Err(
            Error::invalid(format!("room {room:?} is not a usable path segment"))
                .why(Reason::InvalidPathSegment, Arg::Room)
                .text(room),
        );
    }
    let mut url = format!("https://{host}/");
    percent_encode_segment(room, &mut url);
    if let Some(token) = token {
        let ok = !token.is_empty()
            && token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if !ok {
            return Err(
                Error::invalid("token has characters a compact JWT never contains")
                    .why(Reason::NotTokenChars, Arg::Token),
            );
        }
        url.push_str("?token=");
        url.push_str(token);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_port() -> UrlOptions {
        UrlOptions::default().allow_port(true)
    }

    #[test]
    fn team_subdomain_and_custom_domain() {
        assert_eq!(
            join_url("acme", "daily", Some("a.b.c")).unwrap(),
            "https://acme.digitalsamba.com/daily?token=a.b.c"
        );
        assert_eq!(
            join_url("ACME", "daily", None).unwrap(),
            "https://acme.digitalsamba.com/daily"
        );
        assert_eq!(
            join_url("meet.example.com", "daily", None).unwrap(),
            "https://meet.example.com/daily"
        );
        assert_eq!(
            join_url("Meet.Example.COM", "r", Some("a.b.c")).unwrap(),
            "https://meet.example.com/r?token=a.b.c"
        );
        assert_eq!(
            join_url_with("Meet.Example.com:8443", "r", None, &with_port()).unwrap(),
            "https://meet.example.com:8443/r"
        );
        assert_eq!(
            join_url("xn--bcher-kva.example", "r", None).unwrap(),
            "https://xn--bcher-kva.example/r"
        );
        assert_eq!(
            join_url("XN--BCHER-KVA.example", "r", None).unwrap(),
            "https://xn--bcher-kva.example/r"
        );
        assert_eq!(
            join_url("xn--mnchen-3ya", "r", None).unwrap(),
            "https://xn--mnchen-3ya.digitalsamba.com/r"
        );
        // Hyphens in the third and fourth places are allowed (browsers do not check them).
        assert!(join_url("ab--cd.example", "r", None).is_ok());
        let long = format!("{}.com", vec!["a".repeat(63); 3].join("."));
        assert_eq!(long.len(), 195);
        assert!(join_url(&long, "r", None).is_ok());
    }

    #[test]
    fn ports_only_when_allowed_and_never_ip_literals() {
        for team in ["meet.example.com:8443", "127.0.0.1:8080", "a.b:1"] {
            let e = join_url(team, "r", None).unwrap_err();
            assert!(
                e.message().contains("port") || e.message().contains("IP"),
                "{e}"
            );
        }
        assert!(join_url("meet.example.com:8443", "r", None)
            .unwrap_err()
            .message()
            .contains("DST_URL_ALLOW_PORT"));
        for team in [
            "127.0.0.1",
            "127.0.0.1:8080",
            "10.0.0.1",
            "1.2",
            "[::1]",
            "[::1]:443",
            "::1",
        ] {
            assert!(
                join_url_with(team, "r", None, &with_port()).is_err(),
                "{team}"
            );
        }
        assert!(join_url("127.0.0.1", "r", None)
            .unwrap_err()
            .message()
            .contains("IP address"));
        // A numeric label that is not the last is fine (0.example.com is a hostname).
        assert!(join_url("0.example.com", "r", None).is_ok());
        // What a browser's URL parser reads as IPv4 (hex, octal, mixed) or refuses as a
        // malformed number: the last label decides.
        for team in [
            "127.0.0.0x1",
            "0x7f.0x0.0x0.0x1",
            "169.254.169.0xfe",
            "0x7f000001.0X7F000001",
            "a.0x",
            "b.0x10",
            "b.0XaB",
            "a.0177",
            "1.2.3.4:443",
        ] {
            let e = join_url_with(team, "r", None, &with_port()).unwrap_err();
            assert!(e.message().contains("IP address"), "{team}: {e}");
        }
        // A last label that only starts like a number is a name.
        for team in ["a.0xg", "a.0x1z", "a.1a", "x.example.0com"] {
            assert!(join_url(team, "r", None).is_ok(), "{team}");
        }
    }

    #[test]
    fn a_team_id_is_not_a_subdomain() {
        for team in [
            "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f",
            "B1A7C2D4-1234-4CDE-9F00-0A1B2C3D4E5F",
        ] {
            let e = join_url(team, "r", None).unwrap_err();
            assert!(
                e.message().contains("team id") && e.message().contains("subdomain"),
                "{e}"
            );
        }
        // Near misses are ordinary labels, and a UUID-like label inside a custom domain is a name.
        for team in [
            "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5",
            "g1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f",
            "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f.example.com",
        ] {
            assert!(join_url(team, "r", None).is_ok(), "{team}");
        }
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
            "evil.com?x",
            "evil.com#x",
            "user@evil.com",
            "a..b",
            ".a",
            "a.",
            "meet.example.com.",
            "a@b.c",
            "a.b:0",
            "a.b:99999",
            "a.b:",
            "a.b:x",
            "a.b:1:2",
            "acme:8080",
            "bücher.example",
            "é",
            // Punycode that IDNA refuses: U+0080, invalid Punycode, an ASCII-only label.
            "xn--a.com",
            "xn--a",
            "meet.xn--.com",
            "xn--zz-.example",
            "xn--abc-.example",
            "xn--999999999.example",
            &"a".repeat(64),
            &format!("{}.com", "a".repeat(64)),
            &format!("{}.com", vec!["a".repeat(63); 4].join(".")),
        ] {
            assert!(join_url(team, "r", None).is_err(), "{team}");
            assert!(
                join_url_with(team, "r", None, &with_port()).is_err(),
                "{team}"
            );
        }
        assert!(join_url("bücher.example", "r", None)
            .unwrap_err()
            .message()
            .contains("punycode"));
        assert!(join_url("acme", "r", Some("")).is_err());
        assert!(join_url("acme", "r", Some("a.b&x=1")).is_err());
    }
}
