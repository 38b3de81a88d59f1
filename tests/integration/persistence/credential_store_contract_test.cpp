// What every credential_store adapter must do: find an API key by its hash
// only, revoke a live key for its own user only and queue the revocation in
// the same transaction, keep OAuth clients under unique ids, and let nodes
// starting together agree on one signing key, newest first. Each case runs on
// SQLite in a fresh file and on PostgreSQL in a fresh database on a real
// server.
#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include "actors/credential/credential_decider.hpp"
#include "tests/integration/persistence/store_adapters.hpp"

using namespace taskflow;

namespace {

const std::string holder = "01a20f1d-0000-7000-8000-0000000000a1";
const std::string stranger = "01a20f1d-0000-7000-8000-0000000000b2";

ports::api_key_record api_key(const std::string& id, const std::string& user, const std::string& hash) {
  return {id, user, "ci key " + id, "tfk_" + id.substr(0, 4), hash, {"tasks:read", "tasks:write"}, 1'000, {}};
}

ports::signing_key_record signing_key(const std::string& kid, std::int64_t created_at_ms) {
  return {kid, "ES256", "private of " + kid, "public of " + kid, created_at_ms};
}

std::vector<std::string> kids(const std::vector<ports::signing_key_record>& keys) {
  std::vector<std::string> out;
  for (const auto& key : keys)
    out.push_back(key.kid);
  return out;
}

}  // namespace

TEST_CASE("an API key is found by its hash, and revoked once, by its owner, with an event", "[credential_store]") {
  for (auto& [name, make] : testing::store_adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = make();
      auto& store = *a.credentials;
      REQUIRE(store.insert_api_key(api_key("k-1", holder, "hash-1")));
      REQUIRE(store.insert_api_key(api_key("k-2", holder, "hash-2")));
      auto taken = store.insert_api_key(api_key("k-3", stranger, "hash-1"));
      REQUIRE_FALSE(taken);
      CHECK(ports::is(taken.error(), ports::store_errc::duplicate_key));

      auto found = store.find_api_key("hash-1");
      REQUIRE(found);
      REQUIRE(found->has_value());
      CHECK((*found)->id == "k-1");
      CHECK((*found)->user_id == holder);
      CHECK((*found)->scopes == std::vector<std::string>{"tasks:read", "tasks:write"});
      CHECK_FALSE((*found)->revoked_at_ms);
      auto unknown = store.find_api_key("k-1");  // an id is not a hash
      REQUIRE(unknown);
      CHECK_FALSE(unknown->has_value());

      auto event = [](const std::string& user, const std::string& key) {
        return credential::api_key_revoked(user, key, 5'000, "ev-" + key + "-" + user, "");
      };
      auto not_his = store.revoke_api_key(stranger, "k-1", 5'000, event(stranger, "k-1"));
      REQUIRE_FALSE(not_his);
      CHECK(ports::is(not_his.error(), ports::store_errc::not_found));
      auto queued = a.outbox->fetch_unsent(10);
      REQUIRE(queued);
      CHECK(queued->empty());

      auto revoked = store.revoke_api_key(holder, "k-1", 5'000, event(holder, "k-1"));
      REQUIRE(revoked);
      CHECK(revoked->revoked_at_ms == 5'000);
      queued = a.outbox->fetch_unsent(10);
      REQUIRE(queued);
      REQUIRE(queued->size() == 1);
      CHECK(queued->front().event.api_key_revoked().key_hash() == "hash-1");

      auto again = store.revoke_api_key(holder, "k-1", 6'000, event(holder, "k-1-again"));
      REQUIRE_FALSE(again);
      CHECK(ports::is(again.error(), ports::store_errc::not_found));
      auto reopened = a.reopen();
      auto after = reopened.credentials->find_api_key("hash-1");
      REQUIRE(after);
      REQUIRE(after->has_value());
      CHECK((*after)->revoked_at_ms == 5'000);
      auto other = reopened.credentials->find_api_key("hash-2");
      REQUIRE(other);
      REQUIRE(other->has_value());
      CHECK_FALSE((*other)->revoked_at_ms);
    }
  }
}

TEST_CASE("an OAuth client is kept under its own id and no second one takes it", "[credential_store]") {
  for (auto& [name, make] : testing::store_adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = make();
      auto& store = *a.credentials;
      ports::oauth_client_record client{"ci-bot", "CI", "secret-hash", {"tasks:read"}, holder, 2'000};
      REQUIRE(store.insert_client(client));
      auto second = store.insert_client({"ci-bot", "impostor", "other-hash", {"admin"}, stranger, 3'000});
      REQUIRE_FALSE(second);
      CHECK(ports::is(second.error(), ports::store_errc::duplicate_key));
      auto found = a.reopen().credentials->find_client("ci-bot");
      REQUIRE(found);
      REQUIRE(found->has_value());
      CHECK((*found)->name == "CI");
      CHECK((*found)->secret_hash == "secret-hash");
      CHECK((*found)->scopes == std::vector<std::string>{"tasks:read"});
      CHECK((*found)->created_by == holder);
      CHECK((*found)->created_at_ms == 2'000);
      auto none = store.find_client("CI-BOT");
      REQUIRE(none);
      CHECK_FALSE(none->has_value());
    }
  }
}

TEST_CASE("nodes starting together agree on one signing key, and keys list newest first", "[credential_store]") {
  for (auto& [name, make] : testing::store_adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = make();
      auto none = a.credentials->signing_keys();
      REQUIRE(none);
      CHECK(none->empty());

      // Four nodes find no key younger than the rotation period and each
      // offers its own, at once: one wins, and all four are told the same.
      std::vector<testing::store_adapter> nodes;
      for (int i = 0; i < 4; ++i)
        nodes.push_back(a.reopen());
      std::vector<std::vector<std::string>> seen(nodes.size());
      {
        std::vector<std::thread> starting;
        for (std::size_t i = 0; i < nodes.size(); ++i)
          starting.emplace_back([&, i] {
            auto keys = nodes[i].credentials->add_signing_key(signing_key("kid-" + std::to_string(i), 10'000), 0);
            if (keys)
              seen[i] = kids(*keys);
          });
        for (auto& node : starting)
          node.join();
      }
      REQUIRE(seen[0].size() == 1);
      for (const auto& s : seen)
        CHECK(s == seen[0]);

      // A key younger than the rotation period stays the only one...
      auto kept = a.credentials->add_signing_key(signing_key("too-soon", 20'000), 5'000);
      REQUIRE(kept);
      CHECK(kids(*kept) == seen[0]);
      // ...and once it is older, the new one comes first and the old one stays.
      auto rotated = a.credentials->add_signing_key(signing_key("kid-next", 30'000), 10'000);
      REQUIRE(rotated);
      CHECK(kids(*rotated) == std::vector<std::string>{"kid-next", seen[0][0]});
      auto listed = a.reopen().credentials->signing_keys();
      REQUIRE(listed);
      REQUIRE(listed->size() == 2);
      CHECK(listed->front().kid == "kid-next");
      CHECK(listed->front().private_pem == "private of kid-next");
      CHECK(listed->front().public_pem == "public of kid-next");
      CHECK(listed->front().created_at_ms == 30'000);
    }
  }
}
