// Which actor a key activates, by the kind before its slash ("task/<id>"):
// a table, so a kind that nobody registered is refused instead of being
// taken for some default kind.
#pragma once

#include <functional>
#include <map>
#include <string>

#include <caf/actor.hpp>
#include <caf/local_actor.hpp>

#include "runtime/sharding/shard_host.hpp"

namespace taskflow::runtime {

// Spawns one kind's actor for its bare id.
using spawner = std::function<caf::actor(caf::local_actor* host, const std::string& id)>;

// A factory that answers an invalid handle for a key without a slash or of
// a kind not in `kinds`; the shard host then refuses the command.
activation_factory activation_table(std::map<std::string, spawner> kinds);

}  // namespace taskflow::runtime
