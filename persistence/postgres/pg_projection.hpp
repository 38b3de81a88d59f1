// PostgreSQL's side of the read-model projector: a batch of events becomes a
// few multi-row statements in one transaction, whatever its size — the inbox
// rows in one INSERT, the per-task locks in one SELECT, the known versions in
// one more, then at most one DELETE, one upsert and two assignee statements.
// What to write is persistence/projection/view_projection's decision, the
// same as SQLite's: only the newest event of each task in the batch can
// decide its view row, so the others cost nothing beyond their inbox row.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include "actors/ports/services/read_model_store.hpp"

namespace taskflow::persistence::pg_projection {

// Names the prepared statements that project() runs.
void prepare(pqxx::connection& conn);

// Applies the events inside the caller's transaction: one outcome per event,
// in order. A repeated event id (already in the consumer's inbox, or earlier
// in the same batch) is a duplicate with no second effect.
std::vector<ports::projection_outcome> project(pqxx::transaction_base& tx, const std::string& consumer,
                                               const std::vector<messages::EventEnvelope>& events, std::int64_t now);

}  // namespace taskflow::persistence::pg_projection
