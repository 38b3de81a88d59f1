// What the admin API shows of each aggregate: the snapshot, never a secret.
#include <catch2/catch.hpp>

#include "actors/session/session_admin_view.hpp"
#include "actors/task/task_admin_view.hpp"
#include "actors/user/user_admin_view.hpp"

using namespace taskflow;

TEST_CASE("a task's admin view is its snapshot, and a deleted task says so", "[admin_view]") {
  task::task_state state;
  state.snapshot.set_id("t1");
  state.snapshot.set_title("Write the report");
  state.snapshot.set_version(3);
  auto view = task::admin_view(state);
  CHECK(view.type() == "task");
  CHECK(view.id() == "t1");
  CHECK(view.version() == 3);
  CHECK(view.exists());
  CHECK(view.task().title() == "Write the report");

  state.deleted = true;
  view = task::admin_view(state);
  CHECK_FALSE(view.exists());
  CHECK(view.deleted());
  CHECK(view.has_task());

  task::task_state never;
  never.snapshot.set_id("t2");
  view = task::admin_view(never);
  CHECK_FALSE(view.exists());
  CHECK(view.state_case() == messages::AggregateState::STATE_NOT_SET);
}

TEST_CASE("a user's admin view never carries the password hash", "[admin_view]") {
  user::user_state state;
  state.snapshot.set_id("u1");
  state.snapshot.set_email("ada@example.com");
  state.snapshot.set_version(1);
  state.password_hash = "$argon2id$v=19$m=65536,t=3,p=1$c2VjcmV0c2FsdA$SECRETHASH";
  auto view = user::admin_view(state);
  CHECK(view.user().email() == "ada@example.com");
  auto bytes = view.SerializeAsString();
  CHECK(bytes.find("SECRETHASH") == std::string::npos);
  CHECK(bytes.find("argon2") == std::string::npos);
}

TEST_CASE("a session's admin view carries no token hashes", "[admin_view]") {
  session::session_state state;
  state.snapshot.set_id("s1");
  state.snapshot.set_user_id("u1");
  state.snapshot.set_version(2);
  state.refresh_hash = "CURRENTREFRESHHASH";
  state.spent_hashes = {"SPENTHASHONE", "SPENTHASHTWO"};
  auto view = session::admin_view(state);
  CHECK(view.session().user_id() == "u1");
  auto bytes = view.SerializeAsString();
  for (const auto* secret : {"CURRENTREFRESHHASH", "SPENTHASHONE", "SPENTHASHTWO"})
    CHECK(bytes.find(secret) == std::string::npos);
}
