// The edge's live notification hub: each notification reaches its
// recipient's streams only, limits per user and per node hold and free up,
// a stream too slow to keep up is ended rather than skipped, lapsed
// credentials end streams, and recent positions are remembered.
#include <catch2/catch.hpp>

#include <atomic>

#include "runtime/notifications/live_notifications.hpp"

using namespace taskflow;
using runtime::live_notifications;
using runtime::live_stream;
using runtime::stream_owner;

namespace {

messages::Notification note(const std::string& id, const std::string& recipient, std::int64_t at = 1000) {
  messages::Notification n;
  n.set_id(id);
  n.set_recipient_id(recipient);
  n.set_type("task.assigned");
  n.set_created_at_ms(at);
  return n;
}

std::shared_ptr<live_stream> open(live_notifications& hub, stream_owner owner, std::atomic<int>* wakes = nullptr) {
  auto subscribed = hub.subscribe(std::move(owner), [wakes] {
    if (wakes)
      ++*wakes;
  });
  REQUIRE(std::holds_alternative<std::shared_ptr<live_stream>>(subscribed));
  return std::get<std::shared_ptr<live_stream>>(subscribed);
}

}  // namespace

TEST_CASE("a notification reaches its recipient's streams and no one else's", "[live_notifications]") {
  live_notifications hub{{}};
  std::atomic<int> wakes{0};
  auto ann = open(hub, {"ann", "", 0}, &wakes);
  auto ann2 = open(hub, {"ann", "", 0});
  auto bob = open(hub, {"bob", "", 0});
  hub.publish({note("n-1", "ann"), note("n-2", "ann")});
  CHECK(wakes == 1);  // once until taken
  auto got = ann->take();
  REQUIRE(got.items.size() == 2);
  CHECK(got.items[0].id() == "n-1");
  CHECK_FALSE(got.ended);
  CHECK(ann2->take().items.size() == 2);
  CHECK(bob->take().items.empty());
  hub.publish({note("n-3", "ann")});
  CHECK(wakes == 2);
}

TEST_CASE("limits per user and per node refuse, and a dropped stream frees its place", "[live_notifications]") {
  live_notifications hub{{3, 2, 256, 4096}};
  auto a1 = open(hub, {"ann", "", 0});
  auto a2 = open(hub, {"ann", "", 0});
  auto third = hub.subscribe({"ann", "", 0}, [] {});
  REQUIRE(std::holds_alternative<runtime::stream_refusal>(third));
  CHECK(std::get<runtime::stream_refusal>(third) == runtime::stream_refusal::user_full);
  auto b1 = open(hub, {"bob", "", 0});
  auto full = hub.subscribe({"carol", "", 0}, [] {});
  REQUIRE(std::holds_alternative<runtime::stream_refusal>(full));
  CHECK(std::get<runtime::stream_refusal>(full) == runtime::stream_refusal::node_full);
  CHECK(hub.streams() == 3);
  a1.reset();
  CHECK(hub.streams() == 2);
  open(hub, {"carol", "", 0});
}

TEST_CASE("a stream that falls too far behind is ended, keeping what it had", "[live_notifications]") {
  live_notifications hub{{1000, 5, 2, 4096}};
  auto slow = open(hub, {"ann", "", 0});
  hub.publish({note("n-1", "ann"), note("n-2", "ann"), note("n-3", "ann")});
  auto got = slow->take();
  CHECK(got.items.size() == 2);
  CHECK(got.ended);
  hub.publish({note("n-4", "ann")});
  CHECK(slow->take().items.empty());
}

TEST_CASE("streams end when their token expires or their session is revoked", "[live_notifications]") {
  live_notifications hub{{}};
  auto expiring = open(hub, {"ann", "s-1", 5000});
  auto revoked = open(hub, {"bob", "s-2", 0});
  auto api_key = open(hub, {"carol", "", 0});
  auto is_revoked = [](const std::string& session) { return session == "s-2"; };
  hub.end_lapsed(4999, [](const std::string&) { return false; });
  CHECK_FALSE(expiring->take().ended);
  CHECK_FALSE(revoked->take().ended);
  hub.end_lapsed(5000, is_revoked);
  CHECK(expiring->take().ended);
  CHECK(revoked->take().ended);
  CHECK_FALSE(api_key->take().ended);
}

TEST_CASE("the hub remembers recent notifications, forgetting the oldest", "[live_notifications]") {
  live_notifications hub{{1000, 5, 256, 3}};
  hub.publish({note("n-1", "ann", 10), note("n-2", "bob", 20), note("n-4", "ann", 30), note("n-3", "ann", 30)});
  CHECK_FALSE(hub.position_of("n-1"));
  auto at = hub.position_of("n-4");
  REQUIRE(at);
  CHECK(at->created_at_ms == 30);
  CHECK(at->id == "n-4");
  CHECK(hub.position_of("n-2"));
  // In feed order after the anchor, the recipient's only.
  auto after = hub.recent_after("ann", {10, "n-1"});
  REQUIRE(after.size() == 2);
  CHECK(after[0].id() == "n-3");
  CHECK(after[1].id() == "n-4");
  CHECK(hub.recent_after("ann", {30, "n-3"}).size() == 1);
  // A redelivered notification is kept once.
  hub.publish({note("n-4", "ann", 30)});
  CHECK(hub.recent_after("ann", {10, "n-1"}).size() == 2);
}
