#include "http-edge/middleware/entity_tags.hpp"

#include <charconv>
#include <vector>

#include "http-edge/middleware/header_value.hpp"

namespace taskflow::edge {
namespace {

struct entity_tag {
  bool weak = false;
  std::string_view opaque;
};

std::vector<std::optional<entity_tag>> split_tags(std::string_view header) {
  std::vector<std::optional<entity_tag>> out;
  while (!header.empty()) {
    auto comma = header.find(',');
    auto item = trim_ows(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    if (item.empty())
      continue;
    entity_tag tag;
    if (item.substr(0, 2) == "W/") {
      tag.weak = true;
      item.remove_prefix(2);
    }
    if (item.size() < 2 || item.front() != '"' || item.back() != '"') {
      out.emplace_back(std::nullopt);
      continue;
    }
    tag.opaque = item.substr(1, item.size() - 2);
    out.emplace_back(tag);
  }
  return out;
}

// The version a tag we could have sent names. Tags compare character by
// character (RFC 9110 §8.8.3.2) and we only send canonical decimals, so "01"
// names nothing.
std::optional<std::int64_t> version_of(std::string_view opaque) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(opaque.data(), opaque.data() + opaque.size(), v);
  if (ec != std::errc{} || end != opaque.data() + opaque.size() || v < 1 || opaque.front() == '0')
    return std::nullopt;
  return v;
}

}  // namespace

std::string etag_for(std::int64_t version) {
  return "\"" + std::to_string(version) + "\"";
}

std::variant<std::int64_t, any_version, unmatchable_version> parse_if_match(std::string_view header) {
  header = trim_ows(header);
  if (header == "*")
    return any_version{};
  auto tags = split_tags(header);
  if (tags.size() != 1 || !tags.front() || tags.front()->weak)
    return unmatchable_version{};
  if (auto v = version_of(tags.front()->opaque))
    return *v;
  return unmatchable_version{};
}

bool if_none_match_names(std::string_view header, std::string_view etag) {
  header = trim_ows(header);
  if (header == "*")
    return true;
  auto wanted = split_tags(etag);
  if (wanted.size() != 1 || !wanted.front())
    return false;
  for (const auto& tag : split_tags(header))
    if (tag && tag->opaque == wanted.front()->opaque)
      return true;
  return false;
}

bool if_none_match_hits(std::string_view header, std::int64_t current_version) {
  header = trim_ows(header);
  if (header == "*")
    return true;
  for (const auto& tag : split_tags(header))
    if (tag && version_of(tag->opaque) == current_version)
      return true;
  return false;
}

}  // namespace taskflow::edge
