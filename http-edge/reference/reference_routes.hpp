// GET /swagger, /swagger/ and /docs (the interactive API reference) and GET
// /swagger/assets/{name} (Swagger UI's files and ours). Served to anyone: the
// page holds no data, fetches the public OpenAPI documents, and its "Try it
// out" calls carry whatever credential the reader sets in it.
#pragma once

#include "http-edge/routing/router.hpp"

namespace taskflow::edge {

void add_reference_routes(router& routes);

}  // namespace taskflow::edge
