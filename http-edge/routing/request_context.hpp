// What the middleware chain learned about one request, handed to its handler.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http-edge/routing/route_policy.hpp"
#include "http-edge/server/http_types.hpp"
#include "http-edge/server/response_stream.hpp"
#include "messages/task/task_commands.pb.h"
#include "messages/trace/span.hpp"
#include "runtime/edge_api/identity_gateway.hpp"

namespace taskflow::edge {

struct request_context {
  http_request request;
  std::string path;                                // without the query string
  std::multimap<std::string, std::string> query;   // percent-decoded
  std::map<std::string, std::string> path_params;  // {id} and friends
  std::string route = "unmatched";                 // the route pattern, for metrics and logs
  route_policy policy;                             // the matched route's, read by the middleware
  std::string request_id;
  trace::span span;         // the request's server span, ended with the answer
  std::string traceparent;  // its W3C trace context, handed to everything it causes
  std::string remote_address;
  std::chrono::steady_clock::time_point started;
  std::chrono::steady_clock::time_point deadline;
  // Set once the request's credential checked out; principal mirrors it.
  std::optional<runtime::authenticated> identity;
  messages::Principal principal;
  // Set by version resolution for /api paths: the version, and the path with
  // it spelled out (/api/tasks -> /api/v2/tasks), which is what is routed.
  int api_version = 0;
  std::string versioned_path;
  bool version_from_path = false;
  // Set by the idempotency middleware for a request with an Idempotency-Key:
  // the same for every retry of it, so ids derived from it are too.
  std::string execution_id;
  // Headers middleware wants on the answer, whatever the handler says.
  std::vector<std::pair<std::string, std::string>> response_headers;
  // Set by a handler whose answer's body is streamed after its head.
  std::shared_ptr<response_stream> stream;

  // The first value of a query parameter, or nullptr.
  const std::string* query_param(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? nullptr : &it->second;
  }

  std::chrono::milliseconds time_left() const {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    return std::max(left, std::chrono::milliseconds{1});
  }
};

}  // namespace taskflow::edge
