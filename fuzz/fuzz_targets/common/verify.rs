//! What the fuzz targets share.
use dstoken::ffi::*;

/// Verifies with `exp` optional: these tokens are made without one on purpose.
pub unsafe fn verify_any(
    token: *const std::ffi::c_char,
    key: *const dst_key,
    now: i64,
    leeway: u32,
    out: *mut *mut dst_claims,
) -> dst_status {
    let mut o: dst_verify_options = unsafe { std::mem::zeroed() };
    o.struct_size = std::mem::size_of::<dst_verify_options>();
    o.now = now;
    o.leeway_seconds = leeway;
    o.exp_optional = true;
    unsafe { dst_verify_opts(token, key, &o, out) }
}
