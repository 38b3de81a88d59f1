// RAII for NATS.c handles, and one way to turn a natsStatus into the error
// values the ports speak: shared by the event bus and membership adapters.
#pragma once

#include <memory>
#include <string>

#include <nats/nats.h>
#include <caf/error.hpp>

namespace taskflow::cluster::nats {

struct connection_deleter {
  void operator()(natsConnection* nc) const {
    natsConnection_Close(nc);
    natsConnection_Destroy(nc);
  }
};
struct js_deleter {
  void operator()(jsCtx* js) const { jsCtx_Destroy(js); }
};
struct options_deleter {
  void operator()(natsOptions* o) const { natsOptions_Destroy(o); }
};
struct kv_deleter {
  void operator()(kvStore* kv) const { kvStore_Destroy(kv); }
};
struct kv_entry_deleter {
  void operator()(kvEntry* e) const { kvEntry_Destroy(e); }
};
struct kv_watcher_deleter {
  void operator()(kvWatcher* w) const { kvWatcher_Destroy(w); }
};

using connection_ptr = std::unique_ptr<natsConnection, connection_deleter>;
using js_ptr = std::unique_ptr<jsCtx, js_deleter>;
using options_ptr = std::unique_ptr<natsOptions, options_deleter>;
using kv_ptr = std::unique_ptr<kvStore, kv_deleter>;
using kv_entry_ptr = std::unique_ptr<kvEntry, kv_entry_deleter>;
using kv_watcher_ptr = std::unique_ptr<kvWatcher, kv_watcher_deleter>;

// "what: <status text> (JetStream error N): <library's last error>", as a
// store_errc timeout for NATS_TIMEOUT and unavailable otherwise.
caf::error error(const std::string& what, natsStatus s, jsErrCode code = static_cast<jsErrCode>(0));

}  // namespace taskflow::cluster::nats
