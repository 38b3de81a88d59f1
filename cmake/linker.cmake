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
