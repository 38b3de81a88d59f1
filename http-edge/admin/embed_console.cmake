# Writes the console's files into one C++ source as byte arrays, with their
# content types and strong ETags, so the binary serves the console without
# reading anything from disk. Run at build time by http-edge/CMakeLists.txt:
#   cmake -DSOURCE_DIR=<console dir> -DOUTPUT=<file.cpp> -DFILES=<a,b,...> -P embed_console.cmake
# FILES are names relative to SOURCE_DIR, separated by commas.
cmake_minimum_required(VERSION 3.25)

function(content_type_of name out)
  get_filename_component(ext "${name}" LAST_EXT)
  string(TOLOWER "${ext}" ext)
  if(ext STREQUAL ".html")
    set(type "text/html; charset=utf-8")
  elseif(ext STREQUAL ".js")
    set(type "text/javascript; charset=utf-8")
  elseif(ext STREQUAL ".css")
    set(type "text/css; charset=utf-8")
  elseif(ext STREQUAL ".svg")
    set(type "image/svg+xml")
  elseif(ext STREQUAL ".png")
    set(type "image/png")
  else()
    message(FATAL_ERROR "embed_console: no content type for ${name}")
  endif()
  set(${out} "${type}" PARENT_SCOPE)
endfunction()

set(arrays "")
set(table "")
set(index 0)
string(REPLACE "," ";" names "${FILES}")
foreach(name IN LISTS names)
  set(path "${SOURCE_DIR}/${name}")
  file(READ "${path}" hex HEX)
  file(SHA256 "${path}" digest)
  string(SUBSTRING "${digest}" 0 32 digest)
  content_type_of("${name}" type)
  # A trailing zero keeps the array non-empty for an empty file; the size
  # below leaves it out.
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n    "
         bytes "${bytes}")
  string(APPEND arrays "// ${name}\nconst unsigned char asset_${index}[] = {\n    ${bytes}0x00};\n\n")
  string(APPEND table
         "      {\"${name}\", \"${type}\", R\"(\"${digest}\")\",\n"
         "       {reinterpret_cast<const char*>(asset_${index}), sizeof(asset_${index}) - 1}},\n")
  math(EXPR index "${index} + 1")
endforeach()

file(WRITE "${OUTPUT}.tmp"
     "// Generated at build time by http-edge/admin/embed_console.cmake from\n"
     "// http-edge/admin/console/; do not edit.\n"
     "#include \"http-edge/admin/console_assets.hpp\"\n\n"
     "namespace taskflow::edge {\n"
     "namespace {\n\n"
     "${arrays}"
     "}  // namespace\n\n"
     "std::span<const console_asset> console_assets() {\n"
     "  static const console_asset assets[] = {\n"
     "${table}"
     "  };\n"
     "  return assets;\n"
     "}\n\n"
     "}  // namespace taskflow::edge\n")
# Only touch the output when it changed, so an unchanged console does not
# recompile or relink anything.
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
