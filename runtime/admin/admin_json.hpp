// JSON for the admin API's views of actor state and events, made where the
// state lives (each node's admin agent) so any edge can show it as it is.
// Protobuf field names; 64-bit integers as JSON numbers (the canonical
// Protobuf mapping would quote them); enums by name.
#pragma once

#include <google/protobuf/message.h>
#include <nlohmann/json.hpp>

#include "messages/events/event_envelope.pb.h"

namespace taskflow::runtime {

nlohmann::json message_to_json(const google::protobuf::Message& message);

// {event_id, type ("task.updated"), aggregate_type, aggregate_id, version,
// occurred_at_ms, actor_id (whose command), data: {the payload}}; nothing
// secret (an API key's hash is left out).
nlohmann::json event_to_json(const messages::EventEnvelope& event);

}  // namespace taskflow::runtime
