// What the gRPC edge learned about one call, read once from the server
// context on the gRPC thread that started it, so the rest of the call (on an
// actor thread or a store pool) never touches that context.
#pragma once

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "messages/common/principal.pb.h"
#include "messages/trace/span.hpp"
#include "runtime/identity/identity_types.hpp"

namespace taskflow::edge::grpc_api {

struct call_context {
  std::string method;  // "CreateTask": the metrics' and logs' label
  std::string request_id;
  trace::span span;         // the call's server span, ended with the answer
  std::string traceparent;  // its W3C trace context
  std::string peer;         // the client's IP address
  // Lower-cased metadata keys, text values; binary (-bin) entries are left out.
  std::multimap<std::string, std::string> metadata;
  std::chrono::steady_clock::time_point started;
  // The earlier of the client's deadline and the node's request timeout.
  std::chrono::steady_clock::time_point deadline;
  std::optional<runtime::authenticated> identity;
  messages::Principal principal;
  // Set for a call with an idempotency-key: the same for every retry of it.
  std::string execution_id;
  bool replayed = false;
  // Refused at once for the in-flight budget: counted, not logged a line.
  bool shed = false;

  std::chrono::milliseconds time_left() const {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    return std::max(left, std::chrono::milliseconds{1});
  }

  // Every value `key` has.
  std::vector<std::string> values(const std::string& key) const {
    std::vector<std::string> out;
    for (auto [it, end] = metadata.equal_range(key); it != end; ++it)
      out.push_back(it->second);
    return out;
  }
};

}  // namespace taskflow::edge::grpc_api
