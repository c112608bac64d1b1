# Writes a C++ source defining `std::string_view FUNCTION()` that returns the text of INPUT.
# Usage: cmake -DINPUT=... -DOUTPUT=... -DFUNCTION=... -P embed_text.cmake
file(READ "${INPUT}" content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
string(LENGTH "${content}" hex_length)
math(EXPR length "${hex_length} / 2")
file(WRITE "${OUTPUT}.tmp"
  "// generated from ${INPUT} by zone/cmake/embed_text.cmake; do not edit\n"
  "#include <rootgov/zone/embedded.hpp>\n\n"
  "namespace rootgov::zone {\nnamespace {\nconstexpr char kText[] = {${bytes} 0};\n}  // namespace\n\n"
  "std::string_view ${FUNCTION}() { return {kText, ${length}}; }\n\n}  // namespace rootgov::zone\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
