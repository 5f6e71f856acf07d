//! Shared workload for dstoken's benchmarks (the Performance issue's fixed workload).

/// The 32 ASCII key bytes of the fixed workload.
pub const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";
pub const TEAM_ID: &str = "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f";
pub const ROOM: &str = "daily-standup";
pub const USER: &str = "John Smith";
pub const ROLE: &str = "moderator";
pub const IAT: i64 = 1_767_225_600;
pub const EXP: i64 = 1_767_229_200;

/// Writes `user-%06d` for `i` into `buf` (no allocation) and returns it.
pub fn user_id(buf: &mut [u8; 11], i: u32) -> &str {
    buf[..5].copy_from_slice(b"user-");
    let mut n = i % 1_000_000;
    for k in (5..11).rev() {
        buf[k] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    std::str::from_utf8(&buf[..]).unwrap_or("user-000000")
}

/// Distinct `user-%06d` ids (NUL-terminated, for the C ABI), made before timing starts so
/// the timed loops measure setting `ud`, not formatting it. Cycling through 4096 of them
/// keeps every consecutive token different.
pub struct UserIds {
    ids: Vec<[u8; 12]>,
}

impl UserIds {
    pub fn new() -> Self {
        let mut buf = [0u8; 11];
        let ids = (0..4096u32)
            .map(|i| {
                let mut id = [0u8; 12];
                id[..11].copy_from_slice(user_id(&mut buf, i).as_bytes());
                id
            })
            .collect();
        UserIds { ids }
    }

    /// The id for iteration `i`, as `&str`.
    pub fn str(&self, i: u32) -> &str {
        let id = &self.ids[(i & 4095) as usize];
        std::str::from_utf8(&id[..11]).unwrap_or("user-000000")
    }

    /// The id for iteration `i`, as a NUL-terminated C string.
    pub fn c(&self, i: u32) -> *const std::ffi::c_char {
        self.ids[(i & 4095) as usize].as_ptr().cast()
    }
}

impl Default for UserIds {
    fn default() -> Self {
        Self::new()
    }
}
