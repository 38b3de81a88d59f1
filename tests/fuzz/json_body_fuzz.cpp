// libFuzzer target for parse_json_object and json_depth: any bytes as a request
// body. The depth bound must hold before nlohmann sees the text, and whatever
// is accepted must be an object that survives a dump/parse round trip.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "http-edge/json/json_body.hpp"
#include "tests/fuzz/invariant.hpp"

using taskflow::fuzz::expect;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t max_depth = 32;
  const std::string_view body{reinterpret_cast<const char*>(data), size};
  const auto depth = taskflow::edge::json_depth(body, max_depth);
  expect(depth <= max_depth + 1, "json_depth stops one level past the limit");

  auto parsed = taskflow::edge::parse_json_object(body, max_depth);
  if (auto* error = std::get_if<taskflow::edge::json_error>(&parsed)) {
    expect(!error->detail.empty(), "a rejection explains itself");
    return 0;
  }
  const auto& object = std::get<nlohmann::json>(parsed);
  expect(object.is_object(), "only objects are accepted");
  expect(depth <= max_depth, "nothing deeper than the limit is accepted");
  auto again = taskflow::edge::parse_json_object(object.dump(), max_depth);
  expect(std::holds_alternative<nlohmann::json>(again) && std::get<nlohmann::json>(again) == object,
         "an accepted body dumps to text that parses back to it");
  return 0;
}
