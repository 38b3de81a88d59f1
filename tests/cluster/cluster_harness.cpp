#include "tests/cluster/cluster_harness.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/result>

#include "runtime/sharding/shard_key.hpp"

namespace taskflow::cluster_test {
namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using nlohmann::json;

// Only the edge's own limits would be measured otherwise.
const std::vector<std::string> unlimited{"--rate-limit-principal", "0", "--rate-limit-ip", "0",
                                         "--rate-limit-auth",      "0"};

std::string etag_version(const std::string& etag) {
  std::string digits;
  for (char c : etag)
    if (c >= '0' && c <= '9')
      digits += c;
  return digits;
}

// Seconds since the first call, the clock progress() and failures share.
std::string seconds_since_start() {
  static const auto began = clock_type::now();
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << std::chrono::duration<double>(clock_type::now() - began).count();
  return out.str();
}

}  // namespace

void progress(const std::string& what) {
  std::cout << "[" + seconds_since_start() + " s] " + what + "\n" << std::flush;
}

cluster_harness::cluster_harness() {
#ifdef TASKFLOW_LSAN_SUPPRESSIONS
  // The nodes inherit it (lsan.supp says why); a caller's own setting wins.
  ::setenv("LSAN_OPTIONS", "suppressions=" TASKFLOW_LSAN_SUPPRESSIONS, 0);
#endif
#ifdef TASKFLOW_TSAN_NODE_REPORTS
  // A node's race report goes to a file of its own, since the harness ends
  // nodes with SIGKILL and their exit status says nothing; ctest fails the
  // run on any such file (tests/CMakeLists.txt). This process read its own
  // TSAN_OPTIONS at start, so only the nodes take this one.
  ::setenv("TSAN_OPTIONS", "log_path=" TASKFLOW_TSAN_NODE_REPORTS, 0);
#endif
}

cluster_harness::~cluster_harness() {
  // SIGKILL, in reverse start order; their records lapse with the stack.
  while (!nodes_.empty())
    nodes_.erase(std::prev(nodes_.end()));
}

std::vector<std::string> cluster_harness::flags(const std::string& id, const std::string& roles,
                                                const std::string& nats_url) const {
  std::vector<std::string> out{"--postgres",       stack_.postgres_url(),
                               "--nats",           nats_url.empty() ? stack_.nats_url() : nats_url,
                               "--node-id",        id,
                               "--cluster-listen", "127.0.0.1:0",
                               "--roles",          roles};
  out.insert(out.end(), unlimited.begin(), unlimited.end());
  out.insert(out.end(), extra_flags_.begin(), extra_flags_.end());
  return out;
}

e2e::server_process& cluster_harness::add_node(const std::string& id, const std::string& roles,
                                               const std::string& nats_url) {
  auto& added = *(nodes_[id] = std::make_unique<e2e::server_process>(flags(id, roles, nats_url)));
  progress(id + " (" + roles + ") is ready on port " + std::to_string(added.port()));
  if (token_.empty()) {
    e2e::http_client c{added.port()};
    token_ = e2e::sign_in_as_admin(c)["access_token"].get<std::string>();
  }
  return added;
}

void cluster_harness::add_workers_at_once(const std::vector<std::string>& ids) {
  std::vector<std::unique_ptr<e2e::server_process>> started(ids.size());
  std::vector<std::string> failures(ids.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < ids.size(); ++i)
    threads.emplace_back([&, i] {
      try {
        started[i] = std::make_unique<e2e::server_process>(flags(ids[i], "edge,worker", ""));
      } catch (const std::exception& e) {
        failures[i] = e.what();
      }
    });
  for (auto& t : threads)
    t.join();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    INFO(ids[i] << ": " << failures[i]);
    REQUIRE(started[i]);
    nodes_[ids[i]] = std::move(started[i]);
  }
  if (token_.empty()) {
    e2e::http_client c{nodes_.at(ids.front())->port()};
    token_ = e2e::sign_in_as_admin(c)["access_token"].get<std::string>();
  }
}

void cluster_harness::await_members(std::uint16_t port, std::vector<std::string> ids, std::chrono::seconds within) {
  std::sort(ids.begin(), ids.end());
  e2e::http_client c{port};
  c.set_default_header("Authorization", "Bearer " + token_);
  auto until = clock_type::now() + within;
  std::vector<std::string> seen;
  e2e::http_result r;
  while (clock_type::now() < until) {
    r = c.get("/admin/api/cluster");
    if (r.status == 200) {
      seen.clear();
      auto body = r.json();  // the range below must not outlive it
      for (const auto& n : body["nodes"]) {
        auto roles = n["roles"].get<std::vector<std::string>>();
        if (n["state"] == "up" && std::find(roles.begin(), roles.end(), "worker") != roles.end())
          seen.push_back(n["id"].get<std::string>());
      }
      std::sort(seen.begin(), seen.end());
      if (seen == ids) {
        progress("up workers are " + json(ids).dump());
        return;
      }
    }
    std::this_thread::sleep_for(50ms);
  }
  FAIL("up workers never became exactly " << json(ids).dump() << "; last seen " << json(seen).dump() << " in "
                                          << r.status << " " << r.body);
}

std::vector<std::string> cluster_harness::shard_owners(std::uint16_t port) {
  e2e::http_client c{port};
  c.set_default_header("Authorization", "Bearer " + token_);
  auto r = c.get("/admin/api/shards");
  REQUIRE(r.status == 200);
  return r.json()["owners"].get<std::vector<std::string>>();
}

std::string cluster_harness::task_on(std::uint16_t edge, const std::vector<std::string>& owners,
                                     const std::string& owner) {
  e2e::http_client c{edge};
  c.set_default_header("Authorization", "Bearer " + token_);
  for (int i = 0; i < 200; ++i) {
    auto r = c.post_json("/api/v1/tasks", {{"title", "probe " + std::to_string(i)}});
    INFO(r.body);
    REQUIRE(r.status == 201);
    auto id = r.json()["id"].get<std::string>();
    if (owners[runtime::shard_of("task/" + id, static_cast<std::uint32_t>(owners.size()))] == owner)
      return id;
  }
  FAIL("no task landed on " << owner);
  return {};
}

int load_report::failed() const {
  int n = 0;
  for (const auto& [status, count] : by_status)
    n += status >= 200 && status < 300 ? 0 : count;
  return n;
}

mixed_load::mixed_load(std::string token, std::vector<std::uint16_t> edges, int clients)
    : token_(std::move(token)), edges_(std::move(edges)) {
  for (int i = 0; i < clients; ++i)
    threads_.emplace_back([this, i] { run(i); });
}

mixed_load::~mixed_load() {
  stop();
}

void mixed_load::remove_edge(std::uint16_t port) {
  std::lock_guard lock{mutex_};
  edges_.erase(std::remove(edges_.begin(), edges_.end(), port), edges_.end());
}

load_report mixed_load::stop() {
  stopping_ = true;
  for (auto& t : threads_)
    if (t.joinable())
      t.join();
  std::lock_guard lock{mutex_};
  return report_;
}

// Bounded: at most 20000 requests or 120 s per client, whichever is first.
void mixed_load::run(int client) {
  std::map<std::uint16_t, std::unique_ptr<e2e::http_client>> clients;
  std::string task_id;
  std::string etag;
  auto until = clock_type::now() + 120s;
  for (int n = 0; n < 20000 && !stopping_ && clock_type::now() < until; ++n) {
    std::uint16_t edge = 0;
    {
      std::lock_guard lock{mutex_};
      if (edges_.empty())
        return;
      edge = edges_[static_cast<std::size_t>(n + client) % edges_.size()];
    }
    auto& c = clients[edge];
    int status = 0;
    std::string title;
    std::string request;
    std::string why;
    e2e::http_result r;
    try {
      if (!c) {
        c = std::make_unique<e2e::http_client>(edge);
        c->set_default_header("Authorization", "Bearer " + token_);
      }
      if (task_id.empty() || n % 3 == 0) {
        title = "load " + std::to_string(client) + "." + std::to_string(n);
        request = "POST /api/v1/tasks";
        r = c->post_json("/api/v1/tasks", {{"title", title}});
        if (r.status == 201) {
          task_id = r.json()["id"].get<std::string>();
          etag = r.header("etag");
        }
      } else if (n % 3 == 1) {
        title = "patched " + std::to_string(client) + "." + std::to_string(n);
        request = "PATCH /api/v1/tasks/" + task_id;
        r = c->patch_json("/api/v1/tasks/" + task_id, {{"title", title}}, etag);
        if (r.status == 200)
          etag = r.header("etag");
      } else {
        request = "GET /api/v1/tasks/" + task_id;
        r = c->get("/api/v1/tasks/" + task_id);
        if (r.status == 200)
          etag = r.header("etag");  // recovers from a patch that did not answer
      }
      status = r.status;
      why = r.body;
    } catch (const std::exception& e) {
      c.reset();  // refused or reset: the next request reconnects
      why = e.what();
    }
    std::lock_guard lock{mutex_};
    ++report_.sent;
    ++report_.by_status[status];
    if ((status < 200 || status >= 300) && report_.failures.size() < 10)
      report_.failures.push_back("[" + seconds_since_start() + " s] " + request + " via port " + std::to_string(edge) +
                                 ": " + (status ? std::to_string(status) : std::string{"no answer"}) + " " + why);
    if ((status == 201 || (status == 200 && !title.empty())) && !etag.empty())
      report_.writes[task_id] = {std::stoll(etag_version(etag)), title};
  }
}

conditional_patches::conditional_patches(std::string token, std::string task_id, std::vector<std::uint16_t> edges,
                                         int per_edge)
    : token_(std::move(token)), task_id_(std::move(task_id)) {
  int writer = 0;
  for (auto edge : edges)
    for (int i = 0; i < per_edge; ++i, ++writer)
      threads_.emplace_back([this, edge, writer] { run(edge, writer); });
}

conditional_patches::~conditional_patches() {
  stop();
}

patch_tally conditional_patches::stop() {
  stopping_ = true;
  for (auto& t : threads_)
    if (t.joinable())
      t.join();
  std::lock_guard lock{mutex_};
  return {ok_.load(), precondition_failed_.load(), other_.load(), failures_};
}

void conditional_patches::run(std::uint16_t edge, int writer) {
  auto path = "/api/v1/tasks/" + task_id_;
  auto other = [&](const std::string& request, const std::string& what) {
    ++other_;
    std::lock_guard lock{mutex_};
    if (failures_.size() < 10)
      failures_.push_back("[" + seconds_since_start() + " s] " + request + " via port " + std::to_string(edge) + ": " +
                          what);
  };
  std::unique_ptr<e2e::http_client> http;
  // Bounded: at most 5000 rounds or 120 s per writer, whichever is first.
  auto until = clock_type::now() + 120s;
  for (int n = 0; n < 5000 && !stopping_ && clock_type::now() < until; ++n) {
    try {
      if (!http) {
        http = std::make_unique<e2e::http_client>(edge);
        http->set_default_header("Authorization", "Bearer " + token_);
      }
      auto current = http->get(path);
      if (current.status != 200) {
        other("GET", std::to_string(current.status) + " " + current.body);
        continue;
      }
      auto r = http->patch_json(path, {{"title", "w" + std::to_string(writer) + "." + std::to_string(n)}},
                                current.header("etag"));
      if (r.status == 200)
        ++ok_;
      else if (r.status == 412)
        ++precondition_failed_;
      else
        other("PATCH", std::to_string(r.status) + " " + r.body);
    } catch (const std::exception& e) {
      other("a request", std::string{"no answer: "} + e.what());  // the next round reconnects
      http.reset();
    }
  }
}

store_audit audit(const std::string& postgres_url, const std::map<std::string, acknowledged>& writes,
                  std::chrono::seconds settle) {
  store_audit out;
  pqxx::connection conn{postgres_url};
  auto until = clock_type::now() + settle;
  for (;;) {
    out = {};
    pqxx::nontransaction tx{conn};
    for (const auto& [id, ack] : writes) {
      auto row = tx.exec_params("SELECT version, state FROM tasks WHERE id = $1", id);
      if (row.empty() || row[0][0].as<std::int64_t>() < ack.version) {
        ++out.missing_writes;
        continue;
      }
      if (row[0][0].as<std::int64_t>() == ack.version) {
        auto state = json::parse(row[0][1].as<std::string>(), nullptr, false);
        if (!state.is_discarded() && state.contains("title") && state["title"] != ack.title)
          ++out.missing_writes;
      }
      auto view = tx.exec_params(
          "SELECT v.version = t.version FROM tasks t LEFT JOIN task_view v ON v.id = t.id "
          "WHERE t.id = $1",
          id);
      if (view.empty() || view[0][0].is_null() || !view[0][0].as<bool>())
        ++out.view_out_of_step;
    }
    std::string ids;
    for (const auto& [id, ack] : writes)
      ids += (ids.empty() ? "" : ",") + tx.quote(id);
    if (!ids.empty()) {
      out.events = tx.exec("SELECT count(*) FROM events WHERE aggregate_id IN (" + ids + ")")[0][0].as<int>();
      out.unprojected = tx.exec("SELECT count(*) FROM events e WHERE e.aggregate_id IN (" + ids +
                                ") AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.consumer = 'projector' "
                                "AND i.event_id = e.event_id)")[0][0]
                            .as<int>();
      out.projected_twice = tx.exec(
                                  "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM inbox i JOIN "
                                  "events e ON e.event_id = i.event_id WHERE e.aggregate_id IN (" +
                                  ids + ") GROUP BY i.consumer, i.event_id) per_event")[0][0]
                                .as<int>();
    }
    if ((out.unprojected == 0 && out.view_out_of_step == 0) || clock_type::now() >= until)
      return out;
    std::this_thread::sleep_for(200ms);
  }
}

std::int64_t resident_kib(pid_t pid) {
  std::ifstream status{"/proc/" + std::to_string(pid) + "/status"};
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stoll(line.substr(6));
  return 0;
}

void print_report(const std::string& scenario, const load_report& load, const store_audit& audit) {
  std::cout << "\n== " << scenario << " ==\n"
            << "requests sent: " << load.sent << "\nanswers by status:";
  for (const auto& [status, count] : load.by_status)
    std::cout << " " << (status == 0 ? std::string{"no-answer"} : std::to_string(status)) << "=" << count;
  std::cout << "\ntasks written: " << load.writes.size()
            << "\nacknowledged writes missing afterwards: " << audit.missing_writes << "\nevents: " << audit.events
            << ", not projected: " << audit.unprojected << ", projected twice: " << audit.projected_twice
            << "\nread-model rows out of step: " << audit.view_out_of_step << "\n";
  for (const auto& failure : load.failures)
    std::cout << "failed: " << failure << "\n";
  std::cout << std::flush;
  CHECK(load.sent > 0);
  CHECK(audit.missing_writes == 0);
  CHECK(audit.projected_twice == 0);
  CHECK(audit.unprojected == 0);
  CHECK(audit.view_out_of_step == 0);
}

}  // namespace taskflow::cluster_test
