#include "persistence/codec/identity_codec.hpp"

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "actors/ports/store_error.hpp"
#include "actors/session/session_decider.hpp"

namespace taskflow::persistence {

std::string encode_session_secrets(const session::session_state& state) {
  return nlohmann::json{{"refresh_hash", state.refresh_hash}, {"spent_hashes", state.spent_hashes}}.dump();
}

caf::expected<void> decode_session_secrets(const std::string& text, session::session_state& state) {
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object())
    return ports::make_error(ports::store_errc::corrupt, "session secrets are not a JSON object");
  state.refresh_hash = json.value("refresh_hash", "");
  state.spent_hashes = json.value("spent_hashes", std::vector<std::string>{});
  return caf::unit;
}

std::optional<std::int64_t> revoke_until(const session::session_state& state) {
  if (!state.snapshot.revoked())
    return std::nullopt;
  return session::revocation_lasts_until_ms(state.snapshot, state.snapshot.revoked_at_ms());
}

std::string join_scopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes)
    out += (out.empty() ? "" : " ") + s;
  return out;
}

std::vector<std::string> split_scopes(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in{text};
  for (std::string s; in >> s;)
    out.push_back(s);
  return out;
}

}  // namespace taskflow::persistence
