#include "http-edge/admin/event_changes.hpp"

#include <algorithm>
#include <string>

#include "http-edge/admin/api_terms.hpp"
#include "messages/time/rfc3339.hpp"

namespace taskflow::edge {
namespace {

using nlohmann::json;

// Longer values are left to the diff: the summary stays one line.
constexpr std::size_t max_shown_value = 32;
constexpr std::size_t max_summary_changes = 3;

// Change with every event, which carries its own version and time.
bool is_bookkeeping(const std::string& field) {
  return field == "id" || field == "version" || field == "updated_at";
}

bool is_blank(const json& value) {
  return value.is_null() || (value.is_string() && value.get<std::string>().empty()) ||
         (value.is_structured() && value.empty());
}

json field_of(const json& object, const std::string& field) {
  auto it = object.find(field);
  return it == object.end() ? json(nullptr) : *it;
}

// The aggregate after the event, when its payload carries one.
json snapshot_in(const json& payload) {
  for (const char* type : {"task", "user", "session"})
    if (auto it = payload.find(type); it != payload.end() && it->is_object())
      return *it;
  return nullptr;
}

json diff(const json& before, const json& after) {
  auto changes = json::object();
  auto compare = [&](const std::string& field) {
    auto from = field_of(before, field);
    auto to = field_of(after, field);
    if (!is_bookkeeping(field) && from != to && !(is_blank(from) && is_blank(to)))
      changes[field] = {{"from", std::move(from)}, {"to", std::move(to)}};
  };
  for (const auto& [field, value] : after.items())
    compare(field);
  for (const auto& [field, value] : before.items())
    if (!after.contains(field))
      compare(field);
  return changes;
}

// The fields an event says it changed; empty when it does not say.
std::vector<std::string> named_fields(const json& payload) {
  std::vector<std::string> names;
  if (auto fields = payload.find("changed_fields"); fields != payload.end() && fields->is_array())
    for (const auto& name : *fields)
      if (name.is_string())
        names.push_back(name.get<std::string>());
  // A status change's time is the event's own.
  if (payload.contains("from") && payload.contains("to"))
    names.emplace_back("status");
  return names;
}

json changes_of(const json& event, const json& payload, const json& before) {
  auto after = snapshot_in(payload);
  if (event.value("type", "") == "task.deleted")
    return {{"deleted", {{"from", false}, {"to", true}}}};
  if (!after.is_object()) {
    // No snapshot (a session refreshed or revoked): the payload's fields are
    // the new values of the fields of the same names.
    auto earlier = json::object();
    for (const auto& [field, value] : payload.items())
      earlier[field] = before.is_object() ? field_of(before, field) : json(nullptr);
    return diff(earlier, payload);
  }
  auto names = named_fields(payload);
  auto changes = json::object();
  if (before.is_object() || (names.empty() && event.value("version", 0) == 1)) {
    auto all = diff(before.is_object() ? before : json::object(), after);
    if (names.empty())
      return all;
    for (const auto& name : names)
      if (all.contains(name))
        changes[name] = all[name];
  } else {
    for (const auto& name : names)
      changes[name] = {{"to", field_of(after, name)}};
  }
  // A status change's own ends are right even when an update of the same
  // command already carried the new status.
  if (payload.contains("from") && payload.contains("to"))
    changes["status"] = {{"from", payload["from"]}, {"to", payload["to"]}};
  return changes;
}

// A value as the summary shows it, or empty when it is too long for a line.
std::string shown(const json& value) {
  std::string text;
  if (value.is_null())
    text = "none";
  else if (value.is_string()) {
    text = value.get<std::string>();
    if (text.find_first_of(" \t\n") != std::string::npos || text.empty())
      text = "“" + text + "”";
  } else
    text = value.dump();
  return text.size() <= max_shown_value ? text : std::string{};
}

std::string change_text(const std::string& field, const json& change) {
  auto to = shown(field_of(change, "to"));
  if (to.empty())
    return field + " changed";
  if (!change.contains("from"))
    return field + " → " + to;
  auto from = shown(change["from"]);
  return from.empty() ? field + " changed" : field + " " + from + " → " + to;
}

std::string summary_of(const json& event, const json& payload, const json& changes) {
  auto type = event.value("type", std::string{"event"});
  auto verb = type.substr(type.find('.') + 1);
  for (auto& c : verb)
    if (c == '_')
      c = ' ';
  std::string line;
  auto after = snapshot_in(payload);
  if (type == "task.reminder_due") {
    // Nothing about the task changed; what matters is which reminder it was.
    line = payload.value("kind", std::string{}) == "REMINDER_KIND_OVERDUE" ? "reminder: overdue" : "reminder: due soon";
  } else if (event.value("version", 0) == 1 && after.is_object()) {
    auto name = field_of(after, after.contains("title") ? "title" : "email");
    line = verb;
    if (name.is_string() && !name.get<std::string>().empty())
      line += " “" + name.get<std::string>() + "”";
  } else if (changes.empty() || type == "task.deleted") {
    line = verb;
  } else {
    std::size_t listed = 0;
    for (const auto& [field, change] : changes.items()) {
      if (listed == max_summary_changes) {
        line += ", +" + std::to_string(changes.size() - listed) + " more";
        break;
      }
      line += (listed++ ? ", " : "") + change_text(field, change);
    }
  }
  auto actor = event.value("actor_id", std::string{});
  return actor.empty() ? line : line + " by " + actor;
}

json readable(const json& event, const json& payload, json changes) {
  auto actor = event.value("actor_id", std::string{});
  auto at = event.value("occurred_at_ms", std::int64_t{0});
  auto traceparent = event.value("traceparent", std::string{});
  auto summary = summary_of(event, payload, changes);
  return {{"event_id", field_of(event, "event_id")},
          {"type", field_of(event, "type")},
          {"aggregate_type", field_of(event, "aggregate_type")},
          {"aggregate_id", field_of(event, "aggregate_id")},
          {"version", field_of(event, "version")},
          {"occurred_at", at > 0 ? json(clock::format_rfc3339(at)) : json(nullptr)},
          {"actor_id", actor.empty() ? json(nullptr) : json(actor)},
          {"traceparent", traceparent.empty() ? json(nullptr) : json(traceparent)},
          {"summary", std::move(summary)},
          {"changes", std::move(changes)}};
}

json payload_of(const json& event) {
  auto data = event.find("data");
  return data != event.end() && data->is_object() ? in_api_terms(*data) : json::object();
}

}  // namespace

json readable_events(const std::vector<json>& newest_first, std::size_t shown) {
  // Oldest first, so each event meets the state before it.
  const std::vector<json> oldest_first(newest_first.rbegin(), newest_first.rend());
  json state = nullptr;
  std::vector<json> out;
  for (const auto& event : oldest_first) {
    if (!event.is_object()) {
      out.push_back(event);
      continue;
    }
    auto payload = payload_of(event);
    auto changes = changes_of(event, payload, state);
    if (auto after = snapshot_in(payload); after.is_object())
      state = after;
    else if (state.is_object())
      for (const auto& [field, change] : changes.items())
        state[field] = change["to"];
    out.push_back(readable(event, payload, std::move(changes)));
  }
  std::reverse(out.begin(), out.end());
  if (out.size() > shown)
    out.resize(shown);
  return out;
}

json readable_event(const json& event) {
  if (!event.is_object())
    return event;
  auto payload = payload_of(event);
  return readable(event, payload, changes_of(event, payload, nullptr));
}

}  // namespace taskflow::edge
