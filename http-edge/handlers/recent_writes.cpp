#include "http-edge/handlers/recent_writes.hpp"

#include <charconv>

#include "messages/ids/uuid.hpp"

namespace taskflow::edge {

std::string position_token(const runtime::read_position& position) {
  return position.task_id + ":" + (position.deleted ? std::string{"deleted"} : std::to_string(position.version));
}

std::optional<runtime::read_position> parse_position_token(std::string_view token) {
  auto colon = token.find(':');
  if (colon == std::string_view::npos)
    return std::nullopt;
  runtime::read_position out;
  out.task_id = std::string{token.substr(0, colon)};
  if (!ids::is_uuid(out.task_id))
    return std::nullopt;
  auto rest = token.substr(colon + 1);
  if (rest == "deleted") {
    out.deleted = true;
    return out;
  }
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), out.version);
  if (ec != std::errc{} || end != rest.data() + rest.size() || out.version < 1)
    return std::nullopt;
  return out;
}

void recent_writes::remember(const std::string& principal_id, runtime::read_position position) {
  std::lock_guard lock{mutex_};
  auto [it, fresh] = last_.insert_or_assign(principal_id, std::move(position));
  if (!fresh)
    return;
  order_.push_back(principal_id);
  if (order_.size() > capacity_) {
    last_.erase(order_.front());
    order_.pop_front();
  }
}

std::optional<runtime::read_position> recent_writes::last(const std::string& principal_id) const {
  std::lock_guard lock{mutex_};
  auto it = last_.find(principal_id);
  if (it == last_.end())
    return std::nullopt;
  return it->second;
}

}  // namespace taskflow::edge
