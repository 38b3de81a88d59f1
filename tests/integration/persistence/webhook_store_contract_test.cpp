// What every webhook_store adapter must do: keep each owner's endpoints,
// enqueue one delivery per matching enabled endpoint and never a second,
// lease due deliveries to one node at a time until the lease lapses, fence
// outcomes on the lease, disable an endpoint on request, and page a delivery
// log newest first. Each case runs on SQLite in a fresh file and on
// PostgreSQL in a fresh database on a real server.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/persistence/store_adapters.hpp"

using namespace taskflow;

namespace {

const std::string ann = "01a20f1d-0000-7000-8000-0000000000a1";
const std::string bob = "01a20f1d-0000-7000-8000-0000000000b2";
const std::string hook_a = "01a20f1d-0000-7000-8000-00000000aaa1";
const std::string hook_b = "01a20f1d-0000-7000-8000-00000000aaa2";
const std::string hook_c = "01a20f1d-0000-7000-8000-00000000bbb1";

ports::webhook_endpoint endpoint(const std::string& id, const std::string& owner, std::vector<std::string> events,
                                 std::int64_t at = 1000) {
  return {id, owner, "https://hooks.example.com/" + id, std::move(events), "whsec_c2VjcmV0", at, std::nullopt};
}

messages::Notification note(const std::string& id, const std::string& recipient, const std::string& type,
                            std::int64_t at = 500) {
  messages::Notification n;
  n.set_id(id);
  n.set_recipient_id(recipient);
  n.set_type(type);
  n.set_task_id("01a20f1d-e9b0-73d9-98cf-6ca4369ab622");
  n.set_message("You were assigned to \"Ship it\"");
  n.set_created_at_ms(at);
  return n;
}

// Ann has two endpoints (one for assignments only), Bob one.
void register_three(ports::webhook_store& store) {
  REQUIRE(store.create_endpoint(endpoint(hook_a, ann, {"task.assigned", "task.overdue"})));
  REQUIRE(store.create_endpoint(endpoint(hook_b, ann, {"task.status_changed"}, 2000)));
  REQUIRE(store.create_endpoint(endpoint(hook_c, bob, {"task.assigned"})));
}

std::vector<ports::leased_delivery> lease(ports::webhook_store& store, const std::string& node, std::int64_t now,
                                          std::int64_t lease_ms = 30'000, std::size_t limit = 10) {
  auto leased = store.lease_due(node, now, lease_ms, limit);
  REQUIRE(leased);
  return *leased;
}

ports::attempt_record attempt(const ports::leased_delivery& d, std::string status, std::optional<int> code,
                              std::optional<std::int64_t> next = std::nullopt) {
  ports::attempt_record r;
  r.delivery_id = d.delivery.id;
  r.attempts = d.delivery.attempts + 1;
  r.status = std::move(status);
  r.status_code = code;
  r.next_attempt_at_ms = next;
  return r;
}

}  // namespace

TEST_CASE("endpoints are kept per owner, read back whole, and deleted", "[webhook_store]") {
  for (auto& [name, make] : testing::store_adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = make();
      register_three(*a.webhooks);
      auto reopened = a.reopen();
      auto anns = reopened.webhooks->endpoints_of(ann);
      REQUIRE(anns);
      REQUIRE(anns->size() == 2);
      CHECK((*anns)[0].id == hook_a);
      CHECK((*anns)[0].owner_id == ann);
      CHECK((*anns)[0].url == "https://hooks.example.com/" + hook_a);
      CHECK((*anns)[0].events == std::vector<std::string>{"task.assigned", "task.overdue"});
      CHECK((*anns)[0].secret == "whsec_c2VjcmV0");
      CHECK((*anns)[0].created_at_ms == 1000);
      CHECK_FALSE((*anns)[0].disabled_at_ms);
      CHECK((*anns)[1].id == hook_b);
      auto one = reopened.webhooks->endpoint(hook_c);
      REQUIRE(one);
      REQUIRE(*one);
      CHECK((*one)->owner_id == bob);
      auto deleted = reopened.webhooks->delete_endpoint(hook_c);
      REQUIRE(deleted);
      CHECK(*deleted);
      auto again = reopened.webhooks->delete_endpoint(hook_c);
      REQUIRE(again);
      CHECK_FALSE(*again);
      auto gone = reopened.webhooks->endpoint(hook_c);
      REQUIRE(gone);
      CHECK_FALSE(*gone);
    }
  }
}

TEST_CASE("a notification becomes one delivery per endpoint that wants it, once", "[webhook_store]") {
  for (auto& [name, make] : testing::store_adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = make();
      register_three(*a.webhooks);
      std::vector<messages::Notification> batch{note("n-1", ann, "task.assigned"), note("n-2", bob, "task.assigned"),
                                                note("n-3", ann, "task.due_soon")};
      auto added = a.webhooks->enqueue_deliveries(batch, 5000);
      REQUIRE(added);
      CHECK(*added == 2);  // n-1 to hook_a, n-2 to hook_c; nobody wants due_soon
      auto repeat = a.webhooks->enqueue_deliveries(batch, 6000);
      REQUIRE(repeat);
      CHECK(*repeat == 0);
      auto page = a.webhooks->deliveries(hook_a, 10, std::nullopt);
      REQUIRE(page);
      REQUIRE(page->items.size() == 1);
      const auto& d = page->items[0];
      CHECK(d.id == ports::webhook_delivery_id(hook_a, "n-1"));
      CHECK(d.endpoint_id == hook_a);
      CHECK(d.notification.id() == "n-1");
      CHECK(d.notification.type() == "task.assigned");
      CHECK(d.notification.recipient_id() == ann);
      CHECK(d.notification.created_at_ms() == 500);
      CHECK(d.notification.message() == "You were assigned to \"Ship it\"");
      CHECK(d.status == "pending");
      CHECK(d.attempts == 0);
      CHECK(d.next_attempt_at_ms == 5000);
      CHECK(d.created_at_ms == 5000);
      CHECK_FALSE(d.last_status_code);
      CHECK_FALSE(d.delivered_at_ms);
      auto backlog = a.webhooks->backlog();
      REQUIRE(backlog);
      CHECK(backlog->pending == 2);
    }
  }
}

TEST_CASE("a lease gives due deliveries to one node until it lapses", "[webhook_store]") {
  for (auto& [name, make] : testing::store_adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = make();
      register_three(*a.webhooks);
      REQUIRE(
          a.webhooks->enqueue_deliveries({note("n-1", ann, "task.assigned"), note("n-2", bob, "task.assigned")}, 5000));
      CHECK(lease(*a.webhooks, "node-1", 4999).empty());  // not due yet
      auto first = lease(*a.webhooks, "node-1", 5000, 30'000, 1);
      REQUIRE(first.size() == 1);
      CHECK(first[0].lease_until_ms == 35'000);
      CHECK_FALSE(first[0].url.empty());
      CHECK(first[0].secret == "whsec_c2VjcmV0");
      auto second = lease(*a.webhooks, "node-2", 5000, 60'000);
      REQUIRE(second.size() == 1);
      CHECK(second[0].delivery.id != first[0].delivery.id);
      CHECK(lease(*a.webhooks, "node-3", 34'999).empty());
      // node-1 died: its lease lapses and node-3 gets the delivery.
      auto taken_over = lease(*a.webhooks, "node-3", 35'000);
      REQUIRE(taken_over.size() == 1);
      CHECK(taken_over[0].delivery.id == first[0].delivery.id);
      // node-1's late outcome is refused: the lease is node-3's now.
      auto late = a.webhooks->record_attempt("node-1", attempt(first[0], "delivered", 200), 36'000);
      REQUIRE(late);
      CHECK_FALSE(*late);
      auto recorded = a.webhooks->record_attempt("node-3", attempt(taken_over[0], "delivered", 204), 36'000);
      REQUIRE(recorded);
      CHECK(*recorded);
    }
  }
}

TEST_CASE("nodes leasing at once never share a delivery", "[webhook_store]") {
  for (auto& [name, make] : testing::store_adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = make();
      register_three(*a.webhooks);
      std::vector<messages::Notification> many;
      for (int i = 0; i < 40; ++i)
        many.push_back(note("n-" + std::to_string(i), ann, "task.assigned"));
      REQUIRE(a.webhooks->enqueue_deliveries(many, 5000));
      auto b = a.reopen();
      std::vector<ports::leased_delivery> got_a;
      std::vector<ports::leased_delivery> got_b;
      std::thread other{[&] {
        for (int i = 0; i < 10; ++i) {
          auto l = b.webhooks->lease_due("node-b", 6000, 30'000, 3);
          if (l)
            got_b.insert(got_b.end(), l->begin(), l->end());
        }
      }};
      for (int i = 0; i < 10; ++i) {
        auto l = a.webhooks->lease_due("node-a", 6000, 30'000, 3);
        if (l)
          got_a.insert(got_a.end(), l->begin(), l->end());
      }
      other.join();
      std::set<std::string> ids;
      for (const auto& d : got_a)
        ids.insert(d.delivery.id);
      for (const auto& d : got_b)
        CHECK(ids.insert(d.delivery.id).second);
      CHECK(ids.size() == 40);
    }
  }
}

TEST_CASE("outcomes move a delivery along: retry, deliver, and 410 disables", "[webhook_store]") {
  for (auto& [name, make] : testing::store_adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = make();
      register_three(*a.webhooks);
      REQUIRE(a.webhooks->enqueue_deliveries(
          {note("n-1", ann, "task.assigned"), note("n-2", bob, "task.assigned"), note("n-3", bob, "task.assigned")},
          5000));
      auto leased = lease(*a.webhooks, "node-1", 5000);
      REQUIRE(leased.size() == 3);
      auto to_ann = leased[0].delivery.endpoint_id == hook_a ? leased[0] : leased[1];
      if (to_ann.delivery.endpoint_id != hook_a)
        to_ann = leased[2];

      auto retry = attempt(to_ann, "pending", 500, 10'000);
      retry.error = "";
      REQUIRE(*a.webhooks->record_attempt("node-1", retry, 5100));
      CHECK(lease(*a.webhooks, "node-1", 9999).empty());
      auto again = lease(*a.webhooks, "node-1", 10'000);
      REQUIRE(again.size() == 1);
      CHECK(again[0].delivery.attempts == 1);
      CHECK(again[0].delivery.last_status_code == 500);
      // An outcome must follow the attempt count it leased.
      auto stale = retry;
      CHECK_FALSE(*a.webhooks->record_attempt("node-1", stale, 10'100));
      auto ok = attempt(again[0], "delivered", 200);
      ok.delivered_at_ms = 10'050;
      REQUIRE(*a.webhooks->record_attempt("node-1", ok, 10'050));
      auto log = a.webhooks->deliveries(hook_a, 10, std::nullopt);
      REQUIRE(log);
      REQUIRE(log->items.size() == 1);
      CHECK(log->items[0].status == "delivered");
      CHECK(log->items[0].attempts == 2);
      CHECK(log->items[0].delivered_at_ms == 10'050);
      CHECK(log->items[0].last_status_code == 200);

      // Bob's endpoint answers 410: it is disabled, and its other delivery fails with it.
      std::vector<ports::leased_delivery> bobs;
      for (auto& l : leased)
        if (l.delivery.endpoint_id == hook_c)
          bobs.push_back(l);
      REQUIRE(bobs.size() == 2);
      auto gone = attempt(bobs[0], "failed", 410);
      gone.disable_endpoint = true;
      REQUIRE(*a.webhooks->record_attempt("node-1", gone, 5200));
      auto endpoint = a.webhooks->endpoint(hook_c);
      REQUIRE(endpoint);
      CHECK((*endpoint)->disabled_at_ms == 5200);
      auto bob_log = a.webhooks->deliveries(hook_c, 10, std::nullopt);
      REQUIRE(bob_log);
      for (const auto& d : bob_log->items)
        CHECK(d.status == "failed");
      // A disabled endpoint gets no new deliveries.
      auto added = a.webhooks->enqueue_deliveries({note("n-4", bob, "task.assigned")}, 6000);
      REQUIRE(added);
      CHECK(*added == 0);
      auto backlog = a.webhooks->backlog();
      REQUIRE(backlog);
      CHECK(backlog->pending == 0);
    }
  }
}

TEST_CASE("a postponed delivery waits, keeps its attempts, and is due again later", "[webhook_store]") {
  for (auto& [name, make] : testing::store_adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = make();
      register_three(*a.webhooks);
      REQUIRE(a.webhooks->enqueue_deliveries({note("n-1", ann, "task.assigned")}, 5000));
      auto leased = lease(*a.webhooks, "node-1", 5000);
      REQUIRE(leased.size() == 1);
      CHECK_FALSE(*a.webhooks->postpone("node-2", leased[0].delivery.id, 8000));
      CHECK(*a.webhooks->postpone("node-1", leased[0].delivery.id, 8000));
      CHECK(lease(*a.webhooks, "node-2", 7999).empty());
      auto later = lease(*a.webhooks, "node-2", 8000);
      REQUIRE(later.size() == 1);
      CHECK(later[0].delivery.attempts == 0);
    }
  }
}

TEST_CASE("retrying deliveries are counted per endpoint for the console", "[webhook_store]") {
  for (auto& [name, make] : testing::store_adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = make();
      register_three(*a.webhooks);
      REQUIRE(a.webhooks->enqueue_deliveries(
          {note("n-1", ann, "task.assigned"), note("n-2", ann, "task.assigned"), note("n-3", bob, "task.assigned")},
          5000));
      for (const auto& l : lease(*a.webhooks, "node-1", 5000))
        if (l.delivery.endpoint_id == hook_a)
          REQUIRE(*a.webhooks->record_attempt("node-1", attempt(l, "pending", 503, 9000), 5000));
      auto backlog = a.webhooks->backlog();
      REQUIRE(backlog);
      CHECK(backlog->pending == 3);
      REQUIRE(backlog->retrying_by_endpoint.size() == 1);
      CHECK(backlog->retrying_by_endpoint[0].first == hook_a);
      CHECK(backlog->retrying_by_endpoint[0].second == 2);
    }
  }
}

TEST_CASE("a delivery log pages newest first with exact boundaries", "[webhook_store]") {
  for (auto& [name, make] : testing::store_adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = make();
      register_three(*a.webhooks);
      for (int i = 0; i < 5; ++i)
        REQUIRE(a.webhooks->enqueue_deliveries({note("n-" + std::to_string(i), ann, "task.assigned")},
                                               1000 * (i / 2)));  // pairs share a time
      std::vector<std::string> seen;
      std::optional<ports::delivery_position> after;
      for (;;) {
        auto page = a.webhooks->deliveries(hook_a, 2, after);
        REQUIRE(page);
        for (const auto& d : page->items)
          seen.push_back(d.id);
        if (!page->more)
          break;
        after = ports::delivery_position{page->items.back().created_at_ms, page->items.back().id};
      }
      REQUIRE(seen.size() == 5);
      CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == 5);
      CHECK(seen[0] == ports::webhook_delivery_id(hook_a, "n-4"));
    }
  }
}
