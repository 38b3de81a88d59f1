#include "http-edge/server/request_pipeline.hpp"

#include "http-edge/middleware/api_version.hpp"
#include "http-edge/middleware/latency_buckets.hpp"
#include "http-edge/middleware/request_identity.hpp"
#include "http-edge/routing/query_string.hpp"
#include "messages/trace/span.hpp"

namespace taskflow::edge {
namespace {

void add_common_headers(http_response& res, const request_context& ctx) {
  res.set("X-Request-Id", ctx.request_id);
  res.set(http::field::server, "taskflow");
  // Responses are per-principal JSON: never cache them in shared caches, and
  // never let a browser sniff them into something executable.
  res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
  res.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
}

// The console, probes and scrapes start no sampled trace of their own: they
// would crowd the requests people look for out of the nodes' trace buffers.
// An operator's explicitly sampled traceparent still is.
bool is_operational(boost::beast::string_view target) {
  auto path = std::string_view{target.data(), target.size()};
  path = path.substr(0, path.find('?'));
  return path.rfind("/admin", 0) == 0 || path == "/metrics" || path == "/healthz" || path == "/readyz";
}

// OpenTelemetry's HTTP server conventions; 5xx is the server's failure, 4xx
// the client's, which leaves the span's status unset.
void end_span(request_context& ctx, const std::string& method, int status) {
  auto& span = ctx.span;
  if (span.recording()) {
    span.rename(method + " " + ctx.route)
        .attr("http.request.method", method)
        .attr("url.path", ctx.path)
        .attr("http.route", ctx.route)
        .attr("http.response.status_code", status)
        .attr("client.address", ctx.remote_address)
        .attr("taskflow.request_id", ctx.request_id);
    if (status >= 500)
      span.fail(std::to_string(status));
  }
  span.end();
}

}  // namespace

request_pipeline::request_pipeline(const router& routes, const runtime::config& cfg, runtime::metrics& stats,
                                   const runtime::logger& log, request_guard* guard,
                                   runtime::idempotency_gateway* idempotency)
    : routes_(routes),
      cfg_(cfg),
      stats_(stats),
      log_(log),
      guard_(guard),
      idempotency_(idempotency, log),
      admission_(cfg.max_in_flight_requests, &stats.http_requests_in_flight, &stats.http_requests_shed),
      shed_log_(log, "requests_shed", cfg.max_in_flight_requests) {}

void request_pipeline::handle(http_request request, std::string remote_address, answer_handler done) const {
  auto ctx = std::make_shared<request_context>();
  ctx->started = std::chrono::steady_clock::now();
  ctx->deadline = ctx->started + cfg_.request_timeout;
  ctx->remote_address = std::move(remote_address);
  ctx->request = std::move(request);

  auto client_id = ctx->request["X-Request-Id"];
  ctx->request_id = resolve_request_id({client_id.data(), client_id.size()});
  auto tp = ctx->request["traceparent"];
  // Named once routed: OpenTelemetry names a server span by its route.
  ctx->span = trace::span::start(
      "HTTP", trace::kind::server, {tp.data(), tp.size()},
      is_operational(ctx->request.target()) ? trace::new_traces::unsampled : trace::new_traces::by_ratio);
  ctx->traceparent = ctx->span.traceparent();

  auto target = ctx->request.target();
  auto split = parse_target({target.data(), target.size()});
  if (!split) {
    ctx->path = "/";
    return finish(ctx,
                  render(bad_request("The request target is not a valid origin-form URI."), ctx->path,
                         ctx->request.version(), false),
                  done);
  }
  ctx->path = std::move(split->path);
  ctx->query = std::move(split->query);

  auto keep_alive = ctx->request.keep_alive();
  if (auto p = apply_api_version(*ctx))
    return finish(ctx, render(*p, ctx->path, ctx->request.version(), keep_alive), done);
  auto match = routes_.match(ctx->request.method(), ctx->versioned_path.empty() ? ctx->path : ctx->versioned_path);
  if (match.pattern.empty())
    return finish(ctx,
                  render(not_found("No resource at " + ctx->path + "."), ctx->path, ctx->request.version(), keep_alive),
                  done);
  ctx->route = match.pattern;
  ctx->path_params = std::move(match.params);
  if (!match.target) {
    if (ctx->request.method() == http::verb::options) {
      http_response res{http::status::no_content, ctx->request.version()};
      res.set(http::field::allow, match.allow + ", OPTIONS");
      return finish(ctx, std::move(res), done);
    }
    return finish(ctx,
                  render(method_not_allowed(match.allow + ", OPTIONS"), ctx->path, ctx->request.version(), keep_alive),
                  done);
  }
  ctx->policy = match.target->policy;
  if (ctx->policy.rate != rate_class::unlimited) {
    if (!admission_.try_enter())
      return shed(ctx, keep_alive, done);
    // The slot is given back when the answer's head is ready: a streamed
    // body (SSE) has its own budget, --max-event-streams.
    done = [this, done = std::move(done)](http_response res, std::shared_ptr<response_stream> stream) {
      admission_.leave();
      done(std::move(res), std::move(stream));
    };
  }
  // Authentication needs the route's policy (access, scope, rate class), so it
  // runs after routing; idempotency needs the principal, whose keys it scopes,
  // so after it.
  auto authentication = ctx->span.child("authenticate", trace::kind::internal);
  auto admitted = [this, ctx, target = match.target, keep_alive, done,
                   authentication](std::optional<problem> rejected) mutable {
    if (rejected)
      authentication.fail(rejected->title);
    authentication.end();
    if (rejected)
      return finish(ctx, render(*rejected, ctx->path, ctx->request.version(), keep_alive), done);
    run(ctx, target, keep_alive, done);
  };
  if (!guard_)
    return admitted(std::nullopt);
  guard_->admit(ctx, admitted);
}

void request_pipeline::run(const std::shared_ptr<request_context>& ctx, const endpoint* target, bool keep_alive,
                           const answer_handler& done) const {
  auto run_handler = [this, ctx, target, keep_alive](responder respond) {
    try {
      target->run(ctx, respond);
    } catch (const std::exception& e) {
      // Handlers answer errors as values; reaching this is a bug, and the
      // client still gets problem+json rather than a dropped connection.
      log_.error("handler_threw", {{"request_id", ctx->request_id}, {"route", ctx->route}, {"what", e.what()}});
      problem p;
      p.slug = "internal";
      p.title = "Internal error";
      p.detail = "The server could not complete the request.";
      respond(render(p, ctx->path, ctx->request.version(), keep_alive));
    }
  };
  idempotency_.handle(ctx, run_handler, [this, ctx, done](http_response res) { finish(ctx, std::move(res), done); });
}

void request_pipeline::reject(const problem& p, std::string remote_address,
                              std::function<void(http_response)> done) const {
  auto ctx = std::make_shared<request_context>();
  ctx->started = std::chrono::steady_clock::now();
  ctx->remote_address = std::move(remote_address);
  ctx->request_id = resolve_request_id({});
  ctx->path = "/";
  finish(ctx, render(p, ctx->path, 11, false),
         [done = std::move(done)](http_response res, std::shared_ptr<response_stream>) { done(std::move(res)); });
}

request_pipeline::request_series request_pipeline::series_for(const std::string& route, const std::string& method,
                                                              int status) const {
  auto status_text = std::to_string(status);
  auto key = route + ' ' + method + ' ' + status_text;
  std::lock_guard lock{series_mutex_};
  auto it = series_.find(key);
  if (it == series_.end()) {
    request_series found{&stats_.http_requests.Add({{"route", route}, {"method", method}, {"status", status_text}}),
                         &stats_.http_request_seconds.Add({{"route", route}, {"method", method}}, latency_buckets())};
    it = series_.emplace(std::move(key), found).first;
  }
  return it->second;
}

void request_pipeline::finish(const std::shared_ptr<request_context>& ctx, http_response res,
                              const answer_handler& done) const {
  auto elapsed = complete(*ctx, res);
  log_.info("http_request", {{"request_id", ctx->request_id},
                             {"trace_id", ctx->traceparent.size() > 35 ? ctx->traceparent.substr(3, 32) : ""},
                             {"method", std::string{http::to_string(ctx->request.method())}},
                             {"path", ctx->path},
                             {"route", ctx->route},
                             {"status", res.result_int()},
                             {"duration_ms", elapsed * 1000.0},
                             {"remote", ctx->remote_address}});
  done(std::move(res), ctx->stream);
}

void request_pipeline::shed(const std::shared_ptr<request_context>& ctx, bool keep_alive,
                            const answer_handler& done) const {
  auto res = render(service_unavailable("This node is working on as many requests as it takes at once (" +
                                            std::to_string(admission_.limit()) + "); retry in a second.",
                                        1),
                    ctx->path, ctx->request.version(), keep_alive);
  complete(*ctx, res);
  shed_log_.refused();
  done(std::move(res), ctx->stream);
}

double request_pipeline::complete(request_context& ctx, http_response& res) const {
  res.version(ctx.request.version() ? ctx.request.version() : 11);
  // A streamed body's length is unknown; the connection frames it.
  if (res.result() != http::status::not_modified && res.result() != http::status::no_content && !ctx.stream)
    res.prepare_payload();
  add_common_headers(res, ctx);
  for (const auto& [name, value] : ctx.response_headers)
    res.set(name, value);
  add_api_version_headers(res, ctx, [this, method = ctx.request.method()](std::string_view path) {
    return !routes_.match(method, path).pattern.empty();
  });
  if (!ctx.request.keep_alive())
    res.keep_alive(false);
  if (ctx.request.method() == http::verb::head) {
    auto length = res.body().size();
    res.body().clear();
    res.content_length(length);
  }

  auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.started).count();
  auto method = std::string{http::to_string(ctx.request.method())};
  auto status = static_cast<int>(res.result_int());
  auto series = series_for(ctx.route, method, status);
  series.requests->Increment();
  series.seconds->Observe(elapsed);
  end_span(ctx, method, status);
  return elapsed;
}

}  // namespace taskflow::edge
