// Webhooks (API.md, Notifications: webhooks) through the running binary: a
// loopback receiver checks every signature, answers 500 three times and then
// 200, and gets the delivery once per attempt and never again; a receiver
// that keeps failing opens its endpoint's breaker; registrations of
// loopback, private and link-local targets are refused without any traffic.
#include <catch2/catch.hpp>

#include <chrono>
#include <set>
#include <thread>

#include "tests/e2e/support/eventually.hpp"
#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"
#include "tests/e2e/support/webhook_receiver.hpp"

using namespace taskflow::e2e;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// Ann assigns a task to Bob: Bob is notified (task.assigned).
void assign_task_to(http_client& c, const account& ann, const account& bob, const std::string& title) {
  REQUIRE(c.post_json("/api/v1/tasks", {{"title", title}, {"assignee_id", bob.id}}, ann.auth()).status == 201);
}

json register_webhook(http_client& c, const account& who, const std::string& url) {
  auto r = c.post_json("/api/v1/webhooks", {{"url", url}, {"events", {"task.assigned"}}}, who.auth());
  REQUIRE(r.status == 201);
  return r.json();
}

json deliveries(http_client& c, const account& who, const std::string& webhook_id) {
  auto r = c.get("/api/v1/webhooks/" + webhook_id + "/deliveries", who.auth());
  REQUIRE(r.status == 200);
  return r.json();
}

}  // namespace

TEST_CASE("a delivery is retried with a stable id and a valid signature until a 2xx, then never again",
          "[e2e][webhooks]") {
  webhook_receiver receiver{{500, 500, 500, 200}};
  server_process server{
      {"--webhook-allow-private", "--webhook-retry-schedule", "0,300ms,300ms,300ms,300ms", "--webhook-poll-ms", "50"}};
  http_client c{server.port()};
  auto ann = sign_up(c, "ann@example.com");
  auto bob = sign_up(c, "bob@example.com");
  auto hook = register_webhook(c, bob, receiver.url());
  CHECK(hook["url"] == receiver.url());
  CHECK(hook["events"] == json{"task.assigned"});
  auto secret = hook["secret"].get<std::string>();
  CHECK(secret.rfind("whsec_", 0) == 0);
  receiver.set_secret(secret);

  // The secret is shown once: the list does not carry it.
  auto listed = c.get("/api/v1/webhooks", bob.auth()).json();
  REQUIRE(listed["items"].size() == 1);
  CHECK_FALSE(listed["items"][0].contains("secret"));
  CHECK(c.get("/api/v1/webhooks", ann.auth()).json()["items"].empty());

  assign_task_to(c, ann, bob, "Ship it");
  REQUIRE(eventually([&] { return receiver.received().size() >= 4; }, 20s));
  // Nothing after the 200: not on the next polls, not after the schedule.
  std::this_thread::sleep_for(2s);
  auto got = receiver.received();
  REQUIRE(got.size() == 4);
  std::set<std::string> ids;
  for (const auto& r : got) {
    CHECK(r.signature_valid);
    ids.insert(r.headers.at("webhook-id"));
    CHECK(r.body == got[0].body);
    CHECK(r.headers.at("content-type") == "application/json");
  }
  CHECK(ids.size() == 1);
  auto body = json::parse(got[0].body);
  CHECK(body["type"] == "task.assigned");
  CHECK(body["read_at"].is_null());
  CHECK(body["message"].get<std::string>().find("Ship it") != std::string::npos);
  // The attempts followed the schedule, not all at once.
  auto first = std::stoll(got[0].headers.at("webhook-timestamp"));
  auto last = std::stoll(got[3].headers.at("webhook-timestamp"));
  CHECK(last - first >= 0);

  auto log = deliveries(c, bob, hook["id"]);
  REQUIRE(log["items"].size() == 1);
  auto delivery = log["items"][0];
  CHECK(delivery["id"] == *ids.begin());
  CHECK(delivery["event_type"] == "task.assigned");
  CHECK(delivery["status"] == "delivered");
  CHECK(delivery["attempts"] == 4);
  CHECK(delivery["last_status_code"] == 200);
  CHECK(delivery["next_attempt_at"].is_null());
  CHECK(delivery["delivered_at"].is_string());
  CHECK(log["next_cursor"].is_null());
  // Another's delivery log is nobody else's business.
  CHECK(c.get("/api/v1/webhooks/" + hook["id"].get<std::string>() + "/deliveries", ann.auth()).status == 404);

  auto metrics = c.get("/metrics").body;
  CHECK(metrics.find("taskflow_webhook_deliveries_total{outcome=\"delivered\"} 1") != std::string::npos);
  CHECK(metrics.find("taskflow_webhook_deliveries_total{outcome=\"retried\"} 3") != std::string::npos);

  CHECK(c.request("DELETE", "/api/v1/webhooks/" + hook["id"].get<std::string>(), {}, bob.auth()).status == 204);
  CHECK(c.get("/api/v1/webhooks", bob.auth()).json()["items"].empty());
}

TEST_CASE("a receiver that keeps failing opens its endpoint's breaker", "[e2e][webhooks]") {
  webhook_receiver receiver{{503}};
  server_process server{{"--webhook-allow-private", "--webhook-retry-schedule", "0,100ms,100ms,100ms,100ms,100ms",
                         "--webhook-poll-ms", "50", "--webhook-breaker-failures", "3", "--webhook-breaker-open-ms",
                         "60000"}};
  http_client c{server.port()};
  auto ann = sign_up(c, "ann@example.com");
  auto bob = sign_up(c, "bob@example.com");
  auto hook = register_webhook(c, bob, receiver.url());
  receiver.set_secret(hook["secret"]);
  assign_task_to(c, ann, bob, "First");
  assign_task_to(c, ann, bob, "Second");
  REQUIRE(eventually([&] { return receiver.received().size() >= 3; }, 20s));
  // Open: the receiver hears nothing more for now, and deliveries wait. (The
  // two deliveries go out together, so a fourth attempt may have been on its
  // way when the third failure opened the breaker.)
  std::this_thread::sleep_for(500ms);
  auto heard = receiver.received().size();
  CHECK(heard <= 4);
  std::this_thread::sleep_for(1500ms);
  CHECK(receiver.received().size() == heard);
  for (const auto& r : receiver.received())
    CHECK(r.signature_valid);

  auto metrics = c.get("/metrics").body;
  CHECK(metrics.find("taskflow_webhook_breaker_state{endpoint=\"" + hook["id"].get<std::string>() + "\"} 1") !=
        std::string::npos);
  CHECK(metrics.find("taskflow_webhook_deliveries_total{outcome=\"postponed\"}") != std::string::npos);

  http_client admin{server.port()};
  sign_in(admin, test_admin_email, test_admin_password);
  auto view = admin.get("/admin/api/webhooks");
  REQUIRE(view.status == 200);
  auto dispatcher = view.json();
  CHECK(dispatcher["pending"] == 2);
  REQUIRE(dispatcher["endpoints"].size() == 1);
  CHECK(dispatcher["endpoints"][0]["id"] == hook["id"]);
  CHECK(dispatcher["endpoints"][0]["breaker"] == "open");
  CHECK(dispatcher["endpoints"][0]["url"] == receiver.url());
  CHECK(dispatcher["endpoints"][0]["retrying"].get<int>() >= 1);
  // Not for anyone but an admin.
  CHECK(c.get("/admin/api/webhooks", bob.auth()).status == 403);

  auto log = deliveries(c, bob, hook["id"]);
  for (const auto& d : log["items"])
    CHECK(d["status"] == "pending");
}

TEST_CASE("registrations of loopback, private and link-local targets are refused, and nothing is sent",
          "[e2e][webhooks]") {
  server_process server;  // no --webhook-allow-private
  http_client c{server.port()};
  auto bob = sign_up(c, "bob@example.com");
  for (const char* url :
       {"http://127.0.0.1:9/hook", "http://localhost:9/hook", "http://10.1.2.3/hook", "http://172.16.0.1/hook",
        "http://192.168.1.1/hook", "http://100.64.0.1/hook", "http://169.254.169.254/latest/meta-data",
        "http://[::1]:9/hook", "http://[fe80::1]/hook", "http://[fd00::1]/hook", "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0:9/hook", "http://224.0.0.1/hook"}) {
    INFO(url);
    auto r = c.post_json("/api/v1/webhooks", {{"url", url}, {"events", {"task.assigned"}}}, bob.auth());
    CHECK(r.status == 400);
    CHECK(r.header("content-type") == "application/problem+json");
    REQUIRE(r.json()["errors"].size() == 1);
    CHECK(r.json()["errors"][0]["field"] == "url");
  }
  for (const json& body : {json{{"url", "ftp://example.com/"}, {"events", {"task.assigned"}}},
                           json{{"url", "https://example.com/"}, {"events", json::array()}},
                           json{{"url", "https://example.com/"}, {"events", {"task.deleted"}}},
                           json{{"url", "https://example.com/"}, {"events", {"task.assigned"}}, {"secret", "nope"}},
                           json{{"events", {"task.assigned"}}}}) {
    INFO(body.dump());
    CHECK(c.post_json("/api/v1/webhooks", body, bob.auth()).status == 400);
  }
  CHECK(c.get("/api/v1/webhooks", bob.auth()).json()["items"].empty());
  CHECK(c.get("/api/v1/webhooks").status == 401);
  CHECK(c.request("DELETE", "/api/v1/webhooks/01a20f1d-0000-7000-8000-000000000001", {}, bob.auth()).status == 404);
}

TEST_CASE("an attempt for a sampled write is a trace of its own, linked to the write's", "[e2e][webhooks][traces]") {
  webhook_receiver receiver{{200}};
  // Nothing is sampled but what the caller asks for.
  server_process server{{"--webhook-allow-private", "--webhook-poll-ms", "50", "--trace-sample-ratio", "0"}};
  http_client c{server.port()};
  auto ann = sign_up(c, "ann@example.com");
  auto bob = sign_up(c, "bob@example.com");
  receiver.set_secret(register_webhook(c, bob, receiver.url())["secret"]);
  const std::string write_trace = "6cf92f3577b34da6a3ce929d0e0e4736";
  auto headers = ann.auth();
  headers["traceparent"] = "00-" + write_trace + "-20f067aa0ba902b7-01";
  REQUIRE(c.post_json("/api/v1/tasks", {{"title", "Traced"}, {"assignee_id", bob.id}}, headers).status == 201);
  REQUIRE(eventually([&] { return !receiver.received().empty(); }, 20s));

  // The receiver is told the attempt's context, as by any traced client.
  auto traceparent = receiver.received().front().headers["traceparent"];
  REQUIRE(traceparent.size() == 55);
  CHECK(traceparent.substr(53) == "01");
  auto attempt_trace = traceparent.substr(3, 32);
  CHECK(attempt_trace != write_trace);

  auto admin = sign_in_as_admin(c)["access_token"].get<std::string>();
  std::map<std::string, std::string> as_admin{{"Authorization", "Bearer " + admin}};
  http_result found;
  REQUIRE(eventually(
      [&] {
        found = c.get("/admin/api/traces/" + attempt_trace, as_admin);
        return found.status == 200;
      },
      10s));
  auto trace = found.json();
  REQUIRE(trace["spans"].size() == 1);
  const auto& attempt = trace["spans"][0];
  CHECK(attempt["name"] == "webhook POST");
  CHECK(attempt["kind"] == "client");
  CHECK(attempt["attributes"]["http.response.status_code"] == 200);
  CHECK(attempt["attributes"]["taskflow.webhook.attempt"] == 1);
  REQUIRE(attempt["links"].size() == 1);
  CHECK(attempt["links"][0]["trace_id"] == write_trace);
  // The write's own trace is kept too, from the HTTP span down.
  CHECK(c.get("/admin/api/traces/" + write_trace, as_admin).status == 200);
}
