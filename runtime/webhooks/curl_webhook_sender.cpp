#include "runtime/webhooks/curl_webhook_sender.hpp"

#include <curl/curl.h>

#include <memory>
#include <mutex>

#include <caf/sec.hpp>

#include "runtime/curl/curl_handles.hpp"
#include "runtime/webhooks/webhook_target_check.hpp"

namespace taskflow::runtime {
namespace {

caf::error failure(std::string text) {
  return caf::make_error(caf::sec::runtime_error, std::move(text));
}

// The receiver's body is not ours to read; dropping it keeps memory bounded.
std::size_t discard(char*, std::size_t size, std::size_t count, void*) {
  return size * count;
}

bool append(header_list& list, const std::string& line) {
  auto* grown = curl_slist_append(list.get(), line.c_str());
  if (grown == nullptr)
    return false;
  (void)list.release();
  list.reset(grown);
  return true;
}

}  // namespace

curl_webhook_sender::curl_webhook_sender(bool allow_private) : allow_private_(allow_private) {
  // Not thread-safe, and needed once per process before any handle.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

caf::expected<int> curl_webhook_sender::post(const ports::outbound_post& request) {
  auto target = check_webhook_target(request.url, allow_private_);
  if (!target)
    return target.error();
  easy_handle curl{curl_easy_init()};
  if (!curl)
    return failure("curl_easy_init failed");
  header_list resolve;
  if (!notification::parse_ip_address(target->target.host)) {
    // curl's "host:port:address" pins the name to the address the guard approved.
    auto entry = target->target.host;
    entry += ':';
    entry += std::to_string(target->target.port);
    entry += ':';
    entry += target->v6 ? "[" + target->address + "]" : target->address;
    if (!append(resolve, entry))
      return failure("out of memory");
  }
  header_list headers;
  for (const auto& [name, value] : request.headers) {
    auto line = name;
    line += ": ";
    line += value;
    if (!append(headers, line))
      return failure("out of memory");
  }
  // Without this curl sends "Expect: 100-continue" for larger bodies and waits.
  if (!append(headers, "Expect:"))
    return failure("out of memory");
  auto* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_RESOLVE, resolve.get());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(request.total_timeout.count()));
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "taskflow-webhooks/1");
  if (auto rc = curl_easy_perform(h); rc != CURLE_OK)
    return failure(curl_easy_strerror(rc));
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  return static_cast<int>(status);
}

}  // namespace taskflow::runtime
