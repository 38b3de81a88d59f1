// Until identity lands, every request acts as this one local principal, an
// admin (so it sees every task). The id is fixed so data survives restarts.
#pragma once

#include "messages/task/task_commands.pb.h"

namespace taskflow::edge {

inline messages::Principal local_principal() {
  messages::Principal p;
  p.set_id("00000000-0000-7000-8000-000000000001");
  p.add_roles("admin");
  return p;
}

}  // namespace taskflow::edge
