// ThreadSanitizer's built-in options for TaskFlow's TSan build
// (cmake/thread_sanitizer.cmake); TSAN_OPTIONS still overrides each one.
//
// suppressions: tests/tsan.supp, the reports proven false (each entry says why).
// second_deadlock_stack: a lock-order report names both acquisitions.

extern "C" const char* __tsan_default_options() {
  return "suppressions=" TASKFLOW_TSAN_SUPPRESSIONS " second_deadlock_stack=1";
}
