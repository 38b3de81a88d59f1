// The text form of a PostgreSQL array ('{"a","b",NULL}'), passed as one
// parameter of a multi-row statement (`unnest($1::text[], ...)`): libpqxx 6
// binds no arrays. Every element is quoted, so only '"' and '\' need
// escaping; the server parses the literal, never SQL text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace taskflow::persistence {

class pg_array {
public:
  pg_array& add(std::string_view text);
  pg_array& add(std::int64_t number);
  pg_array& add(bool flag);
  pg_array& add(const std::optional<std::string>& text);
  pg_array& add(const std::optional<std::int64_t>& number);
  pg_array& add_null();

  static pg_array of(const std::vector<std::int64_t>& numbers) {
    pg_array out;
    for (auto n : numbers)
      out.add(n);
    return out;
  }

  std::size_t size() const { return size_; }
  std::string literal() const { return "{" + body_ + "}"; }

private:
  void separate();

  std::string body_;
  std::size_t size_ = 0;
};

}  // namespace taskflow::persistence
