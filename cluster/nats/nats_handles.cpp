#include "cluster/nats/nats_handles.hpp"

#include "actors/ports/store_error.hpp"

namespace taskflow::cluster::nats {

caf::error error(const std::string& what, natsStatus s, jsErrCode code) {
  std::string detail = what + ": " + natsStatus_GetText(s);
  if (code != 0)
    detail += " (JetStream error " + std::to_string(static_cast<int>(code)) + ")";
  if (const char* last = nats_GetLastError(nullptr); last && *last)
    detail += std::string{": "} + last;
  auto errc = s == NATS_TIMEOUT ? ports::store_errc::timeout : ports::store_errc::unavailable;
  return ports::make_error(errc, detail);
}

}  // namespace taskflow::cluster::nats
