// The admin API's look at an aggregate actor, in line with its commands:
// it waits for the commands before it, loads the state on the store pool if
// this activation has not yet, and shows it with the mailbox's length.
#pragma once

#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <caf/result.hpp>

#include "actors/shell/serial_jobs.hpp"
#include "messages/admin/admin.pb.h"

namespace taskflow::shell {

// `load(data)` fills data.state from the store (a caf::error on failure);
// `view(state)` renders it. Self's state holds `data` and `jobs`.
template <class Self, class Load, class View>
caf::result<messages::AggregateState> inspect_serially(Self* self, ports::blocking_executor& pool, Load load,
                                                       View view) {
  using data_type = typename decltype(self->state.data)::element_type;
  auto promise = self->template make_response_promise<messages::AggregateState>();
  run_serially(
      self, self->state.jobs, pool, self->state.data, promise,
      [load, view, mailbox_size = self->mailbox().size()](data_type& st) -> caf::expected<messages::AggregateState> {
        if (!st.state)
          if (auto err = load(st))
            return err;
        auto out = view(*st.state);
        out.set_mailbox_size(mailbox_size);
        return out;
      },
      ports::pool_full_error());
  return promise;
}

}  // namespace taskflow::shell
