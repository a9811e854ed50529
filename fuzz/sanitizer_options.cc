// Sanitizer defaults for every fuzzer, so that a fuzzer run by hand judges
// inputs as fuzz/run.sh does: an undefined-behaviour report is a crash (it
// would otherwise print and go on), with its stack. Environment variables
// (UBSAN_OPTIONS, ASAN_OPTIONS) still override these.

extern "C" const char* __ubsan_default_options() {
  return "halt_on_error=1:print_stacktrace=1";
}

extern "C" const char* __asan_default_options() {
  return "detect_leaks=1:check_initialization_order=1:"
         "detect_stack_use_after_return=1:strict_string_checks=1";
}
