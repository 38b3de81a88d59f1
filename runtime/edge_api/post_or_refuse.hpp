// How a gateway hands blocking work to a bounded pool: run `job` there, or,
// when the pool's queue is full, answer `done` with UNAVAILABLE at once, so an
// overloaded node says so instead of queueing without bound.
#pragma once

#include <functional>
#include <string>

#include "actors/ports/blocking_executor.hpp"
#include "messages/common/errors.hpp"
#include "runtime/edge_api/outcome.hpp"

namespace taskflow::runtime {

template <class T>
void post_or_refuse(ports::blocking_executor& pool, const outcome_handler<T>& done, std::function<void()> job,
                    const std::string& busy_detail = ports::pool_full_detail) {
  if (!pool.post(std::move(job)))
    done(messages::make_error(messages::ERROR_CODE_UNAVAILABLE, busy_detail));
}

}  // namespace taskflow::runtime
