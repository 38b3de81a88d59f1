// Resolves a webhook URL's host and judges every address it gets with the
// SSRF rule. Used at registration (a private target is a 400) and by the
// sender before each attempt (DNS may have changed since). Blocking: a
// name lookup waits on the network.
#pragma once

#include <string>
#include <string_view>

#include <caf/expected.hpp>

#include "actors/notification/webhook_address_policy.hpp"
#include "actors/notification/webhook_registration.hpp"

namespace taskflow::runtime {

struct checked_target {
  notification::webhook_target target;
  // The address to connect to, as text (IPv6 without brackets).
  std::string address;
  bool v6 = false;
};

// The first address of the URL's host, once every address passed (or
// allow_private is set). The error is sec::invalid_argument, naming the
// refused address and why, for a target that may never be used, and
// sec::runtime_error when the host does not resolve (which may pass).
caf::expected<checked_target> check_webhook_target(std::string_view url, bool allow_private);

}  // namespace taskflow::runtime
