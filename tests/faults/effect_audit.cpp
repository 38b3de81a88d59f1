#include "tests/faults/effect_audit.hpp"

#include <map>

#include <nlohmann/json.hpp>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/result>

namespace taskflow::faults_test {
namespace {

using nlohmann::json;

// The title an event set: a creation's, or an update's that changed it.
std::string title_set_by(const json& event) {
  if (event.contains("task_created"))
    return event["task_created"]["task"].value("title", "");
  if (!event.contains("task_updated"))
    return {};
  const auto& updated = event["task_updated"];
  for (const auto& field : updated.value("changed_fields", json::array()))
    if (field == "title")
      return updated["task"].value("title", "");
  return {};
}

std::string quoted_list(pqxx::nontransaction& tx, const auto& values) {
  std::string out;
  for (const auto& v : values)
    out += (out.empty() ? "" : ",") + tx.quote(v);
  return out;
}

}  // namespace

effect_audit audit_effects(const std::string& postgres_url, const std::vector<std::string>& owner_ids,
                           const std::set<std::string>& deleted) {
  effect_audit out;
  pqxx::connection conn{postgres_url};
  pqxx::nontransaction tx{conn};
  std::map<std::string, int> titles;
  auto events = tx.exec(
      "SELECT e.payload FROM events e JOIN tasks t ON t.id = e.aggregate_id "
      "WHERE e.aggregate_type = 'task' AND t.owner_id IN (" +
      quoted_list(tx, owner_ids) + ")");
  for (const auto& row : events) {
    ++out.events;
    auto title = title_set_by(json::parse(row[0].as<std::string>(), nullptr, false));
    if (!title.empty())
      ++titles[title];
  }
  for (const auto& [title, count] : titles)
    if (count > 1) {
      out.duplicated += count - 1;
      if (out.examples.size() < 10)
        out.examples.push_back(title + " (" + std::to_string(count) + " events)");
    }
  if (!deleted.empty()) {
    auto gone = tx.exec("SELECT count(*) FROM tasks WHERE deleted AND id IN (" + quoted_list(tx, deleted) + ")");
    out.deletes_missing = static_cast<int>(deleted.size()) - gone[0][0].as<int>();
  }
  return out;
}

}  // namespace taskflow::faults_test
