#include "http-edge/handlers/json_request.hpp"

#include "http-edge/json/json_body.hpp"
#include "http-edge/middleware/media_type.hpp"

namespace taskflow::edge {

http_response rendered(const problem& p, const request_context& ctx) {
  return render(p, ctx.path, ctx.request.version(), ctx.request.keep_alive());
}

std::optional<problem> require_json_body(const request_context& ctx,
                                         std::initializer_list<std::string_view> media_types) {
  auto content_type = ctx.request[http::field::content_type];
  if (content_type.empty())
    return unsupported_media_type("Send the body as application/json.");
  if (!is_media_type({content_type.data(), content_type.size()}, media_types))
    return unsupported_media_type("Content-Type " + std::string{content_type} +
                                  " is not supported here; use application/json.");
  return std::nullopt;
}

std::variant<nlohmann::json, problem> body_of(const request_context& ctx, const runtime::config& cfg) {
  auto parsed = parse_json_object(ctx.request.body(), cfg.max_json_depth);
  if (auto* error = std::get_if<json_error>(&parsed))
    return bad_request(error->detail);
  return std::get<nlohmann::json>(std::move(parsed));
}

}  // namespace taskflow::edge
