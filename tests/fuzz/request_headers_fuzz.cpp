// libFuzzer target for the request headers that steer a write: Idempotency-Key
// (parse_idempotency_key) and the API version (resolve_api_version over the
// path, api-version headers and query values, and Accept). The first byte
// picks which; the rest is split at line feeds:
//   even: every line is one Idempotency-Key header value;
//   odd: the first line is the path after /api, each further line a source:
//        "h<value>" a header, "q<value>" a query value, anything else Accept.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "http-edge/middleware/api_version.hpp"
#include "http-edge/middleware/idempotency.hpp"
#include "http-edge/versions/api_versions.hpp"
#include "tests/fuzz/invariant.hpp"

using taskflow::fuzz::expect;
namespace edge = taskflow::edge;

namespace {

std::vector<std::string_view> lines_of(std::string_view in) {
  std::vector<std::string_view> out;
  while (true) {
    auto end = in.find('\n');
    out.push_back(in.substr(0, end));
    if (end == std::string_view::npos)
      return out;
    in.remove_prefix(end + 1);
  }
}

bool printable_ascii(std::string_view s) {
  for (char c : s)
    if (c < 0x20 || c > 0x7E)
      return false;
  return true;
}

// `key` as an RFC 8941 sf-string.
std::string as_sf_string(std::string_view key) {
  std::string out = "\"";
  for (char c : key) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + '"';
}

void idempotency_key(const std::vector<std::string_view>& values) {
  auto parsed = edge::parse_idempotency_key(values);
  if (const auto* p = std::get_if<edge::problem>(&parsed)) {
    expect(p->status == edge::http::status::bad_request && p->slug == "invalid-idempotency-key" && !p->detail.empty(),
           "a refused Idempotency-Key is a 400 that says why");
    return;
  }
  const auto& key = std::get<std::string>(parsed);
  expect(values.size() == 1, "a key is read only from exactly one header");
  expect(!key.empty() && key.size() <= edge::max_idempotency_key_chars && printable_ascii(key),
         "a key is 1 to 255 printable ASCII characters");
  auto requoted = as_sf_string(key);
  auto again = edge::parse_idempotency_key({requoted});
  expect(std::holds_alternative<std::string>(again) && std::get<std::string>(again) == key,
         "a key sent again as a quoted string is the same key");
}

void api_version(const std::vector<std::string_view>& lines) {
  auto path = "/api" + std::string{lines.front()};
  if (!edge::is_api_path(path))
    return;
  edge::api_version_sources sources;
  sources.path = path;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto line = lines[i];
    if (!line.empty() && line.front() == 'h')
      sources.headers.push_back(line.substr(1));
    else if (!line.empty() && line.front() == 'q')
      sources.query.push_back(line.substr(1));
    else
      sources.accept.push_back(line);
  }
  const auto supported = edge::supported_api_versions();
  auto resolved = edge::resolve_api_version(sources, supported);
  if (const auto* p = std::get_if<edge::problem>(&resolved)) {
    expect(p->status == edge::http::status::bad_request &&
               (p->slug == "unsupported-api-version" || p->slug == "api-version-conflict") && !p->detail.empty(),
           "an unresolved version is a 400 that says why");
    return;
  }
  const auto& version = std::get<edge::resolved_api_version>(resolved);
  expect(std::find(supported.begin(), supported.end(), version.version) != supported.end(),
         "a request resolves to a version this edge serves");
  auto prefix = "/api/v" + std::to_string(version.version);
  const auto& routed = version.versioned_path;
  expect(routed.rfind(prefix, 0) == 0 && (routed.size() == prefix.size() || routed[prefix.size()] == '/'),
         "a request is routed under /api/v<its version>");
  expect(!version.from_path || routed == path, "a versioned path is routed as it is");
  auto again = edge::resolve_api_version({routed, {}, {}, {}}, supported);
  const auto* stable = std::get_if<edge::resolved_api_version>(&again);
  expect(stable && stable->version == version.version && stable->versioned_path == routed && stable->from_path,
         "the path a request is routed on names its own version");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  auto lines = lines_of({reinterpret_cast<const char*>(data) + 1, size - 1});
  if (data[0] % 2 == 0)
    idempotency_key(lines);
  else
    api_version(lines);
  return 0;
}
