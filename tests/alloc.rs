//! The steady-state signing loop allocates nothing: set `ud` to a new value of the same length,
//! then `dst_sign_into`, through the C ABI. Counted by a global allocator (per thread, so the
//! test harness's own threads do not interfere), not by timing.
use dstoken::ffi::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ffi::{c_char, CString};
use std::ptr::null_mut;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

#[test]
fn set_user_id_then_sign_into_allocates_nothing() {
    let key_bytes = b"0123456789abcdef0123456789abcdef";
    let ids: Vec<CString> = (0..1000)
        .map(|i| CString::new(format!("user-{i:06}")).unwrap())
        .collect();
    unsafe {
        let mut key = null_mut();
        assert_eq!(
            dst_key_new(key_bytes.as_ptr(), key_bytes.len(), &mut key),
            dst_status::DST_OK
        );
        let c = dst_claims_new();
        for (f, v) in [
            (
                dst_claims_set_team_id
                    as unsafe extern "C" fn(*mut dst_claims, *const c_char) -> dst_status,
                "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f",
            ),
            (dst_claims_set_room, "daily-standup"),
            (dst_claims_set_user_name, "John Smith"),
            (dst_claims_set_user_id, "user-000000"),
            (dst_claims_set_role, "moderator"),
        ] {
            let v = CString::new(v).unwrap();
            assert_eq!(f(c, v.as_ptr()), dst_status::DST_OK);
        }
        assert_eq!(
            dst_claims_set_issued_at(c, 1_767_225_600),
            dst_status::DST_OK
        );
        assert_eq!(
            dst_claims_set_expires_at(c, 1_767_229_200),
            dst_status::DST_OK
        );
        let mut buf = [0 as c_char; 512];
        let mut len = 0usize;
        let mut previous = [0 as c_char; 512];

        let before = allocations();
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(dst_claims_set_user_id(c, id.as_ptr()), dst_status::DST_OK);
            assert_eq!(
                dst_sign_into(c, key, buf.as_mut_ptr(), buf.len(), &mut len),
                dst_status::DST_OK
            );
            assert_eq!(len, 288);
            assert!(i == 0 || buf != previous, "every token differs");
            previous = buf;
        }
        let during = allocations() - before;
        assert_eq!(
            during, 0,
            "{during} allocations in 1000 set+sign_into iterations"
        );

        // The counter does count: a dst_sign allocates its string.
        let mut token = null_mut();
        let before = allocations();
        assert_eq!(dst_sign(c, key, &mut token), dst_status::DST_OK);
        assert!(allocations() > before);
        dst_string_free(token);
        dst_claims_free(c);
        dst_key_free(key);
    }
}

#[test]
fn mint_into_with_fresh_values_allocates_nothing() {
    let key_bytes = b"0123456789abcdef0123456789abcdef";
    // Fresh values per token: a different user id, user name and time each time.
    let ids: Vec<CString> = (0..1000)
        .map(|i| CString::new(format!("user-{i:06}")).unwrap())
        .collect();
    let names: Vec<CString> = (0..1000)
        .map(|i| CString::new(format!("User Nümber {i}")).unwrap())
        .collect();
    let team = CString::new("b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f").unwrap();
    let room = CString::new("daily-standup").unwrap();
    let role = CString::new("moderator").unwrap();
    unsafe {
        let mut key = null_mut();
        assert_eq!(
            dst_key_new(key_bytes.as_ptr(), key_bytes.len(), &mut key),
            dst_status::DST_OK
        );
        let mut t: dst_room_token = std::mem::zeroed();
        assert_eq!(
            dst_room_token_init_size(&mut t, std::mem::size_of::<dst_room_token>()),
            dst_status::DST_OK
        );
        t.team_id = team.as_ptr();
        t.room = room.as_ptr();
        t.role = role.as_ptr();
        let mut buf = [0 as c_char; 512];
        let mut previous = [0 as c_char; 512];
        let mut len = 0usize;

        let before = allocations();
        for (i, (id, name)) in ids.iter().zip(&names).enumerate() {
            t.user_id = id.as_ptr();
            t.user_name = name.as_ptr();
            t.issued_at = 1_767_225_600 + i as i64;
            t.expires_at = t.issued_at + 3600;
            t.now = t.issued_at; // these times are in the past
            assert_eq!(
                dst_mint_into(&t, key, buf.as_mut_ptr(), buf.len(), &mut len),
                dst_status::DST_OK
            );
            assert!(i == 0 || buf != previous, "every token differs");
            previous = buf;
            // Relative mode with a fixed now, too.
            t.issued_at = 0;
            t.expires_at = 0;
            t.lifetime_seconds = 3600;
            t.not_before_skew_seconds = 30;
            t.now = 1_767_225_600 + i as i64;
            assert_eq!(
                dst_mint_into(&t, key, buf.as_mut_ptr(), buf.len(), &mut len),
                dst_status::DST_OK
            );
            t.lifetime_seconds = 0;
            t.not_before_skew_seconds = 0;
            t.now = 0;
        }
        let during = allocations() - before;
        assert_eq!(
            during, 0,
            "{during} allocations in 2000 dst_mint_into calls"
        );

        // The counter does count: dst_mint allocates its string.
        let mut token = null_mut();
        t.expires_at = 4_102_444_800;
        let before = allocations();
        assert_eq!(dst_mint(&t, key, &mut token), dst_status::DST_OK);
        assert_eq!(allocations() - before, 1, "dst_mint: one allocation");
        dst_string_free(token);
        dst_key_free(key);
    }
}
