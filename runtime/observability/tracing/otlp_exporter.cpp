#include "runtime/observability/tracing/otlp_exporter.hpp"

#include <curl/curl.h>
#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <exception>
#include <iterator>
#include <memory>
#include <optional>
#include <random>
#include <utility>

#include <nlohmann/json.hpp>

#include "runtime/curl/curl_handles.hpp"

namespace taskflow::runtime {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr std::string_view traces_path = "/v1/traces";

// Enough for OTLP's partialSuccess; nothing else in an answer is read.
constexpr std::size_t max_response = std::size_t{64} * 1024;

std::size_t keep_response(char* data, std::size_t size, std::size_t count, void* out) {
  auto* body = static_cast<std::string*>(out);
  auto room = max_response - std::min(max_response, body->size());
  // Reserved up front: no allocation, so nothing can throw through curl.
  body->append(data, std::min(size * count, room));
  return size * count;
}

// Lets the destructor end a POST that would otherwise run to its timeout.
int give_up_when_due(void* deadline, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto due = static_cast<const std::atomic<steady_clock::rep>*>(deadline)->load();
  return steady_clock::now().time_since_epoch().count() >= due ? 1 : 0;
}

header_list request_headers() {
  header_list list;
  // "Expect:" stops curl from sending Expect: 100-continue for larger bodies and waiting.
  for (const char* line : {"Content-Type: application/json", "Content-Encoding: gzip", "Expect:"}) {
    auto* grown = curl_slist_append(list.get(), line);
    if (grown == nullptr)
      return nullptr;
    (void)list.release();
    list.reset(grown);
  }
  return list;
}

// RFC 1952 gzip: zlib writes that wrapper when windowBits is 15 + 16.
std::optional<std::string> gzip(const std::string& data) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return std::nullopt;
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  // zlib's input pointer is not const, but deflate only reads through it.
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  auto rc = deflate(&stream, Z_FINISH);
  deflateEnd(&stream);
  if (rc != Z_STREAM_END)
    return std::nullopt;
  out.resize(stream.total_out);
  return out;
}

// A 2xx may still refuse some spans (OTLP's partialSuccess); those are final.
std::size_t rejected_spans(const std::string& answer, std::size_t sent) {
  auto doc = nlohmann::json::parse(answer, nullptr, false);
  if (!doc.is_object())
    return 0;
  auto partial = doc.find("partialSuccess");
  if (partial == doc.end() || !partial->is_object())
    return 0;
  auto count = partial->find("rejectedSpans");
  if (count == partial->end())
    return 0;
  std::int64_t rejected = 0;
  // int64, so a string in protobuf's JSON mapping; some servers write a number.
  if (count->is_number_integer()) {
    rejected = count->get<std::int64_t>();
  } else if (count->is_string()) {
    const auto& text = count->get_ref<const std::string&>();
    std::from_chars(text.data(), text.data() + text.size(), rejected);
  }
  return static_cast<std::size_t>(std::clamp<std::int64_t>(rejected, 0, static_cast<std::int64_t>(sent)));
}

// Retry-After in seconds; the HTTP-date form is left to our own backoff.
std::chrono::seconds retry_after_header(CURL* handle) {
  curl_header* header = nullptr;
  if (curl_easy_header(handle, "Retry-After", 0, CURLH_HEADER, -1, &header) != CURLHE_OK)
    return std::chrono::seconds{0};
  std::string_view value{header->value};
  std::int64_t seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc{} || end != value.data() + value.size() || seconds < 0)
    return std::chrono::seconds{0};
  return std::chrono::seconds{seconds};
}

struct post_result {
  bool delivered = false;
  bool retryable = false;
  // Ended by the destructor's deadline.
  bool given_up = false;
  std::chrono::seconds retry_after{0};
  std::string error;
};

}  // namespace

std::string otlp_traces_url(std::string_view endpoint) {
  while (endpoint.ends_with('/'))
    endpoint.remove_suffix(1);
  std::string url{endpoint};
  if (!endpoint.ends_with(traces_path))
    url += traces_path;
  return url;
}

class otlp_exporter::worker {
public:
  explicit worker(otlp_exporter& owner) : owner_(owner), curl_(curl_easy_init()), headers_(request_headers()) {
    response_.reserve(max_response);
    auto* h = curl_.get();
    if (h == nullptr)
      return;
    curl_easy_setopt(h, CURLOPT_URL, owner_.url_.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    // The endpoint is configuration; a proxy from the environment is not.
    curl_easy_setopt(h, CURLOPT_PROXY, "");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers_.get());
    curl_easy_setopt(h, CURLOPT_USERAGENT, "taskflow-otlp/1");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep_response);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &response_);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, give_up_when_due);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &owner_.give_up_at_);
  }

  void run(const std::stop_token& stop) {
    const auto& config = owner_.config_;
    auto next_flush = steady_clock::now() + config.flush_interval;
    std::vector<messages::Span> carried;
    while (!stop.stop_requested()) {
      {
        std::unique_lock lock{owner_.mutex_};
        // Woken early by a full batch, or by the destructor.
        owner_.wake_.wait_until(lock, stop, next_flush, [&] { return owner_.queue_.size() >= config.max_batch; });
      }
      if (stop.stop_requested())
        break;
      next_flush = steady_clock::now() + config.flush_interval;
      auto batch = owner_.take(config.max_batch);
      if (!batch.empty() && deliver(batch, stop) == outcome::stopped) {
        carried = std::move(batch);
        break;
      }
    }
    last_flush(std::move(carried));
  }

private:
  enum class outcome { delivered, failed, stopped };

  outcome deliver(const std::vector<messages::Span>& batch, const std::stop_token& stop) {
    const auto& config = owner_.config_;
    auto body = encode(batch);
    if (!body) {
      give_up(batch.size(), "compression failed");
      return outcome::failed;
    }
    for (int attempt = 1;; ++attempt) {
      auto result = post(*body, config.timeout);
      if (result.delivered) {
        delivered(batch.size());
        return outcome::delivered;
      }
      if (owner_.hooks_.export_error)
        owner_.hooks_.export_error();
      if (result.given_up)
        return outcome::stopped;
      if (!result.retryable || attempt >= config.max_attempts) {
        give_up(batch.size(), result.error);
        return outcome::failed;
      }
      std::unique_lock lock{owner_.mutex_};
      // Only the destructor cuts a backoff short.
      owner_.wake_.wait_for(lock, stop, backoff(attempt, result.retry_after), [] { return false; });
      if (stop.stop_requested())
        return outcome::stopped;
    }
  }

  // One try each, within the destructor's deadline, for the batch a stop
  // interrupted and then what is queued; the first failure ends it. The
  // batch in hand is counted here, what stays queued by the destructor.
  void last_flush(std::vector<messages::Span> batch) {
    const auto deadline = steady_clock::time_point{steady_clock::duration{owner_.give_up_at_.load()}};
    for (;;) {
      if (batch.empty())
        batch = owner_.take(owner_.config_.max_batch);
      if (batch.empty())
        return;
      auto left = std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now());
      if (left <= milliseconds{0})
        break;
      auto body = encode(batch);
      if (!body)
        break;
      auto result = post(*body, std::min(owner_.config_.timeout, left));
      if (!result.delivered) {
        if (owner_.hooks_.export_error)
          owner_.hooks_.export_error();
        break;
      }
      delivered(batch.size());
      batch.clear();
    }
    owner_.drop(batch.size(), "shutdown");
  }

  std::optional<std::string> encode(const std::vector<messages::Span>& batch) const {
    return gzip(otlp_trace_request(batch, owner_.service_));
  }

  post_result post(const std::string& body, milliseconds timeout) {
    post_result result;
    auto* h = curl_.get();
    if (h == nullptr || !headers_) {
      result.error = "libcurl could not be set up";
      return result;
    }
    response_.clear();
    // 0 would mean no timeout at all.
    auto timeout_ms = static_cast<long>(std::max<milliseconds::rep>(timeout.count(), 1));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    if (auto rc = curl_easy_perform(h); rc != CURLE_OK) {
      result.given_up = rc == CURLE_ABORTED_BY_CALLBACK;
      // No answer (refused, reset, timed out): the collector may be back soon.
      result.retryable = !result.given_up;
      result.error = curl_easy_strerror(rc);
      return result;
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300) {
      result.delivered = true;
      return result;
    }
    result.error = "HTTP " + std::to_string(status);
    result.retryable = status == 429 || status == 502 || status == 503 || status == 504;
    if (result.retryable)
      result.retry_after = retry_after_header(h);
    return result;
  }

  milliseconds backoff(int attempt, std::chrono::seconds asked) {
    const auto& config = owner_.config_;
    auto ceiling = config.backoff;
    for (int i = 1; i < attempt && ceiling < config.max_backoff; ++i)
      ceiling *= 2;
    ceiling = std::min(ceiling, config.max_backoff);
    // From the upper half of the ceiling: spread apart, never much sooner.
    std::uniform_int_distribution<milliseconds::rep> pick{ceiling.count() / 2, ceiling.count()};
    milliseconds delay{pick(rng_)};
    return std::max(delay, std::min<milliseconds>(asked, config.max_backoff));
  }

  void delivered(std::size_t spans) {
    auto rejected = rejected_spans(response_, spans);
    if (owner_.hooks_.exported)
      owner_.hooks_.exported(spans - rejected);
    owner_.drop(rejected, "export_failed");
    if (failing_ && owner_.log_ != nullptr)
      owner_.log_->info("otlp_export_recovered", {{"dropped_spans", lost_}});
    failing_ = false;
    lost_ = 0;
  }

  void give_up(std::size_t spans, const std::string& error) {
    owner_.drop(spans, "export_failed");
    // Logged once per outage, not once per batch.
    if (!failing_ && owner_.log_ != nullptr)
      owner_.log_->warn("otlp_export_failed", {{"error", error}, {"spans", spans}});
    failing_ = true;
    lost_ += spans;
  }

  otlp_exporter& owner_;
  easy_handle curl_;
  header_list headers_;
  std::string response_;
  std::mt19937_64 rng_{std::random_device{}()};
  bool failing_ = false;
  std::size_t lost_ = 0;  // in this outage
};

otlp_exporter::otlp_exporter(otlp_exporter_config config, otlp_exporter_hooks hooks, const logger* log)
    : config_([&] {
        // A batch must hold a span and a batch must be tried once, whatever was configured.
        config.max_batch = std::max<std::size_t>(config.max_batch, 1);
        config.max_attempts = std::max(config.max_attempts, 1);
        return std::move(config);
      }()),
      service_{config_.service_name, config_.service_version},
      url_(otlp_traces_url(config_.endpoint)),
      hooks_(std::move(hooks)),
      log_(log),
      thread_([this](const std::stop_token& stop) {
        // Once per process before any handle. libcurl counts the calls, so the
        // webhook sender's own is harmless, and Debian's libcurl is built
        // thread-safe (CURL_VERSION_THREADSAFE), so the two may even overlap.
        static std::once_flag once;
        std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
        // An exception leaving the thread would end the process. After one
        // (bad_alloc) nothing is sent: spans queue up and are counted as dropped.
        try {
          worker{*this}.run(stop);
        } catch (const std::exception& e) {
          if (log_ != nullptr)
            log_->error("otlp_exporter_stopped", {{"error", e.what()}});
        }
      }) {}

otlp_exporter::~otlp_exporter() {
  give_up_at_.store((steady_clock::now() + config_.shutdown_timeout).time_since_epoch().count());
  thread_.request_stop();
  thread_.join();
  std::size_t left = 0;
  {
    // What the last flush did not reach: it stops at a failure or the deadline.
    std::lock_guard lock{mutex_};
    left = queue_.size();
  }
  drop(left, "shutdown");
}

void otlp_exporter::submit(messages::Span span) {
  bool full = false;
  bool batch_ready = false;
  {
    std::lock_guard lock{mutex_};
    full = queue_.size() >= config_.max_queue;
    if (!full) {
      queue_.push_back(std::move(span));
      batch_ready = queue_.size() == config_.max_batch;
    }
  }
  if (full)
    drop(1, "queue_full");
  else if (batch_ready)
    wake_.notify_one();
}

std::vector<messages::Span> otlp_exporter::take(std::size_t most) {
  std::lock_guard lock{mutex_};
  auto count = std::min(most, queue_.size());
  std::vector<messages::Span> batch;
  batch.reserve(count);
  std::move(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count), std::back_inserter(batch));
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count));
  return batch;
}

void otlp_exporter::drop(std::size_t spans, const char* reason) const {
  if (spans > 0 && hooks_.dropped)
    hooks_.dropped(spans, reason);
}

}  // namespace taskflow::runtime
