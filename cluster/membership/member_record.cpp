#include "cluster/membership/member_record.hpp"

#include <algorithm>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "actors/ports/store_error.hpp"

namespace taskflow::cluster {
namespace {

using nlohmann::json;

caf::error bad_record(const std::string& why) {
  return ports::make_error(ports::store_errc::corrupt, "member record: " + why);
}

// Reads one field into out; an error names it when it is missing or of
// another type.
template <class T>
caf::error read(const json& object, const char* name, T& out) {
  auto it = object.find(name);
  if (it == object.end())
    return bad_record(std::string{"missing \""} + name + "\"");
  bool fits = false;
  if constexpr (std::is_same_v<T, std::string>)
    fits = it->is_string();
  else if constexpr (std::is_same_v<T, std::vector<std::string>>)
    fits = it->is_array() && std::all_of(it->begin(), it->end(), [](const json& j) { return j.is_string(); });
  else if constexpr (std::is_unsigned_v<T>)
    fits = it->is_number_unsigned();
  else
    fits = it->is_number_integer();
  if (!fits)
    return bad_record(std::string{"\""} + name + "\" has the wrong type");
  out = it->get<T>();
  return {};
}

}  // namespace

std::string_view to_string(member_state state) {
  switch (state) {
    case member_state::joining:
      return "joining";
    case member_state::up:
      return "up";
    case member_state::leaving:
      return "leaving";
  }
  return "joining";
}

std::optional<member_state> member_state_from(std::string_view text) {
  for (auto s : {member_state::joining, member_state::up, member_state::leaving})
    if (to_string(s) == text)
      return s;
  return std::nullopt;
}

bool member_record::has_role(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool member_record::is_worker() const {
  return has_role("worker");
}

bool operator==(const member_record& a, const member_record& b) {
  return a.id == b.id && a.roles == b.roles && a.state == b.state && a.http_address == b.http_address &&
         a.cluster_address == b.cluster_address && a.started_at_ms == b.started_at_ms &&
         a.incarnation == b.incarnation && a.handoff_ack == b.handoff_ack;
}

std::string to_json(const member_record& record) {
  json j{
      {"id", record.id},
      {"roles", record.roles},
      {"state", to_string(record.state)},
      {"http_address", record.http_address},
      {"cluster_address", record.cluster_address},
      {"started_at_ms", record.started_at_ms},
      {"incarnation", record.incarnation},
      {"handoff_ack", record.handoff_ack},
  };
  return j.dump();
}

caf::expected<member_record> member_from_json(std::string_view text) {
  auto j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded())
    return bad_record("not JSON");
  if (!j.is_object())
    return bad_record("not a JSON object");
  member_record r;
  std::string state;
  for (const auto& err : {read(j, "id", r.id), read(j, "roles", r.roles), read(j, "state", state),
                          read(j, "http_address", r.http_address), read(j, "cluster_address", r.cluster_address),
                          read(j, "started_at_ms", r.started_at_ms), read(j, "incarnation", r.incarnation),
                          read(j, "handoff_ack", r.handoff_ack)})
    if (err)
      return err;
  if (r.id.empty())
    return bad_record("empty \"id\"");
  auto parsed = member_state_from(state);
  if (!parsed)
    return bad_record("unknown state \"" + state + "\"");
  r.state = *parsed;
  return r;
}

}  // namespace taskflow::cluster
