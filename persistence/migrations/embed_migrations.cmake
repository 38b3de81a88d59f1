# Turns migrations/<dialect>/*.sql into a C++ source so the binary carries its
# schema and needs no files at run time. Invoked with -DDIALECT -DSRC_DIR -DOUT.
file(GLOB files "${SRC_DIR}/*.sql")
list(SORT files)
set(body "")
foreach(file IN LISTS files)
  get_filename_component(name "${file}" NAME_WE)
  string(REGEX MATCH "^[0-9]+" number "${name}")
  math(EXPR number "${number} + 0")
  file(READ "${file}" sql)
  string(APPEND body "    {${number}, \"${name}\", R\"taskflow_sql(${sql})taskflow_sql\"},\n")
endforeach()
file(WRITE "${OUT}.tmp" "// Generated from persistence/migrations/${DIALECT}; do not edit.\n#include \"persistence/migrations/migration.hpp\"\n\nnamespace taskflow::persistence {\n\nconst std::vector<migration>& ${DIALECT}_migrations() {\n  static const std::vector<migration> all{\n${body}  };\n  return all;\n}\n\n}  // namespace taskflow::persistence\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
