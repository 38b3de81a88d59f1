#include "runtime/webhooks/webhook_target_check.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cstring>
#include <memory>
#include <vector>

#include <caf/sec.hpp>

namespace taskflow::runtime {
namespace {

caf::error refused(std::string text) {
  return caf::make_error(caf::sec::invalid_argument, std::move(text));
}

caf::error unresolved(std::string text) {
  return caf::make_error(caf::sec::runtime_error, std::move(text));
}

std::string address_text(const notification::ip_address& address) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(address.v6 ? AF_INET6 : AF_INET, address.bytes.data(), text, sizeof text);
  return text;
}

caf::expected<std::vector<notification::ip_address>> resolve(const std::string& host) {
  if (auto literal = notification::parse_ip_address(host))
    return std::vector<notification::ip_address>{*literal};
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (auto rc = getaddrinfo(host.c_str(), nullptr, &hints, &found); rc != 0)
    return unresolved("cannot resolve " + host + ": " + gai_strerror(rc));
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned{found, freeaddrinfo};
  std::vector<notification::ip_address> out;
  for (auto* ai = found; ai != nullptr; ai = ai->ai_next) {
    notification::ip_address a;
    if (ai->ai_family == AF_INET) {
      std::memcpy(a.bytes.data(), &reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr, 4);
    } else if (ai->ai_family == AF_INET6) {
      a.v6 = true;
      std::memcpy(a.bytes.data(), &reinterpret_cast<sockaddr_in6*>(ai->ai_addr)->sin6_addr, 16);
    } else {
      continue;
    }
    out.push_back(a);
  }
  if (out.empty())
    return unresolved(host + " has no address");
  return out;
}

}  // namespace

caf::expected<checked_target> check_webhook_target(std::string_view url, bool allow_private) {
  messages::field_errors errors;
  auto target = notification::parse_webhook_url(url, errors);
  if (!target)
    return refused("the url " + errors.front().message());
  auto addresses = resolve(target->host);
  if (!addresses)
    return addresses.error();
  if (!allow_private)
    // One internal address among public ones is refused too: which one a
    // connection would use is not ours to predict.
    for (const auto& a : *addresses)
      if (auto why = notification::refused_address(a))
        return refused(target->host + " resolves to " + address_text(a) + ", a " + std::string{*why} +
                       " address; webhooks may only reach public addresses");
  const auto& first = addresses->front();
  return checked_target{std::move(*target), address_text(first), first.v6};
}

}  // namespace taskflow::runtime
