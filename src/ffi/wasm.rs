//! Memory for a WebAssembly host (wasm32 builds only, not in the C header). A host that loads
//! dstoken.wasm has no C allocator of its own inside the module's memory: it asks the module
//! for blocks to write its arguments into (strings, key bytes, dst_room_token, out-pointers)
//! and gives them back. Strings dstoken returns are still freed with dst_string_free().
use super::call_infallible;
use std::alloc::{alloc, dealloc, Layout};

/// Every block starts with its size, so dst_wasm_free() needs only the pointer (as free()
/// does); 8 bytes keep the block aligned for the int64_t fields of dst_room_token.
const HEADER: usize = 8;
const ALIGN: usize = 8;

/// Allocates `size` bytes (at least 1) in the module's memory, aligned to 8 bytes, not
/// zeroed. Returns NULL when the memory cannot grow that far.
///
/// Ownership: the caller owns the block and returns it with dst_wasm_free().
/// Thread safety: wasm32-unknown-unknown has one thread.
#[no_mangle]
pub extern "C" fn dst_wasm_alloc(size: usize) -> *mut u8 {
    call_infallible(std::ptr::null_mut(), || {
        let Some(total) = size.max(1).checked_add(HEADER) else {
            return std::ptr::null_mut();
        };
        let Ok(layout) = Layout::from_size_align(total, ALIGN) else {
            return std::ptr::null_mut();
        };
        // SAFETY: the layout's size is not zero.
        let p = unsafe { alloc(layout) };
        if p.is_null() {
            return p;
        }
        // SAFETY: the block is `total` >= HEADER bytes, aligned to 8.
        unsafe {
            (p as *mut usize).write(total);
            p.add(HEADER)
        }
    })
}

/// Frees a block from dst_wasm_alloc(). NULL is a no-op.
///
/// Ownership: takes ownership. Never pass a pointer dst_wasm_alloc() did not return, nor a
/// string from dstoken (dst_string_free() frees those).
/// Thread safety: wasm32-unknown-unknown has one thread.
#[no_mangle]
pub unsafe extern "C" fn dst_wasm_free(ptr: *mut u8) {
    call_infallible((), || {
        if ptr.is_null() {
            return;
        }
        // SAFETY: `ptr` came from dst_wasm_alloc, which put the block's size HEADER bytes
        // before it, with the layout it was allocated with.
        unsafe {
            let base = ptr.sub(HEADER);
            let total = (base as *const usize).read();
            dealloc(base, Layout::from_size_align_unchecked(total, ALIGN));
        }
    })
}
