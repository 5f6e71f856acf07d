//! Leaving no key material behind on the stack or in registers.
//!
//! Every computation that touches key material (HMAC key blocks, the ipad/opad midstates, a
//! per-token copy of them, the expected tag of a token being checked) runs inside
//! [`scrubbed`]: in frames of its own, after which the caller-saved registers are zeroed and
//! then the stack those frames used. Key material that must outlive the computation is written
//! to the heap from inside it (see `SigningKey`). tests/c/test_stack_secrets.c checks the result
//! the way an attacker with a memory read would: it scans the stack after each call, with the
//! registers as they were on return spilled into it, for every window of the key's blocks and
//! midstates.
//!
//! This is the core's only `unsafe` code: the register-clearing `asm!` (x86-64).

/// Runs `f`, which handles key material, in frames of its own; then zeroes the caller-saved
/// registers (which may still hold pieces of it, and which the next lazily bound call, signal
/// or context switch would spill to the stack) and `WIPE` bytes of stack below the caller's
/// frame, where `f`'s frames were. `f` must return nothing secret, must call nothing outside
/// this library (a call through a lazily bound PLT entry saves every vector register, key
/// material included, kilobytes further down the stack), and its frames must fit in `WIPE`
/// bytes: the callers in `key.rs` measure theirs in a test (`scrubbed_frames_fit_the_wipe`).
/// The wipe is sized to those frames (1 KiB in a release build; 32 KiB unoptimised), not to
/// the thread's stack, so the call works on a `PTHREAD_STACK_MIN` stack.
#[inline(always)]
pub(crate) fn scrubbed<const WIPE: usize, R>(f: impl FnOnce() -> R) -> R {
    let result = run(f);
    clear_registers();
    wipe_stack::<WIPE>();
    result
}

/// Runs `f` in a frame of its own (below the caller's), never inlined into it.
#[inline(never)]
pub(crate) fn run<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// Zeroes `N` bytes of stack below the caller's frame. `black_box` makes the zeroes
/// observable, so the compiler cannot drop the writes as dead stores. (The zeroing may call
/// `memset`: the registers hold nothing secret by then.)
#[inline(never)]
fn wipe_stack<const N: usize>() {
    let mut area = [0u8; N];
    std::hint::black_box(&mut area);
}

/// Zeroes the vector registers (all of ZMM0-31 with AVX-512, YMM0-15 with AVX, else
/// XMM0-15) and the caller-saved general-purpose registers. Callee-saved registers hold the
/// caller's own values again once `f` has returned.
#[cfg(target_arch = "x86_64")]
#[inline(never)]
fn clear_registers() {
    if std::arch::is_x86_feature_detected!("avx512f") {
        // SAFETY: the CPU has AVX-512F (checked just above).
        unsafe { x86::clear_zmm() }
    } else if std::arch::is_x86_feature_detected!("avx") {
        // SAFETY: the CPU has AVX (checked just above).
        unsafe { x86::clear_ymm() }
    } else {
        x86::clear_xmm();
    }
    x86::clear_gprs();
}

/// Other architectures: only the stack is wiped.
#[cfg(not(target_arch = "x86_64"))]
#[inline(never)]
fn clear_registers() {}

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod x86 {
    use std::arch::asm;

    /// # Safety
    /// The CPU must support AVX-512F.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn clear_zmm() {
        // SAFETY: writes only the registers it declares as clobbered; no memory, no stack.
        unsafe {
            asm!(
                "vzeroall",
                "vpxord zmm16, zmm16, zmm16", "vpxord zmm17, zmm17, zmm17",
                "vpxord zmm18, zmm18, zmm18", "vpxord zmm19, zmm19, zmm19",
                "vpxord zmm20, zmm20, zmm20", "vpxord zmm21, zmm21, zmm21",
                "vpxord zmm22, zmm22, zmm22", "vpxord zmm23, zmm23, zmm23",
                "vpxord zmm24, zmm24, zmm24", "vpxord zmm25, zmm25, zmm25",
                "vpxord zmm26, zmm26, zmm26", "vpxord zmm27, zmm27, zmm27",
                "vpxord zmm28, zmm28, zmm28", "vpxord zmm29, zmm29, zmm29",
                "vpxord zmm30, zmm30, zmm30", "vpxord zmm31, zmm31, zmm31",
                out("zmm0") _, out("zmm1") _, out("zmm2") _, out("zmm3") _,
                out("zmm4") _, out("zmm5") _, out("zmm6") _, out("zmm7") _,
                out("zmm8") _, out("zmm9") _, out("zmm10") _, out("zmm11") _,
                out("zmm12") _, out("zmm13") _, out("zmm14") _, out("zmm15") _,
                out("zmm16") _, out("zmm17") _, out("zmm18") _, out("zmm19") _,
                out("zmm20") _, out("zmm21") _, out("zmm22") _, out("zmm23") _,
                out("zmm24") _, out("zmm25") _, out("zmm26") _, out("zmm27") _,
                out("zmm28") _, out("zmm29") _, out("zmm30") _, out("zmm31") _,
                options(nomem, nostack, preserves_flags),
            );
        }
    }

    /// # Safety
    /// The CPU must support AVX.
    #[target_feature(enable = "avx")]
    pub(super) unsafe fn clear_ymm() {
        // SAFETY: as clear_zmm.
        unsafe {
            asm!(
                "vzeroall",
                out("ymm0") _, out("ymm1") _, out("ymm2") _, out("ymm3") _,
                out("ymm4") _, out("ymm5") _, out("ymm6") _, out("ymm7") _,
                out("ymm8") _, out("ymm9") _, out("ymm10") _, out("ymm11") _,
                out("ymm12") _, out("ymm13") _, out("ymm14") _, out("ymm15") _,
                options(nomem, nostack, preserves_flags),
            );
        }
    }

    pub(super) fn clear_xmm() {
        // SAFETY: SSE2 is part of x86-64; as clear_zmm.
        unsafe {
            asm!(
                "xorps xmm0, xmm0", "xorps xmm1, xmm1", "xorps xmm2, xmm2", "xorps xmm3, xmm3",
                "xorps xmm4, xmm4", "xorps xmm5, xmm5", "xorps xmm6, xmm6", "xorps xmm7, xmm7",
                "xorps xmm8, xmm8", "xorps xmm9, xmm9", "xorps xmm10, xmm10", "xorps xmm11, xmm11",
                "xorps xmm12, xmm12", "xorps xmm13, xmm13", "xorps xmm14, xmm14", "xorps xmm15, xmm15",
                out("xmm0") _, out("xmm1") _, out("xmm2") _, out("xmm3") _,
                out("xmm4") _, out("xmm5") _, out("xmm6") _, out("xmm7") _,
                out("xmm8") _, out("xmm9") _, out("xmm10") _, out("xmm11") _,
                out("xmm12") _, out("xmm13") _, out("xmm14") _, out("xmm15") _,
                options(nomem, nostack, preserves_flags),
            );
        }
    }

    pub(super) fn clear_gprs() {
        // SAFETY: as clear_zmm (the xors change the flags, which are declared clobbered by
        // default).
        unsafe {
            asm!(
                "xor eax, eax", "xor ecx, ecx", "xor edx, edx", "xor esi, esi", "xor edi, edi",
                "xor r8d, r8d", "xor r9d, r9d", "xor r10d, r10d", "xor r11d, r11d",
                out("rax") _, out("rcx") _, out("rdx") _, out("rsi") _, out("rdi") _,
                out("r8") _, out("r9") _, out("r10") _, out("r11") _,
                options(nomem, nostack),
            );
        }
    }
}
