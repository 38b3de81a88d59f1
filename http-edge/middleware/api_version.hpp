// Version resolution for /api (API.md "Versions"). A request names its
// version in the path (/api/v2/tasks) or, on an unversioned path
// (/api/tasks), in the `api-version` header, the `api-version` query
// parameter or an `Accept: application/vnd.taskflow.vN+json` media range.
// No version at all means the latest. Every source that is present must name
// the same supported version: disagreement and unknown versions are 400.
// The resolved request is routed on its versioned path, so handlers only ever
// see /api/vN/... and never learn which source was used.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "http-edge/problem/problem.hpp"
#include "http-edge/routing/request_context.hpp"

namespace taskflow::edge {

struct api_version_sources {
  std::string_view path;
  std::vector<std::string_view> headers;  // every api-version header value
  std::vector<std::string_view> query;    // every api-version query value
  std::vector<std::string_view> accept;   // every Accept header value
};

struct resolved_api_version {
  int version = 0;
  std::string versioned_path;  // /api/vN/...
  bool from_path = false;
};

bool is_api_path(std::string_view path);

// The rules above, for `supported` versions (ascending; the last is the
// latest). Only for paths under /api.
std::variant<resolved_api_version, problem> resolve_api_version(const api_version_sources& sources,
                                                                const std::vector<int>& supported);

// The middleware step: resolves the request's version against the versions
// this edge serves and records it in the context (api_version,
// versioned_path). Paths outside /api pass through untouched.
std::optional<problem> apply_api_version(request_context& ctx);

// Whether the edge serves a path (any method); every path when empty.
using served_path = std::function<bool(std::string_view path)>;

// api-supported-versions on every /api response; Deprecation and a Link to
// the successor version's path on responses of deprecated versions whose
// resource the successor serves (identity lives in v1 only, so it is current
// there, not deprecated); Vary when the version came from a header.
void add_api_version_headers(http_response& res, const request_context& ctx, const served_path& served = {});

}  // namespace taskflow::edge
