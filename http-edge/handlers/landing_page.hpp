// What `/` answers: a small HTML page that links what a person opening the
// node's address looks for (the console, the API documents, health and
// metrics), instead of a 404.
#pragma once

#include "http-edge/routing/router.hpp"

namespace taskflow::edge {

void add_landing_route(router& routes);

}  // namespace taskflow::edge
