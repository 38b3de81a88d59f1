#include "persistence/postgres/pg_outbox_store.hpp"

#include <algorithm>

#include <pqxx/nontransaction>
#include <pqxx/result>

#include "messages/time/unix_clock.hpp"
#include "persistence/codec/proto_json.hpp"
#include "persistence/postgres/pg_array.hpp"
#include "persistence/postgres/pg_errors.hpp"
#include "persistence/postgres/pg_pool.hpp"

namespace taskflow::persistence {

pg_outbox_store::pg_outbox_store(std::shared_ptr<pg_pool> pool, std::string instance_id,
                                 std::chrono::milliseconds claim_lease)
    : pool_(std::move(pool)), instance_id_(std::move(instance_id)), claim_lease_(claim_lease) {}

void pg_outbox_store::prepare(pqxx::connection& conn) {
  // Claims unsent rows for this instance. Rows another instance claimed are
  // skipped until its lease lapses; our own claims come back (a relay that
  // failed to publish retries them). RETURNING has no order: sorted by caller.
  conn.prepare("outbox_claim",
               "UPDATE outbox SET claimed_by = $1, claimed_until_ms = $2 WHERE seq IN ("
               "SELECT seq FROM outbox WHERE sent_at_ms IS NULL AND (claimed_until_ms IS NULL "
               "OR claimed_until_ms < $3 OR claimed_by = $1) ORDER BY seq LIMIT $4 FOR UPDATE SKIP LOCKED) "
               "RETURNING seq, payload");
  conn.prepare("outbox_mark_sent", "UPDATE outbox SET sent_at_ms = $1 WHERE seq = ANY($2::bigint[])");
  conn.prepare("outbox_backlog", "SELECT COUNT(*) FROM outbox WHERE sent_at_ms IS NULL");
  conn.prepare("outbox_prune", "DELETE FROM outbox WHERE sent_at_ms IS NOT NULL AND sent_at_ms < $1");
}

caf::expected<std::vector<ports::outbox_entry>> pg_outbox_store::fetch_unsent(std::size_t limit) {
  try {
    return pool_->run([&](pqxx::connection& conn) -> caf::expected<std::vector<ports::outbox_entry>> {
      pqxx::nontransaction tx{conn};
      auto now = clock::unix_now_ms();
      auto rows = tx.exec_prepared("outbox_claim", instance_id_, now + claim_lease_.count(), now,
                                   static_cast<std::int64_t>(limit));
      std::vector<ports::outbox_entry> out;
      out.reserve(rows.size());
      for (const auto& row : rows) {
        ports::outbox_entry entry;
        entry.seq = row[0].as<std::int64_t>();
        if (auto decoded = from_json(row[1].c_str(), entry.event); !decoded)
          return decoded.error();
        out.push_back(std::move(entry));
      }
      std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
      return out;
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<void> pg_outbox_store::mark_sent(const std::vector<std::int64_t>& seqs) {
  if (seqs.empty())
    return caf::unit;
  try {
    pool_->run([&](pqxx::connection& conn) {
      pqxx::nontransaction tx{conn};
      tx.exec_prepared("outbox_mark_sent", clock::unix_now_ms(), pg_array::of(seqs).literal());
    });
    return caf::unit;
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<std::int64_t> pg_outbox_store::backlog() {
  try {
    return pool_->run([&](pqxx::connection& conn) {
      pqxx::nontransaction tx{conn};
      return tx.exec_prepared("outbox_backlog")[0][0].as<std::int64_t>();
    });
  } catch (...) {
    return pg_current_error();
  }
}

caf::expected<std::int64_t> pg_outbox_store::prune_sent(std::int64_t older_than_ms) {
  try {
    return pool_->run([&](pqxx::connection& conn) {
      pqxx::nontransaction tx{conn};
      return static_cast<std::int64_t>(tx.exec_prepared("outbox_prune", older_than_ms).affected_rows());
    });
  } catch (...) {
    return pg_current_error();
  }
}

}  // namespace taskflow::persistence
