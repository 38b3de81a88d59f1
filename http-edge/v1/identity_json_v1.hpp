// JSON shapes of the Identity section of API.md, and the request fields it
// reads. Secrets appear only in the answers that hand them out once.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "messages/common/field_errors.hpp"
#include "messages/identity/user.pb.h"
#include "runtime/edge_api/identity_gateway.hpp"

namespace taskflow::edge::v1 {

nlohmann::json user_to_json(const messages::UserSnapshot& user);
nlohmann::json token_grant_to_json(const runtime::token_grant& grant);
nlohmann::json api_key_to_json(const runtime::created_api_key& key);
nlohmann::json client_to_json(const runtime::created_client& client);

// A required string member; records a field error when absent or not a string.
std::string string_field(const nlohmann::json& body, const std::string& name, messages::field_errors& errors);
// A required array of strings.
std::vector<std::string> strings_field(const nlohmann::json& body, const std::string& name,
                                       messages::field_errors& errors);

}  // namespace taskflow::edge::v1
