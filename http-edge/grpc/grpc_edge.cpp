#include "http-edge/grpc/grpc_edge.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

#include <absl/synchronization/mutex.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <caf/sec.hpp>

#include "http-edge/grpc/call_guard.hpp"
#include "http-edge/grpc/call_idempotency.hpp"
#include "http-edge/grpc/call_observer.hpp"
#include "http-edge/grpc/task_service.hpp"
#include "http-edge/middleware/admission.hpp"

namespace taskflow::edge {
namespace {

// How often health asks what /readyz asks.
constexpr auto health_interval = std::chrono::seconds{1};

std::string address_of(const runtime::host_port& at, int port) {
  const auto& host = at.host;
  return (host.find(':') == std::string::npos ? host : "[" + host + "]") + ":" + std::to_string(port);
}

}  // namespace

struct grpc_edge::impl {
  const runtime::config& cfg;
  grpc_edge_deps deps;
  const runtime::logger& log;
  grpc_api::call_guard guard;
  grpc_api::call_idempotency idempotency;
  grpc_api::call_observer observer;
  admission_budget admission;
  grpc_api::task_service service;
  std::unique_ptr<grpc::Server> server;

  // The health poller: a thread of ours that only waits; each check runs
  // on the store pool and sets the status from there.
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  bool shutting_down = false;
  // Readiness checks whose answer has not arrived: the server outlives them.
  int checks_pending = 0;
  std::thread poller;

  impl(const runtime::config& c, grpc_edge_deps d, runtime::metrics& stats, const runtime::logger& l)
      : cfg(c),
        deps(d),
        log(l),
        guard(d.identity, d.per_principal, d.per_ip),
        idempotency(d.idempotency, l),
        observer(stats, l, c.max_in_flight_requests),
        admission(c.max_in_flight_requests, &observer.in_flight(), &observer.shed()),
        service({d.tasks, guard, idempotency, observer, admission, d.writes}, c) {}

  void set_serving(bool serving) {
    std::lock_guard lock{mutex};
    if (shutting_down || !server)
      return;
    server->GetHealthCheckService()->SetServingStatus(serving);
  }

  void poll_health() {
    std::unique_lock lock{mutex};
    while (!stopping) {
      lock.unlock();
      {
        std::lock_guard count{mutex};
        ++checks_pending;
      }
      deps.tasks.check_readiness([this](runtime::task_gateway::readiness r) {
        set_serving(r.ready && deps.node_healthy());
        std::lock_guard count{mutex};
        --checks_pending;
        wake.notify_all();
      });
      lock.lock();
      wake.wait_for(lock, health_interval, [this] { return stopping; });
    }
  }
};

grpc_edge::grpc_edge(const runtime::config& cfg, grpc_edge_deps deps, runtime::metrics& stats,
                     const runtime::logger& log)
    : self_(std::make_unique<impl>(cfg, deps, stats, log)) {}

grpc_edge::~grpc_edge() {
  drain(std::chrono::milliseconds{0});
}

caf::expected<std::string> grpc_edge::start() {
  if (!self_->cfg.grpc_listen)
    return caf::make_error(caf::sec::invalid_argument, "--grpc-listen is off");
  // Debian builds Abseil with its mutex deadlock detector on, which keeps a
  // global lock-order graph under a spinlock on every lock gRPC takes (1.3 %
  // of a GetTask run's CPU in GraphCycles alone, B11). It is a debugging aid;
  // production locks need none of it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(address_of(*self_->cfg.grpc_listen, self_->cfg.grpc_listen->port),
                           grpc::InsecureServerCredentials(), &port);
  // The HTTP edge's body limit, for the same reason: a message is parsed
  // whole before anything can refuse it.
  builder.SetMaxReceiveMessageSize(static_cast<int>(self_->cfg.max_body_bytes));
  builder.RegisterService(&self_->service);
  auto server = builder.BuildAndStart();
  if (!server || port == 0)
    return caf::make_error(
        caf::sec::cannot_open_port,
        "--grpc-listen: cannot listen on " + address_of(*self_->cfg.grpc_listen, self_->cfg.grpc_listen->port));
  {
    std::lock_guard lock{self_->mutex};
    self_->server = std::move(server);
    // NOT_SERVING until the first readiness check says otherwise; the
    // service's own name and the server's ("") answer alike.
    self_->server->GetHealthCheckService()->SetServingStatus(taskflow::v1::Tasks::service_full_name(), false);
    self_->server->GetHealthCheckService()->SetServingStatus(false);
  }
  self_->poller = std::thread{[this] { self_->poll_health(); }};
  return address_of(*self_->cfg.grpc_listen, port);
}

void grpc_edge::stop_serving() {
  std::lock_guard lock{self_->mutex};
  if (self_->shutting_down || !self_->server)
    return;
  self_->shutting_down = true;
  // Every service NOT_SERVING, and later updates ignored.
  self_->server->GetHealthCheckService()->Shutdown();
}

void grpc_edge::drain(std::chrono::milliseconds timeout) {
  stop_serving();
  {
    std::lock_guard lock{self_->mutex};
    self_->stopping = true;
  }
  self_->wake.notify_all();
  if (self_->poller.joinable())
    self_->poller.join();
  {
    std::unique_lock lock{self_->mutex};
    self_->wake.wait(lock, [this] { return self_->checks_pending == 0; });
  }
  if (!self_->server)
    return;
  self_->server->Shutdown(std::chrono::system_clock::now() + timeout);
  self_->server->Wait();
  self_->server.reset();
}

}  // namespace taskflow::edge
