//! The declared minimum Rust version (`rust-version` in Cargo.toml and cli/Cargo.toml) is what
//! the lockfile really needs: the highest `rust-version` of any locked crate. Declaring less
//! promises a build that fails; declaring more refuses toolchains that would work. When a
//! dependency update raises the need, this test names the crate and the version to declare.
use std::process::Command;

fn version(s: &str) -> (u32, u32, u32) {
    let mut parts = s.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

#[test]
fn declared_rust_version_is_what_the_lockfile_needs() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--locked", "--format-version", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    let packages = meta["packages"].as_array().expect("packages");
    let rv = |p: &serde_json::Value| p["rust_version"].as_str().map(version);
    let (needed, by) = packages
        .iter()
        .filter(|p| !p["source"].is_null()) // locked crates, not the workspace's own
        .filter_map(|p| {
            let name = p["name"].as_str().unwrap_or("?");
            let ver = p["version"].as_str().unwrap_or("?");
            rv(p).map(|v| (v, format!("{name} {ver}")))
        })
        .max()
        .expect("some locked crate declares a rust-version");
    let members = packages.iter().filter(|p| p["source"].is_null());
    let mut checked = 0;
    for p in members.filter(|p| p["name"] == "dstoken" || p["name"] == "dstoken-cli") {
        let declared = rv(p).unwrap_or_else(|| panic!("{} declares no rust-version", p["name"]));
        assert_eq!(
            (declared.0, declared.1),
            (needed.0, needed.1),
            "{} declares rust-version {}.{}, but the lockfile needs {}.{} ({by} declares it): set \
             rust-version = \"{}.{}\"",
            p["name"],
            declared.0,
            declared.1,
            needed.0,
            needed.1,
            needed.0,
            needed.1
        );
        checked += 1;
    }
    assert_eq!(
        checked, 2,
        "both dstoken and dstoken-cli are workspace members"
    );
}
