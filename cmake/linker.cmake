# mold links the server and the test binaries (large static links, larger
# still with sanitizers) in a fraction of GNU ld's time. tools/deps/install
# build installs it; where it is missing the default linker links as before.
option(TASKFLOW_MOLD "Link with mold when it is installed" ON)
if(TASKFLOW_MOLD)
  find_program(TASKFLOW_MOLD_LINKER NAMES ld.mold)
  if(TASKFLOW_MOLD_LINKER)
    add_link_options(-fuse-ld=mold)
  endif()
endif()

# Position-dependent executables where nobody runs them but us: the test
# suites start each binary once per test case and the e2e tests start the
# node hundreds of times, and a PIE of this size spends most of its start in
# the dynamic loader, writing relocations into pages it must first fault in
# (unit_http_edge under ASan: 0.70-0.84 s and 39,800 page faults to run one
# test case as PIE, 0.35-0.44 s and 15,500 without; the ASan node 0.65 s
# against 0.34 s to print its version). Every test executable links this
# way (tests/CMakeLists.txt), and so does everything in the sanitizer and
# coverage builds. The Release server and taskflowctl stay PIE, for ASLR.
if(TASKFLOW_SANITIZE OR TASKFLOW_SANITIZE_THREAD OR TASKFLOW_COVERAGE)
  add_link_options(-no-pie)
endif()
