// CAF atoms of the runtime's internal protocols (CAF 0.17: at most 10 chars).
#pragma once

#include <caf/atom.hpp>

namespace taskflow::runtime {

using tick_atom = caf::atom_constant<caf::atom("tick")>;
using nudge_atom = caf::atom_constant<caf::atom("nudge")>;
using drain_atom = caf::atom_constant<caf::atom("drain")>;
using restart_atom = caf::atom_constant<caf::atom("restart")>;
using passivate_atom = caf::atom_constant<caf::atom("passivate")>;
using resident_atom = caf::atom_constant<caf::atom("resident")>;
using handoff_atom = caf::atom_constant<caf::atom("handoff")>;
using inspect_atom = caf::atom_constant<caf::atom("inspect")>;
using remind_atom = caf::atom_constant<caf::atom("remind")>;
using wake_atom = caf::atom_constant<caf::atom("wake")>;

// Names under which supervised service actors are found in CAF's registry.
// A restarted child is registered again under the same name.
inline constexpr caf::atom_value shard_host_name = caf::atom("shardhost");
inline constexpr caf::atom_value outbox_relay_name = caf::atom("relay");
inline constexpr caf::atom_value projector_name = caf::atom("projector");
inline constexpr caf::atom_value idempotency_sweeper_name = caf::atom("idemsweep");
inline constexpr caf::atom_value admin_agent_name = caf::atom("adminagent");
inline constexpr caf::atom_value reminder_wheel_name = caf::atom("reminders");
inline constexpr caf::atom_value notifier_name = caf::atom("notifier");
inline constexpr caf::atom_value stream_warden_name = caf::atom("streamward");
inline constexpr caf::atom_value webhook_dispatcher_name = caf::atom("webhooks");

}  // namespace taskflow::runtime
