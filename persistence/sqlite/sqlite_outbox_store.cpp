#include "persistence/sqlite/sqlite_outbox_store.hpp"

#include "messages/time/unix_clock.hpp"
#include "persistence/codec/proto_json.hpp"
#include "persistence/sqlite/sqlite_db.hpp"
#include "persistence/sqlite/sqlite_errors.hpp"
#include "persistence/sqlite/sqlite_pool.hpp"

namespace taskflow::persistence {

sqlite_outbox_store::sqlite_outbox_store(std::shared_ptr<sqlite_pool> pool) : pool_(std::move(pool)) {}

caf::expected<std::vector<ports::outbox_entry>> sqlite_outbox_store::fetch_unsent(std::size_t limit) {
  try {
    auto db = pool_->read();
    auto& q = db->prepare("SELECT seq, payload FROM outbox WHERE sent_at_ms IS NULL ORDER BY seq LIMIT ?");
    q.bind(1, static_cast<std::int64_t>(limit));
    std::vector<ports::outbox_entry> out;
    while (q.step()) {
      ports::outbox_entry entry;
      entry.seq = q.column_int(0);
      if (auto decoded = from_json(q.column_text(1), entry.event); !decoded)
        return decoded.error();
      out.push_back(std::move(entry));
    }
    return out;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<void> sqlite_outbox_store::mark_sent(const std::vector<std::int64_t>& seqs) {
  try {
    auto db = pool_->write();
    sqlite_transaction tx{*db};
    auto sent = clock::unix_now_ms();
    for (auto seq : seqs)
      db->prepare("UPDATE outbox SET sent_at_ms = ? WHERE seq = ?").bind(1, sent).bind(2, seq).run();
    tx.commit();
    return caf::unit;
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<std::int64_t> sqlite_outbox_store::backlog() {
  try {
    auto db = pool_->read();
    auto& q = db->prepare("SELECT COUNT(*) FROM outbox WHERE sent_at_ms IS NULL");
    q.step();
    return q.column_int(0);
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

caf::expected<std::int64_t> sqlite_outbox_store::prune_sent(std::int64_t older_than_ms) {
  try {
    auto db = pool_->write();
    db->prepare("DELETE FROM outbox WHERE sent_at_ms IS NOT NULL AND sent_at_ms < ?").bind(1, older_than_ms).run();
    return db->changes();
  } catch (const sqlite_error& e) {
    return to_store_error(e);
  }
}

}  // namespace taskflow::persistence
