// The embedded store: task state, events, outbox, inbox, read model,
// identities and Idempotency-Key records in one SQLite file (WAL), for a
// single node. Every port's adapter works on the same connections.
#pragma once

#include <cstddef>
#include <filesystem>

#include <caf/expected.hpp>

#include "persistence/batching/commit_queue.hpp"
#include "persistence/store_ports.hpp"

namespace taskflow::persistence {

// Opens (creating if needed) the database file and applies pending
// migrations. Task commits are written in batches by one writer thread,
// which reports to `observer`.
caf::expected<store_ports> open_sqlite_stores(const std::filesystem::path& file, std::size_t connections = 4,
                                              commit_observer observer = {});

}  // namespace taskflow::persistence
