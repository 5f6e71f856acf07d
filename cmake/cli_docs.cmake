# Build step run by CMake (cmake -P) after `cargo build -p dstoken-cli`: generates the man pages
# and shell completions from the binary's own argument definitions (clap_mangen, clap_complete),
# so they can never drift from `dstoken --help`.
#
# Inputs (-D): DSTOKEN_EXE (the built binary), OUT_DIR (gets man1/*.1 and completions/).
foreach(v DSTOKEN_EXE OUT_DIR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "cli_docs.cmake: ${v} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE "${OUT_DIR}/man1")
file(MAKE_DIRECTORY "${OUT_DIR}/man1" "${OUT_DIR}/completions")
execute_process(COMMAND "${DSTOKEN_EXE}" man --out-dir "${OUT_DIR}/man1" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "dstoken man failed (${rc})")
endif()
foreach(pair "bash;dstoken" "zsh;_dstoken" "fish;dstoken.fish")
  list(GET pair 0 shell)
  list(GET pair 1 name)
  execute_process(COMMAND "${DSTOKEN_EXE}" completions ${shell}
                  OUTPUT_FILE "${OUT_DIR}/completions/${name}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "dstoken completions ${shell} failed (${rc})")
  endif()
endforeach()
