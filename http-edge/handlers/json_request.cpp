#include "http-edge/handlers/json_request.hpp"

#include "http-edge/json/json_body.hpp"
#include "http-edge/middleware/media_type.hpp"

namespace taskflow::edge {

http_response rendered(const problem& p, const request_context& ctx) {
  return render(p, ctx.path, ctx.request.version(), ctx.request.keep_alive());
}

namespace {

std::optional<problem> unsupported_content_type(const request_context& ctx,
                                                std::initializer_list<std::string_view> media_types) {
  auto content_type = ctx.request[http::field::content_type];
  if (content_type.empty())
    return unsupported_media_type("Send the body as application/json.");
  if (!is_media_type({content_type.data(), content_type.size()}, media_types))
    return unsupported_media_type("Content-Type " + std::string{content_type} +
                                  " is not supported here; use application/json.");
  return std::nullopt;
}

}  // namespace

std::optional<nlohmann::json> json_body(const request_context& ctx, const runtime::config& cfg,
                                        const responder& respond, std::initializer_list<std::string_view> media_types) {
  if (auto p = unsupported_content_type(ctx, media_types)) {
    respond(rendered(*p, ctx));
    return std::nullopt;
  }
  auto parsed = parse_json_object(ctx.request.body(), cfg.max_json_depth);
  if (auto* error = std::get_if<json_error>(&parsed)) {
    respond(rendered(bad_request(error->detail), ctx));
    return std::nullopt;
  }
  return std::get<nlohmann::json>(std::move(parsed));
}

}  // namespace taskflow::edge
