// What every notification_store adapter must do: record an event's
// notifications once however often it is redelivered, page one person's feed
// newest first with exact boundaries, filter the unread, mark one read for
// its recipient only (keeping the first read time), and tell a resumed
// stream what came after a notification it saw. Each case runs on SQLite in a
// fresh file and on PostgreSQL in a fresh database on a real server.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/integration/persistence/store_adapters.hpp"

using namespace taskflow;

namespace {

const std::string ann = "01a20f1d-0000-7000-8000-0000000000a1";
const std::string bob = "01a20f1d-0000-7000-8000-0000000000b2";

messages::Notification note(const std::string& id, const std::string& recipient, std::int64_t at) {
  messages::Notification n;
  n.set_id(id);
  n.set_recipient_id(recipient);
  n.set_type("task.assigned");
  n.set_task_id("01a20f1d-e9b0-73d9-98cf-6ca4369ab622");
  n.set_message("You were assigned to \"Ship it\"");
  n.set_created_at_ms(at);
  return n;
}

std::vector<std::string> ids_of(const ports::feed_page& page) {
  std::vector<std::string> ids;
  for (const auto& e : page.items)
    ids.push_back(e.notification.id());
  return ids;
}

// Each notification as if from an event of its own.
std::vector<ports::event_notifications> events_of(const std::vector<messages::Notification>& notes) {
  std::vector<ports::event_notifications> events;
  for (const auto& n : notes)
    events.push_back({"event-" + n.id(), {n}});
  return events;
}

void record(testing::store_adapter& a, const std::vector<messages::Notification>& notes) {
  REQUIRE(a.notifications->record("notifier", events_of(notes), 1));
}

std::vector<std::string> ids_of(const std::vector<messages::Notification>& notes) {
  std::vector<std::string> ids;
  for (const auto& n : notes)
    ids.push_back(n.id());
  return ids;
}

ports::feed_page feed_of(testing::store_adapter& a, ports::feed_query query) {
  auto page = a.notifications->feed(query);
  REQUIRE(page);
  return *page;
}

}  // namespace

TEST_CASE("a notification is added once, however often its event comes", "[notification_store]") {
  for (auto& [name, make] : testing::store_adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = make();
      std::vector<ports::event_notifications> batch{{"event-1", {note("n-1", ann, 1000), note("n-2", bob, 1000)}},
                                                    {"event-2", {}}};
      auto first = a.notifications->record("notifier", batch, 1);
      REQUIRE(first);
      CHECK(ids_of(*first) == std::vector<std::string>{"n-1", "n-2"});
      auto again = a.notifications->record("notifier", batch, 2);
      REQUIRE(again);
      CHECK(again->empty());
      // Another consumer's inbox is its own, but the rows stay one each.
      auto other = a.notifications->record("another", batch, 3);
      REQUIRE(other);
      CHECK(other->empty());
      auto reopened = a.reopen();
      auto page = feed_of(reopened, {ann, false, 10, std::nullopt});
      REQUIRE(page.items.size() == 1);
      const auto& n = page.items[0].notification;
      CHECK(n.id() == "n-1");
      CHECK(n.type() == "task.assigned");
      CHECK(n.task_id() == "01a20f1d-e9b0-73d9-98cf-6ca4369ab622");
      CHECK(n.message() == "You were assigned to \"Ship it\"");
      CHECK(n.created_at_ms() == 1000);
      CHECK_FALSE(page.items[0].read_at_ms);
    }
  }
}

TEST_CASE("a feed is one person's, newest first, in pages with exact boundaries", "[notification_store]") {
  for (auto& [name, make] : testing::store_adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = make();
      // Two share a time: the id orders them.
      record(a, {note("n-a", ann, 1000), note("n-b", ann, 2000), note("n-c", ann, 2000), note("n-d", ann, 3000),
                 note("n-x", bob, 2500)});
      auto first = feed_of(a, {ann, false, 2, std::nullopt});
      CHECK(ids_of(first) == std::vector<std::string>{"n-d", "n-c"});
      CHECK(first.more);
      const auto& last = first.items.back().notification;
      auto second = feed_of(a, {ann, false, 2, ports::feed_position{last.created_at_ms(), last.id()}});
      CHECK(ids_of(second) == std::vector<std::string>{"n-b", "n-a"});
      CHECK_FALSE(second.more);
      CHECK(feed_of(a, {"nobody", false, 10, std::nullopt}).items.empty());
    }
  }
}

TEST_CASE("marking read is for the recipient only, keeps the first time, and filters the unread",
          "[notification_store]") {
  for (auto& [name, make] : testing::store_adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = make();
      record(a, {note("n-1", ann, 1000), note("n-2", ann, 2000)});
      auto by_other = a.notifications->mark_read(bob, "n-1", 5000);
      REQUIRE(by_other);
      CHECK_FALSE(*by_other);
      auto missing = a.notifications->mark_read(ann, "n-none", 5000);
      REQUIRE(missing);
      CHECK_FALSE(*missing);
      auto marked = a.notifications->mark_read(ann, "n-1", 5000);
      REQUIRE(marked);
      CHECK(*marked);
      auto twice = a.notifications->mark_read(ann, "n-1", 9000);
      REQUIRE(twice);
      CHECK(*twice);

      auto all = feed_of(a, {ann, false, 10, std::nullopt});
      REQUIRE(all.items.size() == 2);
      CHECK(all.items[1].notification.id() == "n-1");
      REQUIRE(all.items[1].read_at_ms);
      CHECK(*all.items[1].read_at_ms == 5000);
      CHECK(ids_of(feed_of(a, {ann, true, 10, std::nullopt})) == std::vector<std::string>{"n-2"});
    }
  }
}

TEST_CASE("a resumed stream finds where it was and gets what came after, oldest first", "[notification_store]") {
  for (auto& [name, make] : testing::store_adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = make();
      record(a, {note("n-a", ann, 1000), note("n-b", ann, 2000), note("n-c", ann, 2000), note("n-d", ann, 3000),
                 note("n-x", bob, 2500)});
      auto at_b = a.notifications->position_of(ann, "n-b");
      REQUIRE(at_b);
      REQUIRE(*at_b);
      CHECK((*at_b)->created_at_ms == 2000);
      CHECK((*at_b)->id == "n-b");
      // Someone else's id is as unknown as one never made.
      auto foreign = a.notifications->position_of(ann, "n-x");
      REQUIRE(foreign);
      CHECK_FALSE(*foreign);
      auto unknown = a.notifications->position_of(ann, "n-none");
      REQUIRE(unknown);
      CHECK_FALSE(*unknown);

      auto after_a = a.notifications->newer_than(ann, {1000, "n-a"}, 10);
      REQUIRE(after_a);
      CHECK(ids_of(*after_a) == std::vector<std::string>{"n-b", "n-c", "n-d"});
      auto limited = a.notifications->newer_than(ann, **at_b, 1);
      REQUIRE(limited);
      CHECK(ids_of(*limited) == std::vector<std::string>{"n-c"});
      auto newest = a.notifications->newer_than(ann, {3000, "n-d"}, 10);
      REQUIRE(newest);
      CHECK(newest->empty());
    }
  }
}
