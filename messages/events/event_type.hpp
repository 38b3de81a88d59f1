// Names of domain events as they appear in stores, bus subjects and logs.
#pragma once

#include <string_view>

#include "messages/events/event_envelope.pb.h"

namespace taskflow::messages {

// "task.created", "user.registered", "session.revoked", ...
std::string_view event_type(const EventEnvelope& event);

}  // namespace taskflow::messages
