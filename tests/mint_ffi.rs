//! The one-call mint through the C ABI with raw pointers: NULLs, bad UTF-8 in every field,
//! struct_size versions, time modes, the buffer protocol, and (property test) byte-identical
//! tokens and identical statuses on the dst_claims setter path for the same claims.
use dstoken::ffi::*;
use proptest::prelude::*;
use std::ffi::{c_char, CStr, CString};
use std::mem::size_of;
use std::ptr::{null, null_mut};

const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";
const S: fn(&str) -> CString = |s| CString::new(s).unwrap();

fn key() -> *mut dst_key {
    let mut k = null_mut();
    assert_eq!(
        unsafe { dst_key_new(KEY.as_ptr(), KEY.len(), &mut k) },
        dst_status::DST_OK
    );
    k
}

fn last_error() -> String {
    unsafe { CStr::from_ptr(dst_last_error_message()) }
        .to_str()
        .unwrap()
        .to_owned()
}

fn take(p: *mut c_char) -> String {
    assert!(!p.is_null());
    let s = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned();
    unsafe { dst_string_free(p) };
    s
}

fn init() -> dst_room_token {
    let mut t: dst_room_token = unsafe { std::mem::zeroed() };
    assert_eq!(
        unsafe { dst_room_token_init_size(&mut t, size_of::<dst_room_token>()) },
        dst_status::DST_OK
    );
    t
}

fn mint(t: &dst_room_token, k: *const dst_key) -> Result<String, dst_status> {
    let mut out = null_mut();
    match unsafe { dst_mint(t, k, &mut out) } {
        dst_status::DST_OK => Ok(take(out)),
        s => {
            assert!(out.is_null(), "token_out written on error");
            Err(s)
        }
    }
}

#[test]
fn init_sets_size_and_absent_fields() {
    let mut t: dst_room_token = unsafe { std::mem::zeroed() };
    t.role = c"x".as_ptr();
    t.now = 5;
    t.no_expiry = true;
    assert_eq!(
        unsafe { dst_room_token_init_size(&mut t, size_of::<dst_room_token>()) },
        dst_status::DST_OK
    );
    assert_eq!(t.struct_size, size_of::<dst_room_token>());
    assert!(t.role.is_null() && t.now == 0 && !t.no_expiry);
    // The function dst_room_token_init (what version-1 programs call; C code compiled against
    // this header reaches dst_room_token_init_size through the macro) writes version 1 only:
    // never past a version-1 struct.
    let v1 = std::mem::offset_of!(dst_room_token, no_expiry);
    let mut bytes = [0xabu8; size_of::<dst_room_token>()];
    let p = bytes.as_mut_ptr().cast::<dst_room_token>();
    assert_eq!(unsafe { dst_room_token_init(p) }, dst_status::DST_OK);
    assert_eq!(unsafe { p.cast::<usize>().read_unaligned() }, v1);
    assert!(bytes[8..v1].iter().all(|&b| b == 0));
    assert!(
        bytes[v1..].iter().all(|&b| b == 0xab),
        "nothing past version 1"
    );
    for f in [
        |p| unsafe { dst_room_token_init(p) },
        |p| unsafe { dst_room_token_init_size(p, size_of::<dst_room_token>()) },
    ] as [fn(*mut dst_room_token) -> dst_status; 2]
    {
        assert_eq!(f(null_mut()), dst_status::DST_ERR_NULL_ARGUMENT);
        assert!(last_error().contains("`token`"), "{}", last_error());
    }
    // Sizes the mint would refuse are refused here too, with nothing written.
    for size in [0, 8, v1 - 1, v1 + 1, size_of::<dst_room_token>() + 1, 8192] {
        t.now = 7;
        assert_eq!(
            unsafe { dst_room_token_init_size(&mut t, size) },
            dst_status::DST_ERR_INVALID_ARGUMENT,
            "{size}"
        );
        assert_eq!(t.now, 7);
    }
}

#[test]
fn null_arguments_are_refused_by_name() {
    let k = key();
    let (team, room) = (S("t"), S("r"));
    let mut t = init();
    t.team_id = team.as_ptr();
    t.room = room.as_ptr();
    let mut out = null_mut();
    let mut len = 0usize;
    let mut buf = [0 as c_char; 256];
    unsafe {
        let check = |status: dst_status, arg: &str| {
            assert_eq!(status, dst_status::DST_ERR_NULL_ARGUMENT, "{arg}");
            assert!(last_error().contains(arg), "{arg}: {}", last_error());
        };
        check(dst_mint(null(), k, &mut out), "`token`");
        check(dst_mint(&t, null(), &mut out), "`key`");
        check(dst_mint(&t, k, null_mut()), "`token_out`");
        check(
            dst_mint_into(null(), k, buf.as_mut_ptr(), 256, &mut len),
            "`token`",
        );
        check(
            dst_mint_into(&t, null(), buf.as_mut_ptr(), 256, &mut len),
            "`key`",
        );
        check(
            dst_mint_into(&t, k, buf.as_mut_ptr(), 256, null_mut()),
            "`len_out`",
        );
        check(dst_mint_into(&t, k, null_mut(), 10, &mut len), "`buf`");
        check(dst_mint_url(null(), k, team.as_ptr(), &mut out), "`token`");
        check(dst_mint_url(&t, null(), team.as_ptr(), &mut out), "`key`");
        check(dst_mint_url(&t, k, null(), &mut out), "`team`");
        check(dst_mint_url(&t, k, team.as_ptr(), null_mut()), "`url_out`");
        assert!(out.is_null());
        dst_key_free(k);
    }
}

type FieldOf = fn(&mut dst_room_token) -> &mut *const c_char;

#[test]
fn bad_utf8_is_reported_per_field() {
    let k = key();
    let (team, room, bad) = (S("t"), S("r"), CString::new(vec![b'a', 0xff]).unwrap());
    let fields: [(&str, FieldOf); 8] = [
        ("team_id", |t| &mut t.team_id),
        ("room", |t| &mut t.room),
        ("user_name", |t| &mut t.user_name),
        ("user_id", |t| &mut t.user_id),
        ("initials", |t| &mut t.initials),
        ("role", |t| &mut t.role),
        ("breakout_id", |t| &mut t.breakout_id),
        ("avatar", |t| &mut t.avatar),
    ];
    for (name, field) in fields {
        let mut t = init();
        t.team_id = team.as_ptr();
        t.room = room.as_ptr();
        *field(&mut t) = bad.as_ptr();
        assert_eq!(mint(&t, k), Err(dst_status::DST_ERR_INVALID_UTF8), "{name}");
        let msg = last_error();
        assert!(
            msg.starts_with("dst_mint: ") && msg.contains(&format!("`token->{name}`")),
            "{msg}"
        );
        let mut len = 0;
        assert_eq!(
            unsafe { dst_mint_into(&t, k, null_mut(), 0, &mut len) },
            dst_status::DST_ERR_INVALID_UTF8
        );
    }
    unsafe { dst_key_free(k) };
}

#[test]
fn struct_size_versions() {
    let k = key();
    let (team, room) = (S("t"), S("r"));
    // A later version's struct: ours plus two more fields.
    #[repr(C)]
    struct Bigger {
        v2: dst_room_token,
        extra: [u64; 2],
    }
    let mut big = Bigger {
        v2: init(),
        extra: [0, 0],
    };
    big.v2.struct_size = size_of::<Bigger>();
    big.v2.team_id = team.as_ptr();
    big.v2.room = room.as_ptr();
    big.v2.expires_at = 4_102_444_800;
    let mut small = big.v2;
    small.struct_size = size_of::<dst_room_token>();
    let want = mint(&small, k).unwrap();
    assert_eq!(mint(&big.v2, k).as_deref(), Ok(want.as_str()), "zero tail");
    big.extra[1] = 1;
    assert_eq!(mint(&big.v2, k), Err(dst_status::DST_ERR_INVALID_ARGUMENT));
    assert!(last_error().contains("struct_size"), "{}", last_error());
    // The rule: version 1 (everything up to `now`), version 2 (up to `no_expiry`, padded),
    // version 3 (sizeof), or a later version's size (larger, a multiple of the alignment, at
    // most 4096, zero tail).
    let v1 = std::mem::offset_of!(dst_room_token, no_expiry);
    let v2_end = std::mem::offset_of!(dst_room_token, max_lifetime_seconds);
    let v2 = size_of::<dst_room_token>();
    let align = std::mem::align_of::<dst_room_token>();
    if cfg!(target_pointer_width = "64") {
        assert_eq!((v1, v2_end, v2, align), (120, 128, 144, 8));
    }
    let accepted = |size: usize| {
        size == v1
            || size == v2_end
            || size == v2
            || (size > v2 && size <= 4096 && size.is_multiple_of(align))
    };
    for size in (0..=size_of::<Bigger>()).chain([4088, 4095, 4096, 4097, 4104, 1 << 20, usize::MAX])
    {
        // Sizes past Bigger are only checked where the library refuses them before reading the
        // tail (it reads `size` bytes of an accepted struct).
        if size > size_of::<Bigger>() && accepted(size) {
            continue;
        }
        let mut b = Bigger {
            v2: small,
            extra: [0, 0],
        };
        b.v2.struct_size = size;
        let got = mint(&b.v2, k);
        if accepted(size) {
            assert_eq!(got.as_deref(), Ok(want.as_str()), "{size}");
        } else {
            assert_eq!(got, Err(dst_status::DST_ERR_INVALID_ARGUMENT), "{size}");
            assert!(last_error().contains("struct_size"), "{}", last_error());
        }
    }
    // Every accepted size up to 4096 with a zero tail mints the same token.
    let mut page = vec![0u64; 4096 / 8];
    // SAFETY: `page` is 4096 bytes, 8-aligned: room for the struct and any accepted tail.
    unsafe { page.as_mut_ptr().cast::<dst_room_token>().write(small) };
    for size in (v2..=4096).filter(|s| accepted(*s)) {
        let t = page.as_mut_ptr().cast::<dst_room_token>();
        unsafe { (*t).struct_size = size };
        assert_eq!(
            mint(unsafe { &*t }, k).as_deref(),
            Ok(want.as_str()),
            "{size}"
        );
    }
    // A version-1 caller has no `no_expiry`: the byte after `now` is not read.
    let mut one = small;
    one.expires_at = 0;
    one.no_expiry = true;
    assert!(mint(&one, k).is_ok());
    one.struct_size = v1;
    assert_eq!(mint(&one, k), Err(dst_status::DST_ERR_INVALID_ARGUMENT));
    assert!(last_error().contains("no_expiry"), "{}", last_error());
    one.expires_at = 4_102_444_800;
    assert_eq!(mint(&one, k).as_deref(), Ok(want.as_str()));
    unsafe { dst_key_free(k) };
}

#[test]
fn an_expiry_is_required_unless_no_expiry_is_set() {
    let k = key();
    let (team, room, acme) = (S("t"), S("r"), S("acme"));
    let mut t = init();
    t.team_id = team.as_ptr();
    t.room = room.as_ptr();
    assert_eq!(mint(&t, k), Err(dst_status::DST_ERR_INVALID_ARGUMENT));
    let msg = last_error();
    for word in ["dst_mint: ", "expires_at", "lifetime_seconds", "no_expiry"] {
        assert!(msg.contains(word), "{msg}");
    }
    let mut buf = [0 as c_char; 512];
    let mut len = 7;
    assert_eq!(
        unsafe { dst_mint_into(&t, k, buf.as_mut_ptr(), buf.len(), &mut len) },
        dst_status::DST_ERR_INVALID_ARGUMENT
    );
    assert_eq!(len, 7);
    assert!(last_error().contains("no_expiry"), "{}", last_error());
    let mut url = null_mut();
    assert_eq!(
        unsafe { dst_mint_url(&t, k, acme.as_ptr(), &mut url) },
        dst_status::DST_ERR_INVALID_ARGUMENT
    );
    assert!(url.is_null() && last_error().contains("no_expiry"));
    t.no_expiry = true;
    let token = mint(&t, k).unwrap();
    let payload = token.split('.').nth(1).unwrap();
    assert_eq!(payload, "eyJ0ZCI6InQiLCJyZCI6InIifQ"); // {"td":"t","rd":"r"}
                                                       // A C bool set through memory to another non-zero byte still reads as true.
    unsafe {
        std::ptr::from_mut(&mut t)
            .cast::<u8>()
            .add(std::mem::offset_of!(dst_room_token, no_expiry))
            .write(2)
    };
    assert_eq!(mint(&t, k).as_deref(), Ok(token.as_str()));
    t.no_expiry = true;
    for (lifetime, exp) in [(60, 0), (0, 4_102_444_800)] {
        let mut both = t;
        both.lifetime_seconds = lifetime;
        both.expires_at = exp;
        assert_eq!(mint(&both, k), Err(dst_status::DST_ERR_INVALID_ARGUMENT));
        assert!(
            last_error().contains("no_expiry is set"),
            "{}",
            last_error()
        );
    }
    t.no_expiry = false;
    t.lifetime_seconds = -60;
    assert_eq!(mint(&t, k), Err(dst_status::DST_ERR_INVALID_ARGUMENT));
    assert!(
        last_error().contains("lifetime_seconds"),
        "{}",
        last_error()
    );
    unsafe { dst_key_free(k) };
}

#[test]
fn time_modes_and_their_rules() {
    let k = key();
    let (team, room) = (S("t"), S("r"));
    let base = {
        let mut t = init();
        t.team_id = team.as_ptr();
        t.room = room.as_ptr();
        t
    };
    let with = |f: fn(&mut dst_room_token)| {
        let mut t = base;
        f(&mut t);
        t
    };
    let invalid = [
        with(|t| {
            t.issued_at = 10;
            t.lifetime_seconds = 60;
        }),
        with(|t| {
            t.expires_at = 10;
            t.now = 10; // already expired
        }),
        with(|t| t.expires_at = 1_767_229_200_000), // milliseconds
        with(|t| t.expires_at = -1),
        with(|t| {
            t.lifetime_seconds = 60;
            t.now = -1;
        }),
        with(|t| t.not_before_skew_seconds = 5),
        with(|t| t.now = 5),
        with(|t| t.lifetime_seconds = -1),
        with(|t| {
            t.lifetime_seconds = 60;
            t.not_before_skew_seconds = -1;
        }),
        with(|t| {
            t.lifetime_seconds = 1;
            t.now = i64::MAX;
        }),
        with(|t| {
            t.lifetime_seconds = 1;
            t.not_before_skew_seconds = 1;
            t.now = i64::MIN;
        }),
        with(|t| {
            t.issued_at = 10;
            t.expires_at = 9;
        }),
        with(|t| {
            t.not_before = 10;
            t.expires_at = 9;
        }),
        with(|t| t.team_id = c"".as_ptr()),
    ];
    for (i, t) in invalid.iter().enumerate() {
        assert_eq!(
            mint(t, k),
            Err(dst_status::DST_ERR_INVALID_ARGUMENT),
            "case {i}"
        );
        assert!(last_error().starts_with("dst_mint: "));
    }
    assert_eq!(
        mint(&with(|t| t.team_id = null()), k),
        Err(dst_status::DST_ERR_MISSING_CLAIM)
    );
    assert_eq!(
        mint(&with(|t| t.room = null()), k),
        Err(dst_status::DST_ERR_MISSING_CLAIM)
    );
    // The system clock: iat within a second or two of now, exp = iat + lifetime, nbf = iat - skew.
    let t = with(|t| {
        t.lifetime_seconds = 600;
        t.not_before_skew_seconds = 30;
    });
    let token = mint(&t, k).unwrap();
    let mut claims = null_mut();
    let jwt = S(&token);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert_eq!(
        unsafe { dst_verify(jwt.as_ptr(), k, now, 5, &mut claims) },
        dst_status::DST_OK
    );
    let get = |name: &str| {
        let mut v = 0;
        let n = S(name);
        assert_eq!(
            unsafe { dst_claims_get_int(claims, n.as_ptr(), &mut v) },
            dst_status::DST_OK
        );
        v
    };
    let iat = get("iat");
    assert!((iat - now).abs() <= 2);
    assert_eq!((get("nbf"), get("exp")), (iat - 30, iat + 600));
    unsafe {
        dst_claims_free(claims);
        dst_key_free(k);
    }
}

#[test]
fn buffer_protocol() {
    let k = key();
    let (team, room, user) = (S("t"), S("r"), S("Zoë"));
    let mut t = init();
    t.team_id = team.as_ptr();
    t.room = room.as_ptr();
    t.user_name = user.as_ptr();
    t.expires_at = 4_102_444_800;
    let want = mint(&t, k).unwrap();
    let mut len = 0usize;
    unsafe {
        assert_eq!(
            dst_mint_into(&t, k, null_mut(), 0, &mut len),
            dst_status::DST_ERR_BUFFER_TOO_SMALL
        );
        assert_eq!(len, want.len());
        for cap in [1, want.len() - 1, want.len()] {
            let mut buf = vec![b'#' as c_char; cap];
            len = 0;
            assert_eq!(
                dst_mint_into(&t, k, buf.as_mut_ptr(), cap, &mut len),
                dst_status::DST_ERR_BUFFER_TOO_SMALL,
                "{cap}"
            );
            assert_eq!(len, want.len());
            assert!(buf.iter().all(|&b| b == b'#' as c_char), "untouched");
            assert!(last_error().contains("`cap`"));
        }
        let mut buf = vec![b'#' as c_char; want.len() + 8];
        assert_eq!(
            dst_mint_into(&t, k, buf.as_mut_ptr(), want.len() + 1, &mut len),
            dst_status::DST_OK
        );
        assert_eq!(len, want.len());
        assert_eq!(CStr::from_ptr(buf.as_ptr()).to_str().unwrap(), want);
        assert!(buf[want.len() + 1..].iter().all(|&b| b == b'#' as c_char));
        // Errors other than the size leave len_out alone.
        t.room = null();
        len = 7;
        assert_eq!(
            dst_mint_into(&t, k, buf.as_mut_ptr(), buf.len(), &mut len),
            dst_status::DST_ERR_MISSING_CLAIM
        );
        assert_eq!(len, 7);
        dst_key_free(k);
    }
}

#[test]
fn mint_url_is_mint_plus_join_url() {
    let k = key();
    let (team, room, host) = (S("t"), S("room é/1"), S("acme"));
    let mut t = init();
    t.team_id = team.as_ptr();
    t.room = room.as_ptr();
    t.no_expiry = true;
    let token = mint(&t, k).unwrap();
    let mut url = null_mut();
    unsafe {
        assert_eq!(
            dst_mint_url(&t, k, host.as_ptr(), &mut url),
            dst_status::DST_OK
        );
        assert_eq!(
            take(url),
            format!("https://acme.digitalsamba.com/room%20%C3%A9%2F1?token={token}")
        );
        let bad = S("bad host");
        url = null_mut();
        assert_eq!(
            dst_mint_url(&t, k, bad.as_ptr(), &mut url),
            dst_status::DST_ERR_INVALID_ARGUMENT
        );
        assert!(url.is_null());
        let dot = S(".");
        t.room = dot.as_ptr();
        assert_eq!(
            dst_mint_url(&t, k, host.as_ptr(), &mut url),
            dst_status::DST_ERR_INVALID_ARGUMENT
        );
        dst_key_free(k);
    }
}

// ---- property: the mint and the setter path agree ------------------------------------------

#[derive(Debug, Clone)]
struct Case {
    strings: [Option<Vec<u8>>; 8],
    explicit: [i64; 3],
    lifetime: i64,
    skew: i64,
    now: i64,
}

/// Field bytes: mostly UTF-8 (with JSON-hostile characters), sometimes invalid UTF-8 or empty.
fn field() -> impl Strategy<Value = Option<Vec<u8>>> {
    prop_oneof![
        2 => Just(None),
        6 => "[\"\\\\\u{1}-\u{1f}\u{7f}\u{2028}🎉李éa-z ]{0,24}".prop_map(|s| Some(s.into_bytes())),
        1 => Just(Some(Vec::new())),
        1 => prop::collection::vec(1u8..=255, 0..12).prop_map(Some),
    ]
}

fn time() -> impl Strategy<Value = i64> {
    prop_oneof![
        3 => Just(0i64),
        3 => 1_600_000_000i64..1_900_000_000,
        1 => 1_600_000_000_000i64..1_900_000_000_000, // milliseconds
        1 => -1000i64..1000,
        1 => any::<i64>(),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    (
        [
            field(),
            field(),
            field(),
            field(),
            field(),
            field(),
            field(),
            field(),
        ],
        [time(), time(), time()],
        prop_oneof![3 => Just(0i64), 3 => 1i64..100_000, 1 => any::<i64>()],
        prop_oneof![3 => Just(0i64), 2 => 1i64..120, 1 => any::<i64>()],
        prop_oneof![1 => Just(0i64), 3 => 1_600_000_000i64..1_900_000_000, 1 => any::<i64>()],
    )
        .prop_map(|(strings, explicit, lifetime, skew, now)| Case {
            strings,
            explicit,
            lifetime,
            skew,
            now,
        })
}

type StrSetter = unsafe extern "C" fn(*mut dst_claims, *const c_char) -> dst_status;
const SETTERS: [StrSetter; 8] = [
    dst_claims_set_team_id,
    dst_claims_set_room,
    dst_claims_set_user_name,
    dst_claims_set_user_id,
    dst_claims_set_initials,
    dst_claims_set_role,
    dst_claims_set_breakout_id,
    dst_claims_set_avatar,
];

/// The setter path for a case the setter path can express (no mint-only rule involved).
fn builder(
    case: &Case,
    strings: &[Option<CString>],
    k: *const dst_key,
) -> Result<String, dst_status> {
    let c = dst_claims_new();
    let run = || -> Result<String, dst_status> {
        let ok = |s| {
            if s == dst_status::DST_OK {
                Ok(())
            } else {
                Err(s)
            }
        };
        for (s, set) in strings.iter().zip(SETTERS) {
            if let Some(s) = s {
                ok(unsafe { set(c, s.as_ptr()) })?;
            }
        }
        if case.lifetime != 0 {
            // Relative mode: the C setters (dst_claims_set_expires_in/_validity) read the
            // clock, so apply their documented rules with the case's now; the core's unit
            // tests hold the mint to Claims::set_expires_in_at / set_validity_at themselves.
            let now = case.now;
            if case.skew < 0 {
                return Err(dst_status::DST_ERR_INVALID_ARGUMENT);
            }
            if case.lifetime <= 0 {
                return Err(dst_status::DST_ERR_INVALID_ARGUMENT);
            }
            let nbf = if case.skew > 0 {
                Some(
                    now.checked_sub(case.skew)
                        .ok_or(dst_status::DST_ERR_INVALID_ARGUMENT)?,
                )
            } else {
                None
            };
            let exp = now
                .checked_add(case.lifetime)
                .ok_or(dst_status::DST_ERR_INVALID_ARGUMENT)?;
            ok(unsafe { dst_claims_set_issued_at(c, now) })?;
            if let Some(nbf) = nbf {
                ok(unsafe { dst_claims_set_not_before(c, nbf) })?;
            }
            ok(unsafe { dst_claims_set_expires_at(c, exp) })?;
        } else {
            let setters: [unsafe extern "C" fn(*mut dst_claims, i64) -> dst_status; 3] = [
                dst_claims_set_issued_at,
                dst_claims_set_not_before,
                dst_claims_set_expires_at,
            ];
            for (t, set) in case.explicit.iter().zip(setters) {
                if *t != 0 {
                    ok(unsafe { set(c, *t) })?;
                }
            }
        }
        let mut out = null_mut();
        ok(unsafe { dst_sign(c, k, &mut out) })?;
        Ok(take(out))
    };
    let r = run();
    unsafe { dst_claims_free(c) };
    r
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mint_is_byte_identical_to_the_setter_path(case in case()) {
        let k = key();
        let strings: Vec<Option<CString>> = case
            .strings
            .iter()
            .map(|s| s.as_ref().map(|b| CString::new(b.clone()).unwrap()))
            .collect();
        let mut t = init();
        let ptr = |i: usize| strings[i].as_ref().map_or(null(), |s| s.as_ptr());
        t.team_id = ptr(0);
        t.room = ptr(1);
        t.user_name = ptr(2);
        t.user_id = ptr(3);
        t.initials = ptr(4);
        t.role = ptr(5);
        t.breakout_id = ptr(6);
        t.avatar = ptr(7);
        // Relative mode or explicit times, never both (both is a mint-only error, tested above).
        let relative = case.lifetime != 0;
        if relative {
            t.lifetime_seconds = case.lifetime;
            t.not_before_skew_seconds = case.skew;
            t.now = case.now;
        } else {
            [t.issued_at, t.not_before, t.expires_at] = case.explicit;
            // The time exp must be after (an already expired token is refused).
            t.now = case.now;
            // The setter path signs a token without exp; the mint does when asked to.
            t.no_expiry = t.expires_at == 0;
        }
        // A now of 0 reads the clock; keep the comparison deterministic.
        prop_assume!(case.now != 0);
        let minted = mint(&t, k);
        // Invalid UTF-8 is checked first on the mint (all fields read before any rule), and by
        // each setter in turn on the other path: compare where the fields are all valid.
        let any_bad = case.strings.iter().flatten().any(|b| std::str::from_utf8(b).is_err());
        if any_bad {
            prop_assert_eq!(minted, Err(dst_status::DST_ERR_INVALID_UTF8));
        } else {
            let mut built = builder(&case, &strings, k);
            // Mint-only rules the setter path does not have: `now` in the sign range (the
            // setter path meets it only as relative mode's iat) comes before everything else
            // but the UTF-8 checks, and an explicit exp must be after `now`.
            let now_ok = (0..=dstoken::MAX_SIGN_TIME).contains(&case.now);
            if !relative && !now_ok {
                built = Err(dst_status::DST_ERR_INVALID_ARGUMENT);
            }
            let exp = case.explicit[2];
            if built.is_ok() && !relative && exp != 0 && exp <= case.now {
                built = Err(dst_status::DST_ERR_INVALID_ARGUMENT);
            }
            prop_assert_eq!(minted, built);
        }
        unsafe { dst_key_free(k) };
    }
}

/// An output buffer over any input is refused, nothing written.
#[test]
fn overlapping_buffers_are_refused() {
    let k = key();
    let (team, room) = (S("t"), S("r"));
    let mut arena = vec![b'#' as c_char; 2048];
    let name = b"Zo\xc3\xab\0"; // "Zoë" at 1000..1004, its NUL at 1004
    for (i, b) in name.iter().enumerate() {
        arena[1000 + i] = *b as c_char;
    }
    let mut t = init();
    t.team_id = team.as_ptr();
    t.room = room.as_ptr();
    t.user_name = arena[1000..].as_ptr();
    t.expires_at = 4_102_444_800;
    let want = mint(&t, k).unwrap();
    let base = arena.as_mut_ptr();
    let mut len = 7usize;
    unsafe {
        // Right next to the string on either side: fine.
        assert_eq!(
            dst_mint_into(&t, k, base, 1000, &mut len),
            dst_status::DST_OK,
            "{}",
            last_error()
        );
        assert_eq!(CStr::from_ptr(base).to_str().unwrap(), want);
        assert_eq!(
            dst_mint_into(&t, k, base.add(1005), 1043, &mut len),
            dst_status::DST_OK
        );
        assert_eq!(CStr::from_ptr(base.add(1005)).to_str().unwrap(), want);
        // One byte over the string, its NUL, or the whole of it: refused, nothing written.
        for (start, cap) in [(0, 1001), (1004, 1044), (900, 200), (1002, 1)] {
            let before = arena.clone();
            let base = arena.as_mut_ptr();
            len = 7;
            assert_eq!(
                dst_mint_into(&t, k, base.add(start), cap, &mut len),
                dst_status::DST_ERR_INVALID_ARGUMENT,
                "{start} {cap}"
            );
            assert!(
                last_error().contains("overlaps `token->user_name`"),
                "{}",
                last_error()
            );
            assert_eq!(len, 7);
            assert!(arena == before, "nothing written");
        }
        // Over the struct itself, the key, or len_out.
        let tp = std::ptr::from_mut(&mut t).cast::<c_char>();
        assert_eq!(
            dst_mint_into(&t, k, tp.add(8), 16, &mut len),
            dst_status::DST_ERR_INVALID_ARGUMENT
        );
        assert!(
            last_error().contains("overlaps `token`"),
            "{}",
            last_error()
        );
        assert_eq!(
            dst_mint_into(&t, k, k.cast(), 1, &mut len),
            dst_status::DST_ERR_INVALID_ARGUMENT
        );
        assert!(last_error().contains("overlaps `key`"), "{}", last_error());
        let base = arena.as_mut_ptr();
        let len_in_buf = base.add(1500).cast::<usize>();
        assert_eq!(
            dst_mint_into(&t, k, base.add(1100), 900, len_in_buf),
            dst_status::DST_ERR_INVALID_ARGUMENT
        );
        assert!(
            last_error().contains("overlaps `len_out`"),
            "{}",
            last_error()
        );
        // The length query (NULL, 0) overlaps nothing.
        assert_eq!(
            dst_mint_into(&t, k, null_mut(), 0, &mut len),
            dst_status::DST_ERR_BUFFER_TOO_SMALL
        );
        // dst_sign_into: over the claims handle, the key, or len_out.
        let c = dst_claims_new();
        assert_eq!(dst_claims_set_team_id(c, team.as_ptr()), dst_status::DST_OK);
        assert_eq!(dst_claims_set_room(c, room.as_ptr()), dst_status::DST_OK);
        for (buf, name) in [
            (c.cast::<c_char>(), "`claims`"),
            (k.cast::<c_char>(), "`key`"),
        ] {
            assert_eq!(
                dst_sign_into(c, k, buf, 1, &mut len),
                dst_status::DST_ERR_INVALID_ARGUMENT
            );
            assert!(last_error().contains(name), "{}", last_error());
        }
        let base = arena.as_mut_ptr();
        assert_eq!(
            dst_sign_into(c, k, base.add(1100), 900, len_in_buf),
            dst_status::DST_ERR_INVALID_ARGUMENT
        );
        assert!(
            last_error().contains("overlaps `len_out`"),
            "{}",
            last_error()
        );
        assert_eq!(
            dst_sign_into(c, k, base, 1000, &mut len),
            dst_status::DST_OK
        );
        dst_claims_free(c);
        dst_key_free(k);
    }
}
