// Stored payloads are Protobuf's canonical JSON: readable by an operator with
// psql or sqlite3, and tolerant of fields added later.
#pragma once

#include <string>

#include <google/protobuf/message.h>
#include <caf/expected.hpp>

namespace taskflow::persistence {

std::string to_json(const google::protobuf::Message& message);

// store_errc::corrupt when the text is not a valid encoding of the message.
caf::expected<void> from_json(const std::string& text, google::protobuf::Message& message);

}  // namespace taskflow::persistence
