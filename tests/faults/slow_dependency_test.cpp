// PostgreSQL made slow rather than down: one node reaches it through a
// delaying proxy (delaying_proxy.hpp) while 16 writers keep posting. When
// its answers come late, past the request deadline (5 s) or past the
// slow-call limit (2 s), the node should stop waiting for it: its breaker
// counts the slow calls and opens, and writes are refused at once with 503
// instead of each holding a store connection until 504. Once the delay is
// gone, writes succeed again. The test prints, per phase, the answers and
// their latencies.
//
// A phase is judged by the answers that both started and ended in it. The
// proxy delays every answer not yet passed on, so a write in flight when the
// delay comes waits for the slow PostgreSQL whichever phase it started in;
// counted with the fast phase before, those were taken for writes that wait
// out their deadline with PostgreSQL fast (docs/reliability.md).
#include <catch2/catch.hpp>

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>

#include "tests/cluster/cluster_harness.hpp"
#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"
#include "tests/faults/delaying_proxy.hpp"
#include "tests/faults/keyed_traffic.hpp"
#include "tests/support/test_stack.hpp"

using namespace taskflow;
using namespace taskflow::faults_test;
using namespace std::chrono_literals;

namespace {

struct answer {
  std::string phase;
  // The phase changed while the request was out.
  bool crossed = false;
  clock_type::time_point started;
  int status = 0;
  double ms = 0;
};

// Writers that post tasks as fast as answered, each answer tagged with the
// phase the test is in when the request starts.
class phased_writers {
public:
  phased_writers(std::uint16_t port, const std::string& token, int writers) {
    for (int w = 0; w < writers; ++w)
      threads_.emplace_back([this, port, token, w] { run(port, token, w); });
  }
  ~phased_writers() { stop(); }
  void enter(const std::string& phase) {
    std::lock_guard lock{mutex_};
    phase_ = phase;
  }
  std::vector<answer> stop() {
    stopping_ = true;
    threads_.clear();
    std::lock_guard lock{mutex_};
    return answers_;
  }

private:
  void run(std::uint16_t port, const std::string& token, int writer) {
    std::unique_ptr<e2e::http_client> http;
    for (int n = 0; !stopping_; ++n) {
      answer a;
      {
        std::lock_guard lock{mutex_};
        a.phase = phase_;
      }
      a.started = clock_type::now();
      try {
        if (!http) {
          http = std::make_unique<e2e::http_client>(port);
          http->set_default_header("Authorization", "Bearer " + token);
        }
        a.status =
            http->post_json("/api/v1/tasks", {{"title", "slow " + std::to_string(writer) + "." + std::to_string(n)}})
                .status;
      } catch (const std::exception&) {
        http.reset();
      }
      a.ms = std::chrono::duration<double, std::milli>(clock_type::now() - a.started).count();
      {
        std::lock_guard lock{mutex_};
        a.crossed = a.phase != phase_;
        answers_.push_back(a);
      }
      if (a.status != 201)
        std::this_thread::sleep_for(20ms);  // a client backing off a little
    }
  }
  std::mutex mutex_;
  std::string phase_;
  std::vector<answer> answers_;
  std::atomic<bool> stopping_{false};
  std::vector<std::jthread> threads_;
};

std::uint16_t port_of(const std::string& url) {
  auto colon = url.rfind(':');
  return static_cast<std::uint16_t>(std::stoi(url.substr(colon + 1, url.find('/', colon) - colon - 1)));
}

std::string with_port(const std::string& url, std::uint16_t port) {
  auto colon = url.rfind(':');
  return url.substr(0, colon + 1) + std::to_string(port) + url.substr(url.find('/', colon));
}

struct phase_summary {
  std::map<int, int> by_status;
  std::vector<double> ms;
  int fast_503 = 0;  // answered 503 within 100 ms
};

// Answers that started in `phase` (from `from` on) and ended in it too, or
// with `crossed` those that ended in a later phase.
phase_summary summarize(const std::vector<answer>& answers, const std::string& phase, clock_type::time_point from = {},
                        bool crossed = false) {
  phase_summary out;
  for (const auto& a : answers)
    if (a.phase == phase && a.crossed == crossed && a.started >= from) {
      ++out.by_status[a.status];
      out.ms.push_back(a.ms);
      out.fast_503 += a.status == 503 && a.ms < 100 ? 1 : 0;
    }
  return out;
}

void print(const std::string& name, const phase_summary& s) {
  std::cout << name << ": " << s.ms.size() << " answers:";
  for (const auto& [status, count] : s.by_status)
    std::cout << " " << (status == 0 ? std::string{"no-answer"} : std::to_string(status)) << "=" << count;
  auto sorted = s.ms;
  std::sort(sorted.begin(), sorted.end());
  auto median = sorted.empty() ? 0.0 : sorted[sorted.size() / 2];
  std::cout << std::fixed << std::setprecision(0) << "; ms p50 " << median << ", p99 " << p99_ms(s.ms) << ", max "
            << (sorted.empty() ? 0.0 : sorted.back()) << "; 503 within 100 ms: " << s.fast_503 << "\n";
}

}  // namespace

TEST_CASE("a slow PostgreSQL gets fast 503s, not a pile of 504s, and writes recover once it is fast again",
          "[faults]") {
  testing::test_stack stack;
  delaying_proxy proxy{port_of(stack.postgres_url())};
  // Without rate limits: 16 writers on one principal would meet them once
  // writes are fast again.
  e2e::server_process node{{"--postgres", with_port(stack.postgres_url(), proxy.port()), "--node-id", "slow-pg",
                            "--rate-limit-principal", "0", "--rate-limit-ip", "0"}};
  e2e::http_client c{node.port()};
  auto token = e2e::sign_in_as_admin(c)["access_token"].get<std::string>();

  // Each delay holds every answer PostgreSQL sends, so a write's several
  // round trips take a multiple of it: 8 s is past the 5 s request
  // deadline however the write goes; 1.5 s puts a write past the 2 s
  // slow-call limit and near the deadline.
  struct phase {
    std::string name;
    std::chrono::milliseconds delay;
    std::chrono::seconds lasts;
  };
  const std::vector<phase> phases{{"before", 0ms, 3s},
                                  {"8 s late", 8000ms, 15s},
                                  {"fast again", 0ms, 12s},
                                  {"1.5 s late", 1500ms, 15s},
                                  {"fast once more", 0ms, 12s}};
  std::vector<clock_type::time_point> began;
  phased_writers writers{node.port(), token, 16};
  for (const auto& p : phases) {
    cluster_test::progress("PostgreSQL: " + p.name);
    proxy.set_delay(p.delay);
    writers.enter(p.name);
    began.push_back(clock_type::now());
    std::this_thread::sleep_for(p.lasts);
  }
  auto answers = writers.stop();

  std::cout << "\n== PostgreSQL made slow (request deadline 5 s, slow-call limit 2 s) ==\n";
  for (std::size_t i = 0; i < phases.size(); ++i) {
    const auto& p = phases[i];
    auto all = summarize(answers, p.name);
    print(p.name + ", all of it", all);
    // Not judged: these met the next phase's PostgreSQL.
    print(p.name + ", out when it ended", summarize(answers, p.name, {}, true));
    INFO(p.name);
    if (i == 0) {
      CHECK(all.by_status[504] == 0);
      CHECK(all.by_status[201] * 100 >= static_cast<int>(all.ms.size()) * 99);
      continue;
    }
    // The breaker needs a few slow calls before it opens, and a probe
    // before it closes: judge what follows.
    auto settled = summarize(answers, p.name, began[i] + (p.delay > 0ms ? 7s : 8s));
    print(p.name + (p.delay > 0ms ? ", from 7 s on" : ", from 8 s on"), settled);
    REQUIRE(!settled.ms.empty());
    auto answered = static_cast<int>(settled.ms.size());
    if (p.delay > 0ms) {
      // A write the half-open breaker lets through as its probe meets the
      // slow PostgreSQL and may wait out its deadline; beyond one in 500,
      // 504s would be the pile-up this test is about.
      CHECK(settled.by_status[504] * 500 <= answered);
      CHECK(settled.fast_503 * 10 >= answered * 9);
    } else {
      // PostgreSQL is fast again and the breaker closed: no write waits out
      // its deadline.
      CHECK(settled.by_status[504] == 0);
      CHECK(settled.by_status[201] * 100 >= answered * 99);
    }
  }
  std::cout << std::flush;
}
