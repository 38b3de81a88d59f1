// Read your own writes, the edge's half (see runtime/edge_api/read_fence):
// every task write answers where it got to as a `TaskFlow-Position` token,
// and the edge remembers each principal's last one, so that principal's next
// list waits for it even when the client sends nothing. A client whose
// requests go to several edges sends the token back as `TaskFlow-Read-After`.
// The memory is bounded: past its size the oldest principals are forgotten,
// and their next list is only eventually consistent.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "runtime/edge_api/read_fence.hpp"

namespace taskflow::edge {

inline constexpr auto position_header = "TaskFlow-Position";
inline constexpr auto read_after_header = "TaskFlow-Read-After";
inline constexpr auto consistency_header = "TaskFlow-Consistency";

// "<task id>:<version>" or "<task id>:deleted".
std::string position_token(const runtime::read_position& position);
std::optional<runtime::read_position> parse_position_token(std::string_view token);

class recent_writes {
public:
  explicit recent_writes(std::size_t capacity = 100'000) : capacity_(capacity) {}

  void remember(const std::string& principal_id, runtime::read_position position);
  std::optional<runtime::read_position> last(const std::string& principal_id) const;

private:
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, runtime::read_position> last_;
  std::deque<std::string> order_;  // first written first, for forgetting
};

}  // namespace taskflow::edge
