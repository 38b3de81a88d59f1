// The OTLP exporter against a collector of the test's own on 127.0.0.1: what
// arrives (gzip, OTLP/JSON), what is retried and what is final, and that
// submit() neither blocks nor lets the queue grow while the collector is
// away or hung. Every span submitted is accounted for exactly once.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/observability/tracing/otlp_exporter.hpp"

using namespace taskflow;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// Only a gzip stream (windowBits 15 + 16): a zlib or raw one fails, as it
// would at a collector told Content-Encoding: gzip.
std::optional<std::string> gunzip(const std::string& in) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK)
    return std::nullopt;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  stream.avail_in = static_cast<uInt>(in.size());
  std::string out;
  int rc = Z_OK;
  while (rc == Z_OK) {
    char chunk[16384];
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof chunk;
    rc = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - stream.avail_out);
  }
  inflateEnd(&stream);
  if (rc != Z_STREAM_END)
    return std::nullopt;
  return out;
}

// An HTTP/1.1 collector on 127.0.0.1: keeps every request (body gunzipped
// when it says gzip) and answers from a script, 200 once it runs out, or
// never when silent. Keep-alive, as libcurl reuses its connection.
class loopback_collector {
public:
  struct answer {
    int status = 200;
    std::string headers;  // extra lines, each ending in \r\n
    std::string body;
  };
  struct request {
    std::string target;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::optional<std::string> body;             // empty when it would not gunzip
    std::chrono::steady_clock::time_point at;
  };

  loopback_collector() {
    listen_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(listen_ >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listen_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listen_, 16) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(listen_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    port_ = ntohs(address.sin_port);
    thread_ = std::jthread([this](const std::stop_token& stop) { serve(stop); });
  }

  ~loopback_collector() {
    thread_.request_stop();
    thread_.join();
    ::close(listen_);
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  void script(std::deque<answer> answers) {
    std::lock_guard lock{mutex_};
    script_ = std::move(answers);
  }

  void go_silent() { silent_ = true; }

  // The requests so far, once there are `count` or `within` has passed.
  std::vector<request> wait_for(std::size_t count, std::chrono::milliseconds within) {
    std::unique_lock lock{mutex_};
    arrived_.wait_for(lock, within, [&] { return requests_.size() >= count; });
    return requests_;
  }

private:
  struct connection {
    int fd;
    std::string in;
  };

  void serve(const std::stop_token& stop) {
    std::vector<connection> connections;
    while (!stop.stop_requested()) {
      std::vector<pollfd> fds{{listen_, POLLIN, 0}};
      for (const auto& c : connections)
        fds.push_back({c.fd, POLLIN, 0});
      if (::poll(fds.data(), fds.size(), 20) <= 0)
        continue;
      for (std::size_t i = 1; i < fds.size(); ++i) {
        if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0)
          continue;
        auto& c = connections[i - 1];
        char buffer[16384];
        auto n = ::read(c.fd, buffer, sizeof buffer);
        if (n <= 0) {
          ::close(c.fd);
          c.fd = -1;
          continue;
        }
        c.in.append(buffer, static_cast<std::size_t>(n));
        while (auto reply = next_request(c.in))
          send_all(c.fd, *reply);
      }
      std::erase_if(connections, [](const connection& c) { return c.fd < 0; });
      if ((fds[0].revents & POLLIN) != 0) {
        int fd = ::accept4(listen_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0)
          connections.push_back({fd, {}});
      }
    }
    for (const auto& c : connections)
      ::close(c.fd);
  }

  // The reply to the first whole request in `in` (empty when silent), or
  // nothing while it is incomplete.
  std::optional<std::string> next_request(std::string& in) {
    auto head_end = in.find("\r\n\r\n");
    if (head_end == std::string::npos)
      return std::nullopt;
    request r;
    r.at = std::chrono::steady_clock::now();
    auto line_end = in.find("\r\n");
    auto request_line = in.substr(0, line_end);
    auto first_space = request_line.find(' ');
    r.target = request_line.substr(first_space + 1, request_line.rfind(' ') - first_space - 1);
    for (auto at = line_end + 2; at < head_end;) {
      auto end = in.find("\r\n", at);
      auto line = in.substr(at, end - at);
      auto colon = line.find(':');
      auto name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      auto value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      r.headers[name] = value;
      at = end + 2;
    }
    std::size_t length = r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
    if (in.size() < head_end + 4 + length)
      return std::nullopt;
    auto body = in.substr(head_end + 4, length);
    in.erase(0, head_end + 4 + length);
    r.body = r.headers["content-encoding"] == "gzip" ? gunzip(body) : std::optional<std::string>{body};

    answer next;
    {
      std::lock_guard lock{mutex_};
      requests_.push_back(std::move(r));
      if (!script_.empty()) {
        next = script_.front();
        script_.pop_front();
      }
    }
    arrived_.notify_all();
    if (silent_)
      return std::string{};
    return "HTTP/1.1 " + std::to_string(next.status) + " Scripted\r\nContent-Type: application/json\r\n" +
           "Content-Length: " + std::to_string(next.body.size()) + "\r\n" + next.headers + "\r\n" + next.body;
  }

  static void send_all(int fd, const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      auto n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0)
        return;
      sent += static_cast<std::size_t>(n);
    }
  }

  int listen_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> silent_{false};
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<answer> script_;
  std::vector<request> requests_;
  std::jthread thread_;
};

// What the hooks were told, by reason.
struct tally {
  std::atomic<std::size_t> exported{0};
  std::atomic<std::size_t> queue_full{0};
  std::atomic<std::size_t> export_failed{0};
  std::atomic<std::size_t> shutdown{0};
  std::atomic<std::size_t> other{0};
  std::atomic<std::size_t> errors{0};

  runtime::otlp_exporter_hooks hooks() {
    return {[this](std::size_t spans) { exported += spans; },
            [this](std::size_t spans, const char* reason) {
              std::string_view why{reason};
              if (why == "queue_full")
                queue_full += spans;
              else if (why == "export_failed")
                export_failed += spans;
              else if (why == "shutdown")
                shutdown += spans;
              else
                other += spans;
            },
            [this] { ++errors; }};
  }

  std::size_t accounted() const { return exported + queue_full + export_failed + shutdown + other; }
};

template <typename Predicate>
bool eventually(Predicate done, std::chrono::milliseconds within = 5s) {
  auto until = std::chrono::steady_clock::now() + within;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= until)
      return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

messages::Span make_span(int n, const std::string& node_id = "node-a") {
  messages::Span span;
  span.set_trace_id("4bf92f3577b34da6a3ce929d0e0e4736");
  char id[17];
  std::snprintf(id, sizeof id, "%016x", n);
  span.set_span_id(id);
  span.set_name("span " + std::to_string(n));
  span.set_kind(messages::Span::KIND_INTERNAL);
  span.set_start_unix_nano(1'700'000'000'000'000'000ULL);
  span.set_end_unix_nano(1'700'000'000'000'100'000ULL);
  span.set_node_id(node_id);
  return span;
}

std::size_t spans_in(const loopback_collector::request& request) {
  std::size_t count = 0;
  auto doc = json::parse(request.body.value());
  for (const auto& resource : doc["resourceSpans"])
    for (const auto& scope : resource["scopeSpans"])
      count += scope["spans"].size();
  return count;
}

// A port on 127.0.0.1 nobody listens on: bound, then closed.
std::uint16_t closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

runtime::otlp_exporter_config config_for(const std::string& endpoint) {
  runtime::otlp_exporter_config config;
  config.endpoint = endpoint;
  config.service_name = "taskflow-test";
  config.service_version = "9.9.9";
  config.backoff = 10ms;
  return config;
}

}  // namespace

TEST_CASE("the traces URL is the base URL with /v1/traces, unless it has it", "[otlp]") {
  CHECK(runtime::otlp_traces_url("http://127.0.0.1:4318") == "http://127.0.0.1:4318/v1/traces");
  CHECK(runtime::otlp_traces_url("http://127.0.0.1:4318/") == "http://127.0.0.1:4318/v1/traces");
  CHECK(runtime::otlp_traces_url("https://otel.example/collector") == "https://otel.example/collector/v1/traces");
  CHECK(runtime::otlp_traces_url("http://127.0.0.1:4318/v1/traces") == "http://127.0.0.1:4318/v1/traces");
  CHECK(runtime::otlp_traces_url("http://127.0.0.1:4318/v1/traces/") == "http://127.0.0.1:4318/v1/traces");
}

TEST_CASE("spans arrive as a gzip-compressed OTLP/JSON export", "[otlp]") {
  loopback_collector collector;
  tally counts;
  auto config = config_for(collector.url());
  config.flush_interval = 50ms;
  runtime::otlp_exporter exporter{config, counts.hooks()};
  exporter.submit(make_span(1, "node-a"));
  exporter.submit(make_span(2, "node-b"));
  exporter.submit(make_span(3, "node-a"));
  REQUIRE(eventually([&] { return counts.exported == 3; }));

  auto requests = collector.wait_for(1, 1s);
  REQUIRE(!requests.empty());
  std::size_t spans = 0;
  for (const auto& request : requests) {
    CHECK(request.target == "/v1/traces");
    CHECK(request.headers.at("content-type") == "application/json");
    CHECK(request.headers.at("content-encoding") == "gzip");
    REQUIRE(request.body);
    spans += spans_in(request);
  }
  CHECK(spans == 3);

  auto doc = json::parse(*requests.front().body);
  const auto& resource = doc.at("resourceSpans").at(0);
  CHECK(resource.at("resource").at("attributes").at(0) ==
        json{{"key", "service.name"}, {"value", {{"stringValue", "taskflow-test"}}}});
  const auto& span = resource.at("scopeSpans").at(0).at("spans").at(0);
  CHECK(span.at("traceId") == "4bf92f3577b34da6a3ce929d0e0e4736");
  CHECK(span.at("spanId") == "0000000000000001");
  CHECK(span.at("kind") == 1);
  CHECK(counts.errors == 0);
  CHECK(counts.accounted() == 3);
}

TEST_CASE("a full batch goes out before the interval, and the rest at shutdown", "[otlp]") {
  loopback_collector collector;
  tally counts;
  auto config = config_for(collector.url());
  config.max_batch = 2;
  config.flush_interval = 60s;
  std::optional<runtime::otlp_exporter> exporter{std::in_place, config, counts.hooks()};
  for (int i = 1; i <= 4; ++i)
    exporter->submit(make_span(i));
  auto requests = collector.wait_for(2, 5s);
  REQUIRE(requests.size() == 2);
  CHECK(spans_in(requests[0]) == 2);
  CHECK(spans_in(requests[1]) == 2);

  exporter->submit(make_span(5));
  exporter.reset();
  requests = collector.wait_for(3, 1s);
  REQUIRE(requests.size() == 3);
  CHECK(spans_in(requests[2]) == 1);
  CHECK(counts.exported == 5);
  CHECK(counts.accounted() == 5);
}

TEST_CASE("a 503 is retried after its Retry-After and the batch delivered", "[otlp]") {
  loopback_collector collector;
  collector.script({{503, "Retry-After: 1\r\n", ""}, {200, "", ""}});
  tally counts;
  auto config = config_for(collector.url());
  // Only a full batch starts a POST: the two spans go in one.
  config.max_batch = 2;
  config.flush_interval = 60s;
  runtime::otlp_exporter exporter{config, counts.hooks()};
  exporter.submit(make_span(1));
  exporter.submit(make_span(2));
  REQUIRE(eventually([&] { return counts.exported == 2; }));

  auto requests = collector.wait_for(2, 1s);
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].body == requests[1].body);
  // The collector's second is longer than our 10 ms backoff, so it is what was waited.
  CHECK(requests[1].at - requests[0].at >= 900ms);
  CHECK(counts.errors == 1);
  CHECK(counts.accounted() == 2);
}

TEST_CASE("a 4xx is final, and spans a 200 reports rejected are not counted as exported", "[otlp]") {
  loopback_collector collector;
  collector.script({{400, "", R"({"message":"bad span"})"},
                    {200, "", R"({"partialSuccess":{"rejectedSpans":"1","errorMessage":"span 4 has no name"}})"}});
  tally counts;
  runtime::logger log{runtime::log_level::error};
  auto config = config_for(collector.url());
  config.max_batch = 2;
  config.flush_interval = 60s;
  runtime::otlp_exporter exporter{config, counts.hooks(), &log};
  exporter.submit(make_span(1));
  exporter.submit(make_span(2));
  REQUIRE(eventually([&] { return counts.export_failed == 2; }));
  CHECK(collector.wait_for(1, 0ms).size() == 1);
  CHECK(counts.errors == 1);

  exporter.submit(make_span(3));
  exporter.submit(make_span(4));
  REQUIRE(eventually([&] { return counts.exported == 1; }));
  CHECK(counts.export_failed == 3);
  CHECK(collector.wait_for(2, 0ms).size() == 2);
  CHECK(counts.errors == 1);
  CHECK(counts.accounted() == 4);
}

TEST_CASE("with the collector down, spans are dropped and counted and submit goes on", "[otlp]") {
  tally counts;
  auto config = config_for("http://127.0.0.1:" + std::to_string(closed_port()));
  config.max_queue = 64;
  config.max_batch = 16;
  config.flush_interval = 20ms;
  config.max_attempts = 2;
  std::optional<runtime::otlp_exporter> exporter{std::in_place, config, counts.hooks()};
  for (int i = 0; i < 200; ++i)
    exporter->submit(make_span(i));
  REQUIRE(eventually([&] { return counts.accounted() == 200; }));
  CHECK(counts.exported == 0);
  CHECK(counts.export_failed > 0);
  // Two attempts for every batch lost.
  CHECK(counts.errors >= 2);

  exporter->submit(make_span(200));
  exporter.reset();
  CHECK(counts.accounted() == 201);
  CHECK(counts.other == 0);
}

TEST_CASE("a hung collector blocks no submitter, the queue stays at max_queue, and shutdown ends it", "[otlp]") {
  loopback_collector collector;
  collector.go_silent();
  tally counts;
  auto config = config_for(collector.url());
  config.max_queue = 100;
  config.max_batch = 10;
  // Only a full batch starts a POST, so the one in flight is exactly the first ten.
  config.flush_interval = 60s;
  config.timeout = 60s;
  config.shutdown_timeout = 300ms;
  std::optional<runtime::otlp_exporter> exporter{std::in_place, config, counts.hooks()};
  for (int i = 0; i < 10; ++i)
    exporter->submit(make_span(i));
  REQUIRE(collector.wait_for(1, 5s).size() == 1);

  for (int i = 10; i < 1010; ++i)
    exporter->submit(make_span(i));
  CHECK(counts.queue_full == 900);

  auto started = std::chrono::steady_clock::now();
  exporter.reset();
  // Not a measure of anything: a guard against a destructor that waits for
  // the 60 s POST timeout instead of its shutdown_timeout.
  CHECK(std::chrono::steady_clock::now() - started < 5s);
  CHECK(counts.shutdown == 110);
  CHECK(counts.exported == 0);
  CHECK(counts.errors == 1);
  CHECK(counts.accounted() == 1010);
}
