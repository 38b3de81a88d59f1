# Read by ctest, not cmake (TEST_INCLUDE_FILES): a timeout for every faults
# test that grows with TASKFLOW_SOAK_SECONDS as that run sets it, which a
# TIMEOUT fixed at configure time could not. Setup, the settling of the
# outbox after a kill (a 30 s lease) and the audits take at most 300 s more.
set(soak_seconds 60)
if(DEFINED ENV{TASKFLOW_SOAK_SECONDS} AND NOT "$ENV{TASKFLOW_SOAK_SECONDS}" STREQUAL "")
  set(soak_seconds "$ENV{TASKFLOW_SOAK_SECONDS}")
endif()
math(EXPR soak_timeout "${soak_seconds} * 3 / 2 + 300")
foreach(test IN LISTS faults_mixed_TESTS)
  set_tests_properties("${test}" PROPERTIES TIMEOUT ${soak_timeout})
endforeach()
