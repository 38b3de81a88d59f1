// The request guard enforces the policy a route was registered with: whether
// a credential is needed, which scope, an admin's session, and the rate class.
// Bearer tokens are real ES256 tokens from a real keyring, so what is checked
// is what a client would send.
#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <optional>
#include <string>

#include "http-edge/auth/request_guard.hpp"
#include "messages/time/unix_clock.hpp"
#include "runtime/blocking/blocking_pool.hpp"
#include "runtime/edge_api/identity_gateway.hpp"
#include "tests/unit/support/key_store.hpp"
#include "tests/unit/support/single_node_routing.hpp"
#include "tests/unit/support/test_actor_system.hpp"

using namespace taskflow;
using namespace taskflow::edge;

namespace {

// The sessions the tokens below name: "s-1" is u-1's and live; any other
// sid names nothing the store holds.
class session_store final : public ports::identity_store {
public:
  caf::expected<std::optional<user::user_state>> load_user(const std::string&) override { return std::nullopt; }
  caf::expected<std::optional<user::user_state>> find_user_by_email(const std::string&) override {
    return std::nullopt;
  }
  caf::expected<void> commit_user(const ports::user_commit&) override { return caf::unit; }
  caf::expected<std::optional<session::session_state>> load_session(const std::string& id) override {
    if (id != "s-1")
      return std::nullopt;
    session::session_state s;
    s.snapshot.set_id(id);
    s.snapshot.set_user_id("u-1");
    s.snapshot.set_version(1);
    s.snapshot.set_expires_at_ms(clock::unix_now_ms() + 3'600'000);
    return s;
  }
  caf::expected<void> commit_session(const ports::session_commit&) override { return caf::unit; }
  caf::expected<std::vector<ports::revoked_session>> revoked_sessions(std::int64_t) override {
    return std::vector<ports::revoked_session>{};
  }
};

struct guard_fixture {
  testing::test_config caf_cfg;
  caf::actor_system system{caf_cfg};
  runtime::blocking_pool pool{1, 16};
  std::shared_ptr<testing::key_store> keys = std::make_shared<testing::key_store>();
  std::shared_ptr<runtime::access_token_codec> tokens;
  std::unique_ptr<runtime::identity_gateway> identity;
  runtime::config cfg;
  std::unique_ptr<request_guard> guard;

  guard_fixture() {
    auto keyring = runtime::signing_keyring::from_store(*keys, clock::unix_now_ms(), std::chrono::hours{1});
    REQUIRE(keyring);
    tokens = std::make_shared<runtime::access_token_codec>(*keyring, runtime::token_settings{});
    identity = std::make_unique<runtime::identity_gateway>(
        system,
        runtime::identity_dependencies{std::make_shared<session_store>(),
                                       keys,
                                       tokens,
                                       std::make_shared<runtime::device_tokens>(*keyring, "taskflow"),
                                       std::make_shared<runtime::revocation_set>(),
                                       std::make_shared<runtime::api_key_cache>(),
                                       {},
                                       runtime::password_hasher{{1, 1024, 1}}},
        pool, testing::single_node_routing(system));
    cfg.ip_rate = {0.001, 3};
    cfg.principal_rate = {0.001, 10};
    cfg.auth_rate = {0.001, 1};
    guard = std::make_unique<request_guard>(*identity, cfg);
  }

  std::string bearer(std::vector<std::string> roles, std::vector<std::string> scopes, std::string session = "s-1") {
    auto now_s = clock::unix_now_ms() / 1000;
    runtime::access_claims claims;
    claims.subject = "u-1";
    claims.session_id = std::move(session);
    claims.token_id = "t-1";
    claims.roles = std::move(roles);
    claims.scopes = std::move(scopes);
    claims.issued_at_s = now_s;
    claims.expires_at_s = now_s + 900;
    auto token = tokens->issue(claims);
    REQUIRE(token);
    return "Bearer " + *token;
  }

  // The guard's verdict, on this thread or (a token's first sight of its
  // session) from the identity pool.
  std::optional<problem> admit(const route_policy& policy, const std::string& authorization = {},
                               const std::string& remote = "127.0.0.1") {
    auto ctx = std::make_shared<request_context>();
    ctx->policy = policy;
    ctx->remote_address = remote;
    if (!authorization.empty())
      ctx->request.set(http::field::authorization, authorization);
    auto verdict = std::make_shared<std::promise<std::optional<problem>>>();
    auto answered = verdict->get_future();
    guard->admit(ctx, [verdict](std::optional<problem> p) { verdict->set_value(std::move(p)); });
    REQUIRE(answered.wait_for(std::chrono::seconds{5}) == std::future_status::ready);
    return answered.get();
  }
};

http::status status_of(const std::optional<problem>& p) {
  REQUIRE(p);
  return p->status;
}

}  // namespace

TEST_CASE("a route that needs a credential refuses an anonymous request; an open one admits it", "[guard]") {
  guard_fixture f;
  CHECK(status_of(f.admit({})) == http::status::unauthorized);
  CHECK_FALSE(f.admit({.who = access::anyone}));
  CHECK_FALSE(f.admit({}, f.bearer({"user"}, {"tasks:read"})));
}

TEST_CASE("a credential that is sent is checked, even on an open route", "[guard]") {
  guard_fixture f;
  CHECK(status_of(f.admit({.who = access::anyone}, "Bearer not-a-token")) == http::status::unauthorized);
  CHECK(status_of(f.admit({.who = access::anyone}, "Basic dTpw")) == http::status::unauthorized);
}

TEST_CASE("the token endpoint leaves its Authorization header to the handler", "[guard]") {
  guard_fixture f;
  CHECK_FALSE(f.admit({.who = access::oauth_client, .rate = rate_class::credential}, "Basic dTpw"));
}

TEST_CASE("a scoped route needs its scope", "[guard]") {
  guard_fixture f;
  auto reader = f.bearer({"user"}, {"tasks:read"});
  CHECK_FALSE(f.admit({.scope = "tasks:read"}, reader));
  auto refused = f.admit({.scope = "tasks:write"}, reader);
  CHECK(status_of(refused) == http::status::forbidden);
  CHECK(refused->detail.find("tasks:write") != std::string::npos);
}

TEST_CASE("the admin API takes an admin's session and nothing else", "[guard]") {
  guard_fixture f;
  const route_policy admins{.who = access::admin_session};
  CHECK_FALSE(f.admit(admins, f.bearer({"admin"}, {})));
  CHECK(status_of(f.admit(admins, f.bearer({"user"}, {}))) == http::status::forbidden);
  // A client token (no session) is refused even if it claims the role.
  CHECK(status_of(f.admit(admins, f.bearer({"admin"}, {}, ""))) == http::status::forbidden);
  CHECK(status_of(f.admit(admins)) == http::status::unauthorized);
}

TEST_CASE("rate classes: probes are never limited, clients per IP, credential exchanges tighter", "[guard]") {
  guard_fixture f;
  const route_policy probe{.who = access::anyone, .rate = rate_class::unlimited};
  for (int i = 0; i < 20; ++i)
    REQUIRE_FALSE(f.admit(probe));

  const route_policy open{.who = access::anyone};
  for (int i = 0; i < 3; ++i)
    REQUIRE_FALSE(f.admit(open, {}, "127.0.0.2"));
  auto limited = f.admit(open, {}, "127.0.0.2");
  CHECK(status_of(limited) == http::status::too_many_requests);
  CHECK_FALSE(f.admit(open, {}, "127.0.0.3"));  // another client has its own budget

  const route_policy sign_in{.who = access::anyone, .rate = rate_class::credential};
  CHECK_FALSE(f.admit(sign_in, {}, "127.0.0.4"));
  CHECK(status_of(f.admit(sign_in, {}, "127.0.0.4")) == http::status::too_many_requests);
}

TEST_CASE("a well-signed token naming a session the store does not hold is refused", "[guard]") {
  guard_fixture f;
  const route_policy users{};
  CHECK_FALSE(f.admit(users, f.bearer({"user"}, {"tasks:read"}, "s-1")));
  CHECK(status_of(f.admit(users, f.bearer({"user"}, {"tasks:read"}, "minted-session"))) == http::status::unauthorized);
}

TEST_CASE("one credential per request", "[guard]") {
  guard_fixture f;
  auto ctx = std::make_shared<request_context>();
  ctx->request.set(http::field::authorization, f.bearer({"user"}, {"tasks:read"}));
  ctx->request.set("X-API-Key", "tfk_abc_def");
  std::optional<std::optional<problem>> verdict;
  f.guard->admit(ctx, [&](std::optional<problem> p) { verdict = std::move(p); });
  REQUIRE(verdict);
  CHECK(status_of(*verdict) == http::status::unauthorized);
}
