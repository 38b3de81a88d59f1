# Writes files into one C++ source as byte arrays, with their content types and
# strong ETags, so the binary serves them without reading anything from disk.
# One script for every set of embedded files (the admin console, the API
# reference); run at build time by http-edge/CMakeLists.txt:
#   cmake -DFILES=<path,path,...> -DOUTPUT=<file.cpp> -DHEADER=<header> -DFUNCTION=<name>
#         -P embed_assets.cmake
# FILES are absolute paths separated by commas; each is served under its file
# name, so two files of one set may not share a name. The output defines
# `std::span<const embedded_asset> FUNCTION()`, declared in HEADER.
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
  elseif(ext STREQUAL ".txt")
    set(type "text/plain; charset=utf-8")
  else()
    message(FATAL_ERROR "embed_assets: no content type for ${name}")
  endif()
  set(${out} "${type}" PARENT_SCOPE)
endfunction()

foreach(required FILES OUTPUT HEADER FUNCTION)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "embed_assets: -D${required}=... is required")
  endif()
endforeach()

set(arrays "")
set(table "")
set(seen "")
set(index 0)
string(REPLACE "," ";" paths "${FILES}")
foreach(path IN LISTS paths)
  get_filename_component(name "${path}" NAME)
  if(name IN_LIST seen)
    message(FATAL_ERROR "embed_assets: two files are named ${name}")
  endif()
  list(APPEND seen "${name}")
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
     "// Generated at build time by http-edge/embedded/embed_assets.cmake; do not edit.\n"
     "#include \"${HEADER}\"\n\n"
     "namespace taskflow::edge {\n"
     "namespace {\n\n"
     "${arrays}"
     "}  // namespace\n\n"
     "std::span<const embedded_asset> ${FUNCTION}() {\n"
     "  static const embedded_asset assets[] = {\n"
     "${table}"
     "  };\n"
     "  return assets;\n"
     "}\n\n"
     "}  // namespace taskflow::edge\n")
# Only touch the output when it changed, so unchanged files do not recompile
# or relink anything.
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
