//! The committed header must be exactly what cbindgen generates from the code, and every
//! declaration in it must be documented.
use std::path::Path;

const GENERATED: &str = include_str!(concat!(env!("OUT_DIR"), "/dstoken.h"));

fn committed() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("include/dstoken.h");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn committed_header_matches_generated() {
    assert!(
        committed() == GENERATED,
        "include/dstoken.h differs from the header generated from the code: run `cargo build` \
         outside CI to refresh it, then commit it"
    );
}

/// Every function prototype, typedef and #define (but the include guard) is directly preceded
/// by a doc comment ending in `*/`.
#[test]
fn every_item_is_documented() {
    let header = committed();
    let lines: Vec<&str> = header.lines().collect();
    let mut items = 0;
    for (i, line) in lines.iter().enumerate() {
        let is_item = line.starts_with("typedef")
            || (line.starts_with("#define") && !line.contains("DSTOKEN_H"))
            || (line.ends_with(");") && !line.starts_with(' ') && !line.starts_with('}'));
        if !is_item {
            continue;
        }
        items += 1;
        // Version macros share one comment; walk up over them.
        let mut j = i;
        while j > 0 && lines[j - 1].starts_with("#define DSTOKEN_VERSION") {
            j -= 1;
        }
        assert!(
            j > 0 && lines[j - 1].trim_end().ends_with("*/"),
            "undocumented: {line}"
        );
    }
    assert!(items > 40, "found only {items} items");
    for f in header.lines().filter(|l| l.starts_with("dst_status dst_")) {
        let name = f
            .split('(')
            .next()
            .unwrap_or_default()
            .trim_start_matches("dst_status ");
        let doc_start = header.find(f).unwrap();
        let doc = &header[header[..doc_start].rfind("/**").unwrap()..doc_start];
        for needle in ["@return", "Ownership:", "Thread safety:"] {
            assert!(doc.contains(needle), "{name} lacks {needle}");
        }
    }
}

#[test]
fn header_is_plain_c_with_the_contracted_includes() {
    let header = committed();
    for inc in [
        "#include <stdbool.h>",
        "#include <stddef.h>",
        "#include <stdint.h>",
    ] {
        assert!(header.contains(inc));
    }
    assert_eq!(header.matches("#include").count(), 3);
    assert!(header.contains("#ifndef DSTOKEN_H") && header.contains("extern \"C\" {"));
    let version = env!("CARGO_PKG_VERSION");
    assert!(header.contains(&format!("#define DSTOKEN_VERSION_STRING \"{version}\"")));
}
