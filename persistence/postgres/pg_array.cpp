#include "persistence/postgres/pg_array.hpp"

namespace taskflow::persistence {

void pg_array::separate() {
  if (size_++ > 0)
    body_ += ',';
}

pg_array& pg_array::add(std::string_view text) {
  separate();
  body_ += '"';
  for (char c : text) {
    if (c == '"' || c == '\\')
      body_ += '\\';
    body_ += c;
  }
  body_ += '"';
  return *this;
}

pg_array& pg_array::add(std::int64_t number) {
  separate();
  body_ += std::to_string(number);
  return *this;
}

pg_array& pg_array::add(bool flag) {
  separate();
  body_ += flag ? 't' : 'f';
  return *this;
}

pg_array& pg_array::add(const std::optional<std::string>& text) {
  return text ? add(std::string_view{*text}) : add_null();
}

pg_array& pg_array::add(const std::optional<std::int64_t>& number) {
  return number ? add(*number) : add_null();
}

pg_array& pg_array::add_null() {
  separate();
  body_ += "NULL";
  return *this;
}

}  // namespace taskflow::persistence
