//! Shared workload for dstoken's benchmarks (one fixed room token).

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

/// The CPU time this thread has run, in ns (Linux: clock_gettime(CLOCK_THREAD_CPUTIME_ID),
/// exact to the nanosecond, where /proc/thread-self/schedstat is updated only at scheduler
/// ticks and reads 0 for a short run), if known.
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn thread_cpu_ns() -> Option<u64> {
    /// `struct timespec` on 64-bit Linux: time_t and long are both 64 bits.
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one struct timespec through a valid pointer.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64)
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn thread_cpu_ns() -> Option<u64> {
    None
}

/// One row of a threads table: median tokens/s on 1 and on 2 threads, and the median CPU time
/// per token on each (ns; NaN where the platform does not say). On a busy machine the tokens/s
/// of 2 threads show how much of a second core the other processes left; the CPU time per
/// token does not depend on that, and stays the same on 2 threads unless the threads contend
/// (a lock, or a cache line both write).
#[derive(Clone, Debug)]
pub struct Scaling {
    pub rate: [f64; 2],
    pub cpu_ns: [f64; 2],
    /// Every round's tokens/s on 1 and 2 threads, in round order.
    pub rate_rounds: [Vec<f64>; 2],
    /// Every round's CPU ns per token on 1 and 2 threads, in round order.
    pub cpu_rounds: [Vec<f64>; 2],
}

/// Throughput on 1 and on 2 threads at once (servers mint from many threads with one key).
/// `work(n)` does `n` operations on the calling thread, making whatever per-thread state it needs
/// (claims, buffers); the key it uses is shared. Each round runs the one-thread and the
/// two-thread case back to back (interleaved, robust to a busy machine).
pub fn scaling(rounds: usize, per_thread: u32, work: impl Fn(u32) + Sync) -> Scaling {
    let mut rates: [Vec<f64>; 2] = Default::default();
    let mut cpu: [Vec<f64>; 2] = Default::default();
    for _ in 0..rounds.max(1) {
        for (k, threads) in [1u32, 2].into_iter().enumerate() {
            let start = std::time::Instant::now();
            let used: Vec<Option<u64>> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..threads)
                    .map(|_| {
                        s.spawn(|| {
                            let before = thread_cpu_ns();
                            work(per_thread);
                            Some(thread_cpu_ns()?.saturating_sub(before?))
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().ok().flatten())
                    .collect()
            });
            let secs = start.elapsed().as_secs_f64().max(1e-9);
            let tokens = f64::from(threads * per_thread);
            rates[k].push(tokens / secs);
            let total: Option<u64> = used.into_iter().sum();
            cpu[k].push(total.map_or(f64::NAN, |ns| ns as f64 / tokens));
        }
    }
    Scaling {
        rate: [median(&rates[0]), median(&rates[1])],
        cpu_ns: [median(&cpu[0]), median(&cpu[1])],
        rate_rounds: rates,
        cpu_rounds: cpu,
    }
}

/// The median (the mean of the middle two for an even count, as bench/report.py checks it).
pub fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

/// A benchmark's results in the format of bench/README.md, written to the file named by
/// `DSTOKEN_BENCH_JSON` (when it is set) by [`Results::write`].
pub struct Results {
    rows: Vec<String>,
}

/// What bench/report.py reads of one path: id, name, implementation, kind, operation.
pub type Meta<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str);

impl Results {
    pub fn new() -> Self {
        Results { rows: Vec::new() }
    }

    /// One result: `rounds` in `unit`, measured with `clock` on `threads` threads.
    pub fn add(&mut self, m: Meta, threads: u32, unit: &str, clock: &str, rounds: &[f64]) {
        let (id, name, imp, kind, op) = m;
        let rounded: Vec<f64> = rounds.iter().map(|v| (v * 10.0).round() / 10.0).collect();
        let list: Vec<String> = rounded.iter().map(|v| format!("{v:.1}")).collect();
        self.rows.push(format!(
            r#"  {{"id": "{id}", "name": "{name}", "impl": "{imp}", "kind": "{kind}", "op": "{op}", "threads": {threads}, "unit": "{unit}", "clock": "{clock}", "median": {:.2}, "rounds": [{}]}}"#,
            median(&rounded),
            list.join(", ")
        ));
    }

    /// The rows of a [`scaling`] run: tokens/s and CPU ns per token on 1 and 2 threads, with
    /// the id `threads:<id>`.
    pub fn add_scaling(&mut self, m: Meta, s: &Scaling) {
        let id = format!("threads:{}", m.0);
        let m = (id.as_str(), m.1, m.2, m.3, m.4);
        for (k, threads) in [1u32, 2].into_iter().enumerate() {
            self.add(m, threads, "tokens/s", "wall", &s.rate_rounds[k]);
            if s.cpu_rounds[k].iter().all(|v| v.is_finite()) {
                self.add(m, threads, "ns/token", "cpu", &s.cpu_rounds[k]);
            }
        }
    }

    /// Writes the results to `$DSTOKEN_BENCH_JSON`, if set; `program` and `settings` (a JSON
    /// object's members) say what ran.
    pub fn write(&self, program: &str, settings: &str) -> std::io::Result<()> {
        let Some(out) = std::env::var_os("DSTOKEN_BENCH_JSON").filter(|s| !s.is_empty()) else {
            return Ok(());
        };
        let path = std::path::PathBuf::from(out);
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("rust");
        let text = format!(
            "{{\"schema\": 1, \"benchmark\": \"{stem}\", \"language\": \"Rust\", \"program\": \"{program}\",\n \"settings\": {{{settings}}},\n \"runtime\": \"dstoken {}\",\n \"results\": [\n{}\n ]}}\n",
            dstoken::VERSION,
            self.rows.join(",\n")
        );
        std::fs::write(&path, text)
    }
}

impl Default for Results {
    fn default() -> Self {
        Self::new()
    }
}

/// Prints the header of a table of [`scaling`] rows.
pub fn print_scaling_header(rounds: usize, per_thread: u32) {
    println!(
        "threads: 1 and 2 threads sharing one key ({rounds} interleaved rounds, {per_thread} tokens per thread, median; this machine has {} CPUs)",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "{:<40} {:>14} {:>15} {:>8} {:>11} {:>11}",
        "operation", "1 thread tok/s", "2 threads tok/s", "2t / 1t", "CPU ns 1t", "CPU ns 2t"
    );
}

/// Prints one row of a [`scaling`] table.
pub fn print_scaling_row(name: &str, s: &Scaling) {
    println!(
        "{name:<40} {:>14.0} {:>15.0} {:>8.2} {:>11.1} {:>11.1}",
        s.rate[0],
        s.rate[1],
        s.rate[1] / s.rate[0],
        s.cpu_ns[0],
        s.cpu_ns[1]
    );
}

/// A `dst_key` pointer shared by threads (the C ABI documents `dst_key` as immutable and safe
/// to use from any number of threads at once).
#[derive(Clone, Copy)]
pub struct SharedKey(pub *const dstoken::ffi::dst_key);
// SAFETY: dst_key is immutable after dst_key_new and documented as shareable across threads.
unsafe impl Send for SharedKey {}
unsafe impl Sync for SharedKey {}
