# Build step run by CMake (cmake -P): builds the crate with cargo, records the static library's
# native link line as rustc reports it (--print=native-static-libs; cargo replays it on no-op
# builds), and stages the libraries under their ABI names.
#
# Inputs (-D): CARGO, SOURCE_DIR, CARGO_TARGET_DIR, STAGE_DIR, SHARED_NAME (as cargo writes it),
#   STATIC_NAME, REAL_NAME (libdstoken.so.X.Y.Z), SONAME (libdstoken.so.X.Y), LINK_NAME, and for
#   the generated pkg-config file PC_TEMPLATE, PC_PREFIX_REL, PROJECT_VERSION,
#   CMAKE_INSTALL_LIBDIR, CMAKE_INSTALL_INCLUDEDIR.
foreach(v CARGO SOURCE_DIR CARGO_TARGET_DIR STAGE_DIR SHARED_NAME STATIC_NAME REAL_NAME SONAME LINK_NAME
          PC_TEMPLATE PC_PREFIX_REL PROJECT_VERSION CMAKE_INSTALL_LIBDIR CMAKE_INSTALL_INCLUDEDIR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "cargo_build.cmake: ${v} is not set")
  endif()
endforeach()

# CARGO_RUSTC (optional): the command that stands for `cargo rustc`, e.g. "cargo-zigbuild rustc
# --target x86_64-unknown-linux-gnu.2.17"; RELEASE_DIR (optional) where it writes the libraries.
if(NOT CARGO_RUSTC)
  set(CARGO_RUSTC "${CARGO} rustc")
endif()
separate_arguments(_rustc UNIX_COMMAND "${CARGO_RUSTC}")
execute_process(
  COMMAND "${CMAKE_COMMAND}" -E env "CARGO_TARGET_DIR=${CARGO_TARGET_DIR}"
          ${_rustc} --release --locked --lib -- --print=native-static-libs
  WORKING_DIRECTORY "${SOURCE_DIR}"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cargo build failed (${rc})")
endif()

string(REGEX MATCH "native-static-libs: ([^\r\n]*)" _m "${err}")
if(NOT CMAKE_MATCH_1)
  message(FATAL_ERROR "rustc did not report native-static-libs")
endif()
string(STRIP "${CMAKE_MATCH_1}" libs)
file(MAKE_DIRECTORY "${STAGE_DIR}/lib")
# Written only when it changes, so dependants do not rebuild needlessly.
file(CONFIGURE OUTPUT "${STAGE_DIR}/native-static-libs.txt" CONTENT "${libs}\n")

set(release "${CARGO_TARGET_DIR}/release")
if(RELEASE_DIR)
  set(release "${RELEASE_DIR}")
endif()
file(COPY_FILE "${release}/${SHARED_NAME}" "${STAGE_DIR}/lib/${REAL_NAME}" ONLY_IF_DIFFERENT)
file(COPY_FILE "${release}/${STATIC_NAME}" "${STAGE_DIR}/lib/${STATIC_NAME}" ONLY_IF_DIFFERENT)
if(NOT SONAME STREQUAL REAL_NAME)
  file(CREATE_LINK "${REAL_NAME}" "${STAGE_DIR}/lib/${SONAME}" SYMBOLIC)
endif()
if(NOT LINK_NAME STREQUAL SONAME)
  file(CREATE_LINK "${SONAME}" "${STAGE_DIR}/lib/${LINK_NAME}" SYMBOLIC)
endif()

# The installed pkg-config file and CMake fragment carry that link line (Libs.private and
# dstoken::dstoken_static's INTERFACE_LINK_LIBRARIES).
set(DSTOKEN_LIBS_PRIVATE "${libs}")
# PC_PREFIX_ABS (optional): an absolute prefix instead of ${pcfiledir}/PC_PREFIX_REL (packages).
if(PC_PREFIX_ABS)
  set(DSTOKEN_PC_PREFIX "${PC_PREFIX_ABS}")
else()
  set(DSTOKEN_PC_PREFIX "\${pcfiledir}/${PC_PREFIX_REL}")
endif()
configure_file("${PC_TEMPLATE}" "${STAGE_DIR}/dstoken.pc" @ONLY)
separate_arguments(libs_list UNIX_COMMAND "${libs}")
file(CONFIGURE OUTPUT "${STAGE_DIR}/dstoken-native-static-libs.cmake"
     CONTENT "# Generated from rustc --print=native-static-libs\nset(DSTOKEN_NATIVE_STATIC_LIBS \"${libs_list}\")\n")
