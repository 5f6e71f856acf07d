//go:build cgo && !dstoken_pkgconfig

package dstoken

// Default link mode: the static library of the repository this package lives in, built with
// `cargo build --release --locked` at the repository root (target/release/libdstoken.a), and
// the header include/dstoken.h next to it. A program built this way needs no libdstoken.so at
// run time. The system libraries after it are rustc's native-static-libs for linux-gnu (the
// Libs.private of dstoken.pc).
//
// Build with -tags dstoken_pkgconfig to use an installed copy through pkg-config instead
// (link_pkgconfig.go). CGO_CFLAGS and CGO_LDFLAGS add to these flags in either mode.

/*
#cgo CFLAGS: -I${SRCDIR}/../../include
#cgo LDFLAGS: ${SRCDIR}/../../target/release/libdstoken.a -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
*/
import "C"
