#include "http-edge/middleware/request_identity.hpp"

#include <algorithm>
#include <cctype>

#include "messages/ids/uuid.hpp"

namespace taskflow::edge {

std::string resolve_request_id(std::string_view client_value) {
  bool sane = !client_value.empty() && client_value.size() <= 128 &&
              std::all_of(client_value.begin(), client_value.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' || c == ':';
              });
  return sane ? std::string{client_value} : ids::new_uuid_v7();
}

}  // namespace taskflow::edge
