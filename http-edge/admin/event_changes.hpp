// Domain events as a person reads them: one line ("status todo →
// in_progress by <actor>") and what changed ({field: {from, to}}), instead
// of the whole aggregate each event carries. The "from" side comes from the
// snapshot the event before it carried; an event with none before it shows
// what it names itself, "to" only. Fields the event names (an update's
// changed_fields, a status change's ends) bound what it is credited with, as
// one command may commit an update and a status change, both carrying the
// task after both.
#pragma once

#include <cstddef>
#include <vector>

#include <nlohmann/json.hpp>

namespace taskflow::edge {

// `newest_first`: events as the runtime makes them (runtime/admin/admin_json)
// for one aggregate. At most `shown` come back, newest first, in API terms;
// an older one beyond them serves only as the "before" of the oldest shown.
nlohmann::json readable_events(const std::vector<nlohmann::json>& newest_first, std::size_t shown);

// One event with nothing known before it, as the live stream has it.
nlohmann::json readable_event(const nlohmann::json& event);

}  // namespace taskflow::edge
