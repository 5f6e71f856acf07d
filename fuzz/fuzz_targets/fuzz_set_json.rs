//! Arbitrary text to dst_claims_set_json: either a clean error, or a claim whose stored JSON
//! is valid, stable when set again, and survives sign -> verify.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut c = dstoken::Claims::new();
    if c.set_json("x", text).is_err() {
        return;
    }
    let stored = c.get_json("x").expect("just set");
    let parsed: serde_json::Value = serde_json::from_str(&stored).expect("stored JSON parses");
    let _ = parsed;
    let mut again = dstoken::Claims::new();
    again
        .set_json("x", &stored)
        .expect("stored JSON is accepted again");
    assert_eq!(
        again.get_json("x").expect("set"),
        stored,
        "re-setting changes nothing"
    );
    c.set_team_id("t").expect("td");
    c.set_room("r").expect("rd");
    let key = dstoken::SigningKey::new(b"k").expect("key");
    let token = dstoken::sign(&c, &key).expect("signable");
    let back = dstoken::verify(&token, &key, 0, 0).expect("verifies");
    assert_eq!(back, c);
});
