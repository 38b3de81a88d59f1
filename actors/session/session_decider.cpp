#include "actors/session/session_decider.hpp"

#include <algorithm>

#include "messages/common/errors.hpp"

namespace taskflow::session {
namespace {

messages::Error unauthenticated(std::string detail) {
  return messages::make_error(messages::ERROR_CODE_UNAUTHENTICATED, std::move(detail));
}

messages::EventEnvelope envelope(const session_state& state, const messages::SessionCommand& command,
                                 std::int64_t now_ms) {
  messages::EventEnvelope event;
  event.set_aggregate_type(aggregate_type);
  event.set_aggregate_id(command.session_id());
  event.set_version(state.snapshot.version() + 1);
  event.set_occurred_at_ms(now_ms);
  return event;
}

messages::EventEnvelope revoked(const session_state& state, const messages::SessionCommand& command,
                                std::int64_t now_ms, std::string reason) {
  auto event = envelope(state, command, now_ms);
  auto& r = *event.mutable_session_revoked();
  r.set_user_id(state.snapshot.user_id());
  r.set_reason(std::move(reason));
  r.set_revoke_until_ms(revocation_lasts_until_ms(state.snapshot, now_ms));
  return event;
}

decision decide_open(const session_state& state, const messages::SessionCommand& command, std::int64_t now_ms) {
  const auto& open = command.open();
  if (state.exists())
    return {{}, messages::make_error(messages::ERROR_CODE_CONFLICT, "A session with this id already exists.")};
  if (open.user_id().empty() || open.refresh_hash().empty() || open.expires_at_ms() <= now_ms ||
      open.access_ttl_ms() <= 0)
    return {{},
            messages::make_error(messages::ERROR_CODE_VALIDATION, "A session needs a user, a token and a lifetime.")};
  auto event = envelope(state, command, now_ms);
  auto& s = *event.mutable_session_opened()->mutable_session();
  s.set_id(command.session_id());
  s.set_user_id(open.user_id());
  *s.mutable_roles() = open.roles();
  s.set_created_at_ms(now_ms);
  s.set_refreshed_at_ms(now_ms);
  s.set_expires_at_ms(open.expires_at_ms());
  s.set_access_ttl_ms(open.access_ttl_ms());
  s.set_version(1);
  return {{std::move(event)}, std::nullopt};
}

decision decide_refresh(const session_state& state, const messages::SessionCommand& command, std::int64_t now_ms) {
  const auto& refresh = command.refresh();
  if (!state.active_at(now_ms))
    return {{}, unauthenticated("The session has ended; sign in again.")};
  const auto& spent = state.spent_hashes;
  if (std::find(spent.begin(), spent.end(), refresh.presented_hash()) != spent.end())
    return {{revoked(state, command, now_ms, "refresh_token_reuse")},
            unauthenticated("This refresh token was already used; the session is revoked. Sign in again.")};
  // Both sides are SHA-256 hashes of the secret, so a plain comparison leaks
  // nothing useful about the token through its timing.
  if (refresh.presented_hash() != state.refresh_hash || refresh.next_hash().empty())
    return {{}, unauthenticated("The refresh token is not valid.")};
  auto event = envelope(state, command, now_ms);
  auto& r = *event.mutable_session_refreshed();
  r.set_generation(state.snapshot.generation() + 1);
  r.set_refreshed_at_ms(now_ms);
  return {{std::move(event)}, std::nullopt};
}

}  // namespace

std::int64_t revocation_lasts_until_ms(const messages::SessionSnapshot& session, std::int64_t revoked_at_ms) {
  return std::min(session.expires_at_ms(), revoked_at_ms + session.access_ttl_ms());
}

decision decide(const session_state& state, const messages::SessionCommand& command, std::int64_t now_ms) {
  if (command.has_open())
    return decide_open(state, command, now_ms);
  if (!state.exists())
    return {{}, messages::make_error(messages::ERROR_CODE_NOT_FOUND, "No session with this id.")};
  if (command.has_refresh())
    return decide_refresh(state, command, now_ms);
  if (command.has_end()) {
    if (state.snapshot.revoked())
      return {};
    auto reason = command.end().reason().empty() ? std::string{"logout"} : command.end().reason();
    return {{revoked(state, command, now_ms, std::move(reason))}, std::nullopt};
  }
  if (command.has_get())
    return {};
  return {{}, messages::make_error(messages::ERROR_CODE_VALIDATION, "The session command has no body.")};
}

session_state evolve(session_state state, const messages::SessionCommand& command,
                     const std::vector<messages::EventEnvelope>& events) {
  for (const auto& event : events) {
    auto& s = state.snapshot;
    if (event.has_session_opened()) {
      s = event.session_opened().session();
      state.refresh_hash = command.open().refresh_hash();
    } else if (event.has_session_refreshed()) {
      s.set_generation(event.session_refreshed().generation());
      s.set_refreshed_at_ms(event.session_refreshed().refreshed_at_ms());
      state.spent_hashes.push_back(std::move(state.refresh_hash));
      if (state.spent_hashes.size() > remembered_spent_hashes)
        state.spent_hashes.erase(state.spent_hashes.begin());
      state.refresh_hash = command.refresh().next_hash();
    } else if (event.has_session_revoked()) {
      s.set_revoked(true);
      s.set_revoked_reason(event.session_revoked().reason());
      s.set_revoked_at_ms(event.occurred_at_ms());
      state.refresh_hash.clear();
    }
    s.set_version(event.version());
  }
  return state;
}

}  // namespace taskflow::session
