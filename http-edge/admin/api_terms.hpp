// The runtime's admin JSON (Protobuf field names, enum names, epoch
// milliseconds) in the terms the API uses everywhere else, as v2 writes
// them: a task's status "in_progress", its priority "high", a point in time
// as RFC 3339 under its name without "_ms" ("created_at_ms": 0 becomes
// "created_at": null). Durations ("access_ttl_ms") stay numbers. Applied to
// states and event payloads alike, at any depth.
#pragma once

#include <nlohmann/json.hpp>

namespace taskflow::edge {

nlohmann::json in_api_terms(const nlohmann::json& runtime_json);

}  // namespace taskflow::edge
