#include "runtime/notifications/stream_warden.hpp"

#include "runtime/atoms.hpp"

namespace taskflow::runtime {

caf::behavior stream_warden(caf::event_based_actor* self, stream_warden_deps deps) {
  self->send(self, tick_atom::value);
  return {
      [self, deps](tick_atom) {
        auto now = deps.now_ms();
        // Quick: a pass over the streams under the hub's lock, no I/O.
        deps.hub->end_lapsed(now,
                             [&](const std::string& session_id) { return deps.revoked->is_revoked(session_id, now); });
        deps.stats->notification_streams.Set(static_cast<double>(deps.hub->streams()));
        self->delayed_send(self, deps.interval, tick_atom::value);
      },
  };
}

}  // namespace taskflow::runtime
