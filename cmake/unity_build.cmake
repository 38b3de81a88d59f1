# Unity build: each target's sources compile in batches of twelve, one
# translation unit per batch. Precompiled headers (precompiled_headers.cmake)
# spare every source the parsing of CAF, Beast and protobuf; what they leave is
# instantiating and generating the same templates (actors, handlers, Beast's
# and Asio's machinery) once per source, which a batch does once. The sanitizer
# build of one library took 168 s one source at a time and 69 s in batches of
# twelve (the same two cores); batches of 8 or 24 were slower.
#
# A source in a batch shares it with its neighbours' anonymous namespaces, so
# two sources of one target must not define the same name there; generated
# sources and the few tests whose fixtures share names opt out with
# SKIP_UNITY_BUILD_INCLUSION. tests/arch's clang-tidy run checks sources in
# batches the same way. Coverage builds compile one source at a time, as the
# figures in docs/reliability.md were measured; so does a Clang build, the one
# that has the fuzz targets: they link parsers compiled again with coverage
# instrumentation in place of the libraries' objects (tests/fuzz), which works
# only while each library object holds one source, not a batch that would
# bring the same functions a second time. -DTASKFLOW_UNITY=OFF compiles one
# source at a time anywhere (a change to one file then recompiles it alone).
option(TASKFLOW_UNITY "Compile each target's sources in batches (a CMake unity build)" ON)
if(TASKFLOW_UNITY AND NOT TASKFLOW_COVERAGE AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(CMAKE_UNITY_BUILD ON)
  set(CMAKE_UNITY_BUILD_BATCH_SIZE 12)
endif()
