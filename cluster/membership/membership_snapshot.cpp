#include "cluster/membership/membership_snapshot.hpp"

namespace taskflow::cluster {

std::vector<std::string> membership_snapshot::up_workers() const {
  std::vector<std::string> out;
  for (const auto& m : members)
    if (m.state == member_state::up && m.is_worker())
      out.push_back(m.id);
  return out;
}

}  // namespace taskflow::cluster
