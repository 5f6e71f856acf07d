//go:build cgo && dstoken_pkgconfig

package dstoken

// pkg-config link mode (-tags dstoken_pkgconfig): the header and library of an installed
// dstoken (the libdstoken-dev package, or `cmake --install` into a prefix named by
// PKG_CONFIG_PATH), found as `pkg-config --static dstoken`. --static adds Libs.private (the
// Rust runtime's system libraries) so that a libdir holding only libdstoken.a links too; where
// libdstoken.so is installed beside it the linker prefers the shared library, and the program
// then needs the runtime package (libdstoken0.1) at run time.

/*
#cgo pkg-config: --static dstoken
*/
import "C"
