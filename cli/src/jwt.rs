//! Looking inside a compact JWT without a key: the header and payload as ordered members whose
//! values are kept as their exact JSON text.
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;

/// A JSON object's members in order, each value as its JSON text. Duplicate names are refused.
pub struct Members(pub Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Members;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut out: Vec<(String, Box<RawValue>)> = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Box<RawValue>>()? {
                    if out.iter().any(|(n, _)| *n == k) {
                        return Err(serde::de::Error::custom(format!("duplicate member {k:?}")));
                    }
                    out.push((k, v));
                }
                Ok(Members(out))
            }
        }
        d.deserialize_map(V)
    }
}

impl Members {
    /// The JSON text of member `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.get())
    }

    /// Member `name` as an integer time, when it is one.
    pub fn time(&self, name: &str) -> Option<i64> {
        self.get(name).and_then(|t| t.parse::<i64>().ok())
    }

    /// The members as one compact-ish JSON object (values verbatim).
    pub fn to_json(&self) -> String {
        let mut s = String::from("{");
        for (i, (k, v)) in self.0.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            s.push_str(&crate::out::json_str(k));
            s.push(':');
            s.push_str(v.get());
        }
        s.push('}');
        s
    }
}

/// A token's header and payload, not verified.
pub struct Decoded {
    pub header: Members,
    pub claims: Members,
}

/// A token's header and claims, unverified, as the library reads them (its strict parser and
/// its refusals); the members keep their order and their exact JSON.
pub fn decode(token: &str) -> Result<Decoded, dstoken::Error> {
    let (header, claims) = dstoken::decode_unverified(token)?;
    let header: Members = serde_json::from_str(&header)
        .map_err(|e| dstoken::Error::new(dstoken::ErrorKind::Internal, e.to_string()))?;
    let mut members = Vec::new();
    for (name, value) in claims.iter() {
        let raw = RawValue::from_string(value.to_json())
            .map_err(|e| dstoken::Error::new(dstoken::ErrorKind::Internal, e.to_string()))?;
        members.push((name.to_string(), raw));
    }
    Ok(Decoded {
        header,
        claims: Members(members),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    fn b64(s: &str) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    #[test]
    fn keeps_order_and_exact_values() {
        let t = format!(
            "{}.{}.sig",
            b64(r#"{"alg":"HS256","typ":"JWT"}"#),
            b64(r#"{"z":1,"big":123456789012345678901234567890,"f":1.50,"a":"x"}"#)
        );
        let d = decode(&t).unwrap();
        assert_eq!(d.header.get("alg"), Some("\"HS256\""));
        let names: Vec<&str> = d.claims.0.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["z", "big", "f", "a"]);
        assert_eq!(d.claims.get("big"), Some("123456789012345678901234567890"));
        assert_eq!(
            d.claims.to_json(),
            r#"{"z":1,"big":123456789012345678901234567890,"f":1.50,"a":"x"}"#
        );
    }

    #[test]
    fn refuses_malformed() {
        let h = b64(r#"{"alg":"HS256"}"#);
        for t in [
            String::new(),
            "a.b".to_string(),
            format!("{h}.{h}.x.y"),
            format!("{h}.{}.s", b64("[1]")),
            format!("{h}.{}.s", b64(r#"{"a":1,"a":2}"#)),
            format!("{h}.{}=.s", b64(r#"{"a":1}"#)),
            format!("{h}.e30+.s"),
            format!("{h}.{}.s", b64("{")),
        ] {
            assert!(decode(&t).is_err(), "{t:?}");
        }
    }
}
