#include "persistence/postgres/pg_projection.hpp"

#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <variant>

#include <pqxx/result>

#include "persistence/postgres/pg_array.hpp"
#include "persistence/projection/view_projection.hpp"

namespace taskflow::persistence::pg_projection {
namespace {

using ports::projection_outcome;
using namespace view_projection;

struct view_rows {
  pg_array id, owner, status, version, created_at, updated_at, task;
  pg_array assignee_task, assignee;

  void add(const view_row& row) {
    id.add(std::string_view{row.id});
    owner.add(std::string_view{row.owner_id});
    status.add(std::string_view{row.status});
    version.add(row.version);
    created_at.add(row.created_at_ms);
    updated_at.add(row.updated_at_ms);
    task.add(std::string_view{row.task});
    for (const auto& a : row.assignees) {
      assignee_task.add(std::string_view{row.id});
      assignee.add(std::string_view{a});
    }
  }
};

struct tombstone_rows {
  pg_array id, version;

  void add(const view_tombstone& tombstone) {
    id.add(std::string_view{tombstone.id});
    version.add(tombstone.version);
  }
};

// Locks the batch's tasks, so that two projectors (on two nodes) never
// interleave their read-then-write of one view row; and since an event id
// belongs to one task, also their inbox rows. The keys are taken in
// ascending order by everyone, so they never deadlock.
void lock_tasks(pqxx::transaction_base& tx, const std::vector<messages::EventEnvelope>& events) {
  std::set<std::string_view> ids;
  for (const auto& event : events)
    ids.insert(event.aggregate_id());
  pg_array tasks;
  for (auto id : ids)
    tasks.add(id);
  tx.exec_prepared("view_lock_many", tasks.literal());
}

// Records the events in the consumer's inbox and marks the new ones
// applied; the others are duplicates, as is a repeat within the batch.
std::vector<bool> record_fresh(pqxx::transaction_base& tx, const std::string& consumer,
                               const std::vector<messages::EventEnvelope>& events, std::int64_t now,
                               std::vector<projection_outcome>& outcomes) {
  std::unordered_map<std::string_view, std::size_t> first;
  pg_array ids;
  for (std::size_t i = 0; i < events.size(); ++i)
    if (first.emplace(events[i].event_id(), i).second)
      ids.add(std::string_view{events[i].event_id()});
  std::vector<bool> fresh(events.size(), false);
  for (const auto& row : tx.exec_prepared("inbox_insert_many", consumer, ids.literal(), now)) {
    auto i = first.at(std::string_view{row[0].c_str()});
    fresh[i] = true;
    outcomes[i] = projection_outcome::applied;
  }
  return fresh;
}

std::unordered_map<std::string, std::int64_t> known_versions(
    pqxx::transaction_base& tx, const std::map<std::string_view, const messages::EventEnvelope*>& newest) {
  pg_array ids;
  for (const auto& entry : newest)
    ids.add(entry.first);
  std::unordered_map<std::string, std::int64_t> known;
  for (const auto& row : tx.exec_prepared("view_versions", ids.literal()))
    known.emplace(row[0].c_str(), row[1].is_null() ? 0 : row[1].as<std::int64_t>());
  return known;
}

}  // namespace

void prepare(pqxx::connection& conn) {
  conn.prepare("view_lock_many",
               "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(u.id, 0) AS k "
               "FROM unnest($1::text[]) AS u(id) ORDER BY 1) AS keys");
  conn.prepare("inbox_insert_many",
               "INSERT INTO inbox (consumer, event_id, processed_at_ms) SELECT $1::text, e.id, $3::bigint "
               "FROM unnest($2::text[]) AS e(id) ON CONFLICT DO NOTHING RETURNING event_id");
  // Where each task's view stands: its row's version, or its tombstone's.
  conn.prepare("view_versions",
               "SELECT u.id, GREATEST(v.version, t.version) FROM unnest($1::text[]) AS u(id) "
               "LEFT JOIN task_view v ON v.id = u.id LEFT JOIN task_view_tombstones t ON t.id = u.id");
  conn.prepare("view_delete_many",
               "WITH gone AS (DELETE FROM task_view WHERE id = ANY($1::text[])) "
               "INSERT INTO task_view_tombstones (id, version) SELECT * FROM unnest($1::text[], $2::bigint[]) "
               "ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version");
  conn.prepare("view_upsert_many",
               "INSERT INTO task_view (id, owner_id, status, version, created_at_ms, updated_at_ms, task) "
               "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], "
               "$7::text[]) ON CONFLICT (id) DO UPDATE SET owner_id = EXCLUDED.owner_id, status = EXCLUDED.status, "
               "version = EXCLUDED.version, created_at_ms = EXCLUDED.created_at_ms, "
               "updated_at_ms = EXCLUDED.updated_at_ms, task = EXCLUDED.task");
  conn.prepare("view_assignees_clear_many", "DELETE FROM task_view_assignees WHERE task_id = ANY($1::text[])");
  conn.prepare("view_assignees_add_many",
               "INSERT INTO task_view_assignees (task_id, assignee_id) "
               "SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING");
}

std::vector<projection_outcome> project(pqxx::transaction_base& tx, const std::string& consumer,
                                        const std::vector<messages::EventEnvelope>& events, std::int64_t now) {
  std::vector<projection_outcome> outcomes(events.size(), projection_outcome::duplicate);
  if (events.empty())
    return outcomes;
  lock_tasks(tx, events);
  auto newest = newest_by_task(events, record_fresh(tx, consumer, events, now, outcomes));
  if (newest.empty())
    return outcomes;
  auto known = known_versions(tx, newest);
  view_rows views;
  tombstone_rows tombstones;
  for (const auto& [id, event] : newest) {
    auto change = change_of(*event, known[std::string{id}]);
    if (!change)
      continue;
    if (const auto* row = std::get_if<view_row>(&*change))
      views.add(*row);
    else
      tombstones.add(std::get<view_tombstone>(*change));
  }
  if (tombstones.id.size() > 0)
    tx.exec_prepared("view_delete_many", tombstones.id.literal(), tombstones.version.literal());
  if (views.id.size() > 0) {
    tx.exec_prepared("view_upsert_many", views.id.literal(), views.owner.literal(), views.status.literal(),
                     views.version.literal(), views.created_at.literal(), views.updated_at.literal(),
                     views.task.literal());
    tx.exec_prepared("view_assignees_clear_many", views.id.literal());
    if (views.assignee.size() > 0)
      tx.exec_prepared("view_assignees_add_many", views.assignee_task.literal(), views.assignee.literal());
  }
  return outcomes;
}

}  // namespace taskflow::persistence::pg_projection
