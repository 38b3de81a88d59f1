#include "http-edge/middleware/idempotency.hpp"

#include <optional>

#include <boost/range/iterator_range.hpp>

#include "http-edge/middleware/header_value.hpp"
#include "messages/ids/uuid.hpp"
#include "runtime/codec/sha256.hpp"

namespace taskflow::edge {

using runtime::sha256_of_parts;
using runtime::to_hex;
namespace {

problem invalid_key(std::string detail) {
  problem p;
  p.status = http::status::bad_request;
  p.slug = "invalid-idempotency-key";
  p.title = "Invalid Idempotency-Key";
  p.detail = std::move(detail);
  return p;
}

problem key_reused() {
  problem p;
  p.status = http::status::unprocessable_entity;
  p.slug = "idempotency-key-reused";
  p.title = "Idempotency-Key reused";
  p.detail =
      "This Idempotency-Key was first used for a different request (method, path or body); use a new key for a "
      "new request.";
  return p;
}

problem key_in_flight() {
  problem p;
  p.status = http::status::conflict;
  p.slug = "idempotency-key-in-use";
  p.title = "Request in progress";
  p.detail = "The first request with this Idempotency-Key is still being processed; retry shortly.";
  p.headers.emplace_back("Retry-After", "1");
  return p;
}

// Headers that describe the connection or the framing of this one message,
// not the response a replay repeats.
bool replayable_header(http::field name) {
  return name != http::field::content_length && name != http::field::transfer_encoding &&
         name != http::field::connection && name != http::field::keep_alive;
}

runtime::stored_response to_stored(const http_response& res) {
  runtime::stored_response out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& field : res)
    if (replayable_header(field.name()))
      out.headers.emplace_back(std::string{field.name_string()}, std::string{field.value()});
  out.body = res.body();
  return out;
}

http_response replay_of(const runtime::stored_response& stored) {
  http_response res{static_cast<http::status>(stored.status), 11};
  for (const auto& [name, value] : stored.headers)
    res.insert(name, value);
  res.set("Idempotent-Replayed", "true");
  res.body() = stored.body;
  return res;
}

// RFC 8941 §3.3.3 sf-string: printable ASCII, with \" and \\ the only escapes.
std::optional<std::string> parse_sf_string(std::string_view text) {
  if (text.size() < 2 || text.front() != '"' || text.back() != '"')
    return std::nullopt;
  std::string out;
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    char c = text[i];
    if (c == '\\') {
      if (i + 2 >= text.size() || (text[i + 1] != '"' && text[i + 1] != '\\'))
        return std::nullopt;
      out += text[++i];
    } else if (c == '"' || c < 0x20 || c > 0x7E) {
      return std::nullopt;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::variant<std::string, problem> parse_idempotency_key(const std::vector<std::string_view>& values) {
  if (values.size() != 1)
    return invalid_key("Send exactly one Idempotency-Key header.");
  auto value = trim_ows(values.front());
  std::string key;
  if (!value.empty() && value.front() == '"') {
    auto parsed = parse_sf_string(value);
    if (!parsed)
      return invalid_key("Idempotency-Key is not a valid quoted string (RFC 8941).");
    key = std::move(*parsed);
  } else {
    for (char c : value)
      if (c <= 0x20 || c > 0x7E)
        return invalid_key("Idempotency-Key may hold printable ASCII characters only; quote it to include spaces.");
    key = std::string{value};
  }
  if (key.empty())
    return invalid_key("Idempotency-Key must not be empty.");
  if (key.size() > max_idempotency_key_chars)
    return invalid_key("Idempotency-Key must be at most 255 characters; this one has " + std::to_string(key.size()) +
                       ".");
  return key;
}

std::string request_fingerprint(std::string_view method, std::string_view path, std::string_view body) {
  return to_hex(sha256_of_parts({"taskflow.idempotency.v1", method, path, body}));
}

std::string execution_id_for(std::string_view principal_id, std::string_view key, std::int64_t first_used_ms) {
  return to_hex(sha256_of_parts({"taskflow.execution.v1", principal_id, key, std::to_string(first_used_ms)}));
}

std::string request_scoped_id(const request_context& ctx, std::string_view purpose) {
  return execution_scoped_id(ctx.execution_id, purpose);
}

std::string execution_scoped_id(std::string_view execution_id, std::string_view purpose) {
  if (execution_id.empty())
    return ids::new_uuid_v7();
  auto digest = sha256_of_parts({purpose, execution_id});
  // RFC 9562 UUIDv8: custom (here name-based, SHA-256) with version and variant bits set.
  digest[6] = static_cast<std::uint8_t>((digest[6] & 0x0F) | 0x80);
  digest[8] = static_cast<std::uint8_t>((digest[8] & 0x3F) | 0x80);
  auto hex = to_hex(digest);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20, 12);
}

idempotency_middleware::idempotency_middleware(runtime::idempotency_gateway* gateway, const runtime::logger& log)
    : gateway_(gateway), log_(log) {}

void idempotency_middleware::handle(const std::shared_ptr<request_context>& ctx,
                                    const std::function<void(responder)>& next, responder respond) const {
  if (!gateway_ || !ctx->policy.idempotent)
    return next(std::move(respond));
  auto method = ctx->request.method();
  std::vector<std::string_view> values;
  for (const auto& field : boost::make_iterator_range(ctx->request.equal_range("Idempotency-Key")))
    values.emplace_back(field.value().data(), field.value().size());
  if (values.empty())
    return next(std::move(respond));
  auto key = parse_idempotency_key(values);
  if (auto* p = std::get_if<problem>(&key))
    return respond(render(*p, ctx->path, ctx->request.version(), ctx->request.keep_alive()));

  runtime::idempotency_scope scope{ctx->principal.id(), std::get<std::string>(std::move(key))};
  auto path = ctx->versioned_path.empty() ? ctx->path : ctx->versioned_path;
  auto verb = http::to_string(method);
  auto fingerprint = request_fingerprint({verb.data(), verb.size()}, path, ctx->request.body());
  auto* gateway = gateway_;
  const auto* log = &log_;
  gateway->claim(scope, std::move(fingerprint), [=](runtime::outcome<runtime::idempotency_claim> answer) {
    auto rendered = [&](const problem& p) {
      return render(p, ctx->path, ctx->request.version(), ctx->request.keep_alive());
    };
    if (const auto* e = runtime::failed(answer))
      return respond(rendered(service_unavailable("Idempotency keys cannot be checked right now: " + e->detail(), 1)));
    const auto& claim = std::get<runtime::idempotency_claim>(answer);
    switch (claim.status) {
      case runtime::claim_status::mismatch:
        return respond(rendered(key_reused()));
      case runtime::claim_status::in_flight:
        return respond(rendered(key_in_flight()));
      case runtime::claim_status::completed:
        return respond(replay_of(*claim.response));
      case runtime::claim_status::claimed:
        break;
    }
    ctx->execution_id = execution_id_for(scope.principal_id, scope.key, claim.first_used_at_ms);
    auto token = claim.lease_token;
    next([=](http_response res) {
      auto held = std::make_shared<http_response>(std::move(res));
      auto keep = held->result_int() >= 500 ? std::nullopt : std::optional{to_stored(*held)};
      gateway->settle(scope, token, std::move(keep), [=](const std::optional<std::string>& failure) {
        if (failure)
          log->warn("idempotency_store_failed", {{"request_id", ctx->request_id}, {"error", *failure}});
        respond(std::move(*held));
      });
    });
  });
}

}  // namespace taskflow::edge
