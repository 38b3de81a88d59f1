// Schema migrations versioned in the repo (migrations/<dialect>/NNNN_name.sql)
// and compiled into the binary; each store applies the ones it has not seen.
#pragma once

#include <string_view>
#include <vector>

namespace taskflow::persistence {

struct migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

const std::vector<migration>& sqlite_migrations();
const std::vector<migration>& postgres_migrations();

}  // namespace taskflow::persistence
