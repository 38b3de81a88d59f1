#include "tests/faults/keyed_traffic.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <map>
#include <memory>
#include <random>
#include <sstream>

#include "tests/e2e/support/http_client.hpp"

namespace taskflow::faults_test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// Answers that leave a write's outcome unknown or say "not now": the same
// request goes again, with the same key.
bool send_again(int status) {
  return status == 0 || status == 409 || status == 429 || status >= 500;
}

// Long enough to outlast every fault the schedule injects (a PostgreSQL
// restart is the longest, a few seconds), short enough to bound a run.
constexpr auto resend_for = 30s;

constexpr auto password = "a long passphrase";  // e2e::sign_up's

}  // namespace

class keyed_traffic::client {
public:
  client(int index, std::vector<std::uint16_t> edges, std::string email, std::string token,
         const std::atomic<bool>& stopping)
      : index_(index),
        edges_(std::move(edges)),
        email_(std::move(email)),
        token_(std::move(token)),
        stopping_(stopping),
        random_(static_cast<std::uint32_t>(index)) {}

  traffic_report run() {
    for (int n = 0; !stopping_; ++n) {
      switch (n % 10) {
        case 0:
        case 5:
          create(n);
          break;
        case 2:
        case 7:
          read();
          break;
        case 4:
          list();
          break;
        case 8:
          remove();
          break;
        case 9:
          if (n % 20 == 9) {
            sign_in();
            break;
          }
          [[fallthrough]];
        default:
          patch(n);
      }
    }
    return std::move(report_);
  }

private:
  struct task {
    std::string etag;  // empty: unknown since a write went unanswered
  };

  e2e::http_result send(const std::string& method, const std::string& target, const std::string& body,
                        std::map<std::string, std::string> headers, bool signed_in = true) {
    auto edge = edges_[turn_++ % edges_.size()];
    auto& http = http_[edge];
    if (signed_in)
      headers.emplace("Authorization", "Bearer " + token_);
    auto started = clock_type::now();
    e2e::http_result r;
    std::string why;
    try {
      if (!http)
        http = std::make_unique<e2e::http_client>(edge);
      r = http->request(method, target, body, std::move(headers));
      why = r.body;
    } catch (const std::exception& e) {
      http.reset();  // refused or reset: the next request reconnects
      why = e.what();
    }
    auto ms = std::chrono::duration<double, std::milli>(clock_type::now() - started).count();
    report_.requests.push_back({started, ms});
    ++report_.load.sent;
    ++report_.load.by_status[r.status];
    if (r.header("idempotent-replayed") == "true")
      ++report_.replayed;
    if ((r.status < 200 || r.status >= 300) && report_.load.failures.size() < 10) {
      std::ostringstream line;
      line << "client " << index_ << ": " << method << " " << target << " via port " << edge << " after " << std::fixed
           << std::setprecision(0) << ms << " ms: " << (r.status ? std::to_string(r.status) : std::string{"no answer"})
           << " " << why.substr(0, 300);
      report_.load.failures.push_back(line.str());
    }
    return r;
  }

  // Sends the write until it is answered with something else than "try
  // again", or resend_for passes; `resent` says whether it went twice.
  e2e::http_result write(const std::string& method, const std::string& target, const std::string& body,
                         const std::map<std::string, std::string>& headers, bool& resent) {
    auto until = clock_type::now() + resend_for;
    auto backoff = 100ms;
    resent = false;
    for (;;) {
      auto r = send(method, target, body, headers);
      if (!send_again(r.status))
        return r;
      if (clock_type::now() + backoff >= until) {
        ++report_.unresolved;
        return r;
      }
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, std::chrono::milliseconds{1000});
      resent = true;
      ++report_.resent;
    }
  }

  std::string key(const char* what, int n) const {
    return std::string{what} + "-" + std::to_string(index_) + "-" + std::to_string(n);
  }
  std::string title(int n) const { return "f" + std::to_string(index_) + "." + std::to_string(n); }

  void acknowledge(const std::string& id, const e2e::http_result& r) {
    auto body = r.json();
    tasks_[id].etag = r.header("etag");
    report_.load.writes[id] = {body["version"].get<std::int64_t>(), body["title"].get<std::string>()};
  }

  void create(int n) {
    bool resent = false;
    auto r = write("POST", "/api/v1/tasks", json{{"title", title(n)}}.dump(),
                   {{"Content-Type", "application/json"}, {"Idempotency-Key", key("create", n)}}, resent);
    if (r.status == 201)
      acknowledge(r.json()["id"].get<std::string>(), r);
  }

  // A task of this client's, at random; nullptr when it has none.
  std::pair<const std::string, task>* pick() {
    if (tasks_.empty())
      return nullptr;
    auto it = tasks_.begin();
    std::advance(it, std::uniform_int_distribution<std::size_t>{0, tasks_.size() - 1}(random_));
    return &*it;
  }

  // Reads the task afresh, learning its ETag when answered 200.
  e2e::http_result read_task(const std::string& id) {
    auto r = send("GET", "/api/v1/tasks/" + id, {}, {});
    if (r.status == 404 && report_.load.writes.count(id))
      ++report_.acknowledged_not_found;
    if (r.status == 200)
      tasks_[id].etag = r.header("etag");
    return r;
  }

  void patch(int n) {
    auto* t = pick();
    if (!t)
      return create(n);
    auto id = t->first;
    if (t->second.etag.empty() && read_task(id).status != 200)
      return;
    bool resent = false;
    auto mine = title(n);
    auto r = write("PATCH", "/api/v1/tasks/" + id, json{{"title", mine}}.dump(),
                   {{"Content-Type", "application/merge-patch+json"},
                    {"If-Match", tasks_[id].etag},
                    {"Idempotency-Key", key("patch", n)}},
                   resent);
    if (r.status == 200)
      return acknowledge(id, r);
    tasks_[id].etag.clear();
    if (r.status != 412 || !resent)
      return;
    // The first sending applied but its answer was lost, and the resend
    // found the version moved on: the read acknowledges it.
    auto now = read_task(id);
    if (now.status == 200 && now.json()["title"] == mine) {
      ++report_.applied_then_412;
      acknowledge(id, now);
    }
  }

  void remove() {
    auto* t = pick();
    if (!t)
      return;
    auto id = t->first;
    bool resent = false;
    auto r = write("DELETE", "/api/v1/tasks/" + id, {}, {}, resent);
    // A resend answered 404 finds the first sending's delete done.
    if (r.status == 204 || (r.status == 404 && resent))
      report_.deleted.insert(id);
    // Unanswered, the delete may or may not have happened: neither the task
    // nor its deletion is promised any more.
    if (r.status == 204 || r.status == 404 || send_again(r.status)) {
      report_.load.writes.erase(id);
      tasks_.erase(id);
    }
  }

  void read() {
    if (auto* t = pick())
      read_task(t->first);
  }

  void list() { send("GET", "/api/v1/tasks?page_size=10", {}, {}); }

  void sign_in() {
    auto r = send("POST", "/api/v1/sessions", json{{"email", email_}, {"password", password}}.dump(),
                  {{"Content-Type", "application/json"}}, false);
    if (r.status != 201)
      return;
    ++report_.sign_ins;
    token_ = r.json()["access_token"].get<std::string>();
  }

  int index_;
  std::vector<std::uint16_t> edges_;
  std::string email_;
  std::string token_;
  const std::atomic<bool>& stopping_;
  std::mt19937 random_;
  std::size_t turn_ = 0;
  std::map<std::uint16_t, std::unique_ptr<e2e::http_client>> http_;
  std::map<std::string, task> tasks_;
  traffic_report report_;
};

keyed_traffic::keyed_traffic(std::vector<std::uint16_t> edges, int clients) : edges_(std::move(edges)) {
  for (int i = 0; i < clients; ++i) {
    auto email = "fault-client-" + std::to_string(i) + "@taskflow.test";
    auto who = e2e::sign_up(edges_.front(), email);
    report_.owner_ids.push_back(who.id);
    threads_.emplace_back([this, i, email, token = who.token] {
      client c{i, edges_, email, token, stopping_};
      record(c.run());
    });
  }
}

keyed_traffic::~keyed_traffic() {
  stop();
}

traffic_report keyed_traffic::stop() {
  stopping_ = true;
  threads_.clear();  // each joins as it goes
  std::lock_guard lock{mutex_};
  return report_;
}

void keyed_traffic::record(const traffic_report& part) {
  std::lock_guard lock{mutex_};
  auto& all = report_.load;
  all.sent += part.load.sent;
  for (const auto& [status, count] : part.load.by_status)
    all.by_status[status] += count;
  all.writes.insert(part.load.writes.begin(), part.load.writes.end());
  for (const auto& failure : part.load.failures)
    if (all.failures.size() < 12)
      all.failures.push_back(failure);
  report_.deleted.insert(part.deleted.begin(), part.deleted.end());
  report_.requests.insert(report_.requests.end(), part.requests.begin(), part.requests.end());
  report_.resent += part.resent;
  report_.replayed += part.replayed;
  report_.unresolved += part.unresolved;
  report_.applied_then_412 += part.applied_then_412;
  report_.sign_ins += part.sign_ins;
  report_.acknowledged_not_found += part.acknowledged_not_found;
}

double p99_ms(std::vector<double> latencies_ms) {
  if (latencies_ms.empty())
    return 0;
  auto at = static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(latencies_ms.size()))) - 1;
  std::nth_element(latencies_ms.begin(), latencies_ms.begin() + static_cast<std::ptrdiff_t>(at), latencies_ms.end());
  return latencies_ms[at];
}

}  // namespace taskflow::faults_test
