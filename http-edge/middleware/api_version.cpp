#include "http-edge/middleware/api_version.hpp"

#include <algorithm>
#include <cctype>

#include <boost/range/iterator_range.hpp>

#include "http-edge/middleware/header_value.hpp"
#include "http-edge/versions/api_versions.hpp"

namespace taskflow::edge {
namespace {

constexpr std::string_view vendor_prefix = "application/vnd.taskflow.v";
constexpr std::string_view vendor_suffix = "+json";

struct named_version {
  std::string source;  // for the problem detail
  std::string text;    // as sent
};

std::string supported_list(const std::vector<int>& supported) {
  std::string out;
  for (auto v : supported)
    out += (out.empty() ? "" : ", ") + std::to_string(v);
  return out;
}

// "2" -> 2; anything but a canonical decimal (no sign, no leading zero) is not a version.
std::optional<int> version_number(std::string_view text) {
  if (text.empty() || text.size() > 4 || text.front() == '0' ||
      !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }))
    return std::nullopt;
  int v = 0;
  for (char c : text)
    v = v * 10 + (c - '0');
  return v;
}

std::string lower(std::string_view s) {
  std::string out{s};
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// The vN of each vendor media range in an Accept value; other ranges say nothing.
void accept_versions(std::string_view accept, std::vector<named_version>& out) {
  while (!accept.empty()) {
    auto comma = accept.find(',');
    auto range = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view{} : accept.substr(comma + 1);
    auto type = lower(trim_ows(range.substr(0, range.find(';'))));
    if (type.size() > vendor_prefix.size() + vendor_suffix.size() && type.rfind(vendor_prefix, 0) == 0 &&
        type.compare(type.size() - vendor_suffix.size(), vendor_suffix.size(), vendor_suffix) == 0)
      out.push_back({"Accept header",
                     type.substr(vendor_prefix.size(), type.size() - vendor_prefix.size() - vendor_suffix.size())});
  }
}

problem unsupported(const std::string& text, const std::string& source, const std::vector<int>& supported) {
  problem p;
  p.status = http::status::bad_request;
  p.slug = "unsupported-api-version";
  p.title = "Unsupported API version";
  p.detail = "The " + source + " asks for API version '" + text +
             "', which this server does not serve. Supported versions: " + supported_list(supported) + ".";
  p.extensions["supported_versions"] = supported;
  return p;
}

problem conflict(const named_version& a, const named_version& b, const std::vector<int>& supported) {
  problem p;
  p.status = http::status::bad_request;
  p.slug = "api-version-conflict";
  p.title = "Conflicting API versions";
  p.detail = "The " + a.source + " asks for version " + a.text + " but the " + b.source + " asks for version " +
             b.text + "; name one version.";
  p.extensions["supported_versions"] = supported;
  return p;
}

}  // namespace

bool is_api_path(std::string_view path) {
  return path == "/api" || path.rfind("/api/", 0) == 0;
}

std::variant<resolved_api_version, problem> resolve_api_version(const api_version_sources& sources,
                                                                const std::vector<int>& supported) {
  std::vector<named_version> named;
  // After "/api/": a segment "v<digits>" is a version in the path.
  auto rest = sources.path.substr(std::min<std::size_t>(4, sources.path.size()));
  std::string_view segment;
  if (rest.size() > 1) {
    auto end = rest.find('/', 1);
    segment = rest.substr(1, end == std::string_view::npos ? end : end - 1);
  }
  bool in_path = segment.size() > 1 && segment.front() == 'v' &&
                 std::all_of(segment.begin() + 1, segment.end(), [](unsigned char c) { return std::isdigit(c); });
  if (in_path)
    named.push_back({"path", std::string{segment.substr(1)}});
  for (auto h : sources.headers)
    if (!trim_ows(h).empty())
      named.push_back({"api-version header", std::string{trim_ows(h)}});
  for (auto q : sources.query)
    if (!q.empty())
      named.push_back({"api-version query parameter", std::string{q}});
  for (auto a : sources.accept)
    accept_versions(a, named);

  for (const auto& n : named) {
    auto v = version_number(n.text);
    if (!v || std::find(supported.begin(), supported.end(), *v) == supported.end())
      return unsupported(n.text, n.source, supported);
  }
  for (const auto& n : named)
    if (*version_number(n.text) != *version_number(named.front().text))
      return conflict(named.front(), n, supported);

  resolved_api_version out;
  out.version = named.empty() ? supported.back() : *version_number(named.front().text);
  out.from_path = in_path;
  out.versioned_path = in_path ? std::string{sources.path} : "/api/v" + std::to_string(out.version) + std::string{rest};
  return out;
}

std::optional<problem> apply_api_version(request_context& ctx) {
  if (!is_api_path(ctx.path))
    return std::nullopt;
  api_version_sources sources;
  sources.path = ctx.path;
  for (const auto& field : boost::make_iterator_range(ctx.request.equal_range(http::field::accept)))
    sources.accept.emplace_back(field.value().data(), field.value().size());
  for (const auto& field : boost::make_iterator_range(ctx.request.equal_range("api-version")))
    sources.headers.emplace_back(field.value().data(), field.value().size());
  auto [first, last] = ctx.query.equal_range("api-version");
  for (auto it = first; it != last; ++it)
    sources.query.emplace_back(it->second);
  auto resolved = resolve_api_version(sources, supported_api_versions());
  if (auto* p = std::get_if<problem>(&resolved))
    return std::move(*p);
  auto& version = std::get<resolved_api_version>(resolved);
  ctx.api_version = version.version;
  ctx.versioned_path = std::move(version.versioned_path);
  ctx.version_from_path = version.from_path;
  return std::nullopt;
}

void add_api_version_headers(http_response& res, const request_context& ctx, const served_path& served) {
  if (!is_api_path(ctx.path))
    return;
  auto supported = supported_api_versions();
  res.set("api-supported-versions", supported_list(supported));
  if (ctx.api_version == 0)
    return;
  if (!ctx.version_from_path)
    res.set(http::field::vary, "api-version, Accept");
  auto next = std::upper_bound(supported.begin(), supported.end(), ctx.api_version);
  if (next == supported.end())
    return;
  // "/api/v1/tasks/x" -> "/api/v2/tasks/x": the same resource in the successor.
  auto prefix = "/api/v" + std::to_string(ctx.api_version);
  auto successor = "/api/v" + std::to_string(*next) + ctx.versioned_path.substr(prefix.size());
  if (served && !served(successor))
    return;
  res.set("Deprecation", "true");
  res.set(http::field::link, "<" + successor + ">; rel=\"successor-version\"");
}

}  // namespace taskflow::edge
