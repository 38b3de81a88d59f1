// The session aggregate's rules: open once, rotate the refresh token, revoke
// on reuse of a spent one, end on logout, refuse after expiry.
#include <catch2/catch.hpp>

#include "actors/session/session_decider.hpp"

using namespace taskflow;
using namespace taskflow::session;

namespace {

messages::SessionCommand open_command(const std::string& hash, std::int64_t expires_at_ms) {
  messages::SessionCommand cmd;
  cmd.set_session_id("s-1");
  auto& open = *cmd.mutable_open();
  open.set_user_id("u-1");
  open.add_roles("user");
  open.set_refresh_hash(hash);
  open.set_expires_at_ms(expires_at_ms);
  open.set_access_ttl_ms(900'000);
  return cmd;
}

messages::SessionCommand refresh_command(const std::string& presented, const std::string& next) {
  messages::SessionCommand cmd;
  cmd.set_session_id("s-1");
  cmd.mutable_refresh()->set_presented_hash(presented);
  cmd.mutable_refresh()->set_next_hash(next);
  return cmd;
}

session_state step(const session_state& state, const messages::SessionCommand& cmd, std::int64_t now,
                   std::optional<messages::Error>* error = nullptr) {
  auto d = decide(state, cmd, now);
  if (error)
    *error = d.error;
  return evolve(state, cmd, d.events);
}

}  // namespace

TEST_CASE("a session opens once with its first refresh hash", "[unit][session]") {
  auto s = step({}, open_command("h0", 10'000), 1'000);
  CHECK(s.exists());
  CHECK(s.refresh_hash == "h0");
  CHECK(s.snapshot.user_id() == "u-1");
  CHECK(s.snapshot.version() == 1);
  auto again = decide(s, open_command("h9", 10'000), 1'000);
  REQUIRE(again.error);
  CHECK(again.error->code() == messages::ERROR_CODE_CONFLICT);
}

TEST_CASE("refresh rotates the hash and remembers the spent one", "[unit][session]") {
  auto s = step({}, open_command("h0", 10'000), 1'000);
  std::optional<messages::Error> error;
  s = step(s, refresh_command("h0", "h1"), 2'000, &error);
  CHECK_FALSE(error);
  CHECK(s.refresh_hash == "h1");
  CHECK(s.snapshot.generation() == 1);
  CHECK(s.spent_hashes == std::vector<std::string>{"h0"});
}

TEST_CASE("a reused refresh token revokes the session and is refused", "[unit][session]") {
  auto s = step({}, open_command("h0", 10'000), 1'000);
  s = step(s, refresh_command("h0", "h1"), 2'000);
  std::optional<messages::Error> error;
  s = step(s, refresh_command("h0", "h2"), 3'000, &error);
  REQUIRE(error);
  CHECK(error->code() == messages::ERROR_CODE_UNAUTHENTICATED);
  CHECK(s.snapshot.revoked());
  CHECK(s.snapshot.revoked_reason() == "refresh_token_reuse");
  CHECK(s.refresh_hash.empty());
  // The legitimate holder's current token is dead too.
  auto after = decide(s, refresh_command("h1", "h3"), 4'000);
  REQUIRE(after.error);
  CHECK(after.events.empty());
}

TEST_CASE("an unknown refresh token is refused without revoking", "[unit][session]") {
  auto s = step({}, open_command("h0", 10'000), 1'000);
  auto d = decide(s, refresh_command("nope", "h1"), 2'000);
  REQUIRE(d.error);
  CHECK(d.events.empty());
}

TEST_CASE("logout revokes once, expiry refuses refresh", "[unit][session]") {
  auto s = step({}, open_command("h0", 10'000), 1'000);
  messages::SessionCommand end;
  end.set_session_id("s-1");
  end.mutable_end();
  auto d = decide(s, end, 2'000);
  REQUIRE(d.events.size() == 1);
  CHECK(d.events[0].session_revoked().revoke_until_ms() == 10'000);
  s = evolve(s, end, d.events);
  CHECK(decide(s, end, 2'500).events.empty());

  auto fresh = step({}, open_command("h0", 10'000), 1'000);
  auto late = decide(fresh, refresh_command("h0", "h1"), 10'000);
  REQUIRE(late.error);
  CHECK(late.error->code() == messages::ERROR_CODE_UNAUTHENTICATED);
}
