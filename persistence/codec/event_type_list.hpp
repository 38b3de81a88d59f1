// How a webhook's event types are stored, the same for every SQL adapter:
// one comma-separated column. Types are dotted words without commas, and
// which endpoints want a notification is decided after reading them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace taskflow::persistence {

std::string encode_event_types(const std::vector<std::string>& types);
std::vector<std::string> decode_event_types(std::string_view text);
bool lists_event_type(std::string_view text, std::string_view type);

}  // namespace taskflow::persistence
