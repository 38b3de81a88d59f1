// The taskflow server binary: the composition root. It parses the
// configuration, starts the runtime node and the HTTP edge, and turns SIGTERM
// or SIGINT into a graceful drain.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <unistd.h>

#include "actors/ports/store_error.hpp"
#include "http-edge/edge.hpp"
#include "http-edge/server/tcp_listener.hpp"
#include "runtime/config/config.hpp"
#include "runtime/node/node.hpp"
#include "runtime/node/ready_file.hpp"
#include "runtime/observability/build_info.hpp"
#include "runtime/observability/logger.hpp"
#include "runtime/observability/metrics.hpp"

int main(int argc, char** argv) {
  // Block the shutdown signals before any thread starts so every thread
  // inherits the mask and only sigtimedwait below ever sees them.
  sigset_t shutdown_signals;
  sigemptyset(&shutdown_signals);
  sigaddset(&shutdown_signals, SIGTERM);
  sigaddset(&shutdown_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &shutdown_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = taskflow::runtime::parse_command_line(args, [](const std::string& name) -> std::optional<std::string> {
    if (const char* value = std::getenv(name.c_str()))
      return std::string{value};
    return std::nullopt;
  });
  if (!parsed) {
    std::cerr << "taskflow: " << taskflow::ports::error_text(parsed.error()) << "\n";
    return 2;
  }
  if (parsed->command == "version") {
    std::cout << "taskflow " << taskflow::runtime::version() << "\n";
    return 0;
  }
  if (parsed->command == "help") {
    std::cout << taskflow::runtime::usage();
    return 0;
  }
  const auto& cfg = parsed->cfg;
  if (parsed->command == "config") {
    std::cout << taskflow::runtime::describe(cfg);
    return 0;
  }
  // The address first: if it is taken, nothing else should have started.
  auto listener = taskflow::edge::tcp_listener::open(cfg.listen.host, cfg.listen.port);
  if (!listener) {
    std::cerr << "taskflow: " << taskflow::ports::error_text(listener.error()) << "\n";
    return 1;
  }
  taskflow::runtime::logger log{taskflow::runtime::parse_log_level(cfg.log_level)};
  taskflow::runtime::metrics stats;

  auto node = taskflow::runtime::node::start(cfg, log, stats);
  if (!node) {
    log.error("startup_failed", {{"error", taskflow::ports::error_text(node.error())}});
    return 1;
  }
  auto* running = node->get();
  taskflow::edge::edge_services services{running->gateway(), running->identity(), running->idempotency(),
                                         running->admin(),   running->events(),   running->notifications(),
                                         running->live(),    running->webhooks()};
  taskflow::edge::http_edge edge{cfg, services, stats, log, [running] { return running->healthy(); }};
  auto port = listener->port();
  if (auto started = edge.start(std::move(*listener)); !started) {
    log.error("startup_failed", {{"error", taskflow::ports::error_text(started.error())}});
    return 1;
  }
  const auto& host = cfg.listen.host;
  auto http_address = (host.find(':') == std::string::npos ? host : "[" + host + "]") + ":" + std::to_string(port);
  running->set_http_address(http_address);
  log.info("http_listening", {{"address", http_address}, {"node_id", cfg.node_id}, {"roles", cfg.roles}});
  std::string grpc_address;
  if (cfg.grpc_listen && !cfg.has_role("edge")) {
    log.warn("grpc_not_served", {{"reason", "--grpc-listen needs the edge role"}});
  } else if (cfg.grpc_listen) {
    auto bound = edge.start_grpc();
    if (!bound) {
      log.error("startup_failed", {{"error", taskflow::ports::error_text(bound.error())}});
      return 1;
    }
    grpc_address = *bound;
    log.info("grpc_listening", {{"address", grpc_address}, {"node_id", cfg.node_id}});
  }
  if (cfg.ready_file) {
    const auto& backends = running->runs_on();
    auto written = taskflow::runtime::write_ready_file(*cfg.ready_file, {{"http", http_address},
                                                                         {"grpc", grpc_address},
                                                                         {"store", backends.store},
                                                                         {"bus", backends.bus},
                                                                         {"cache", backends.cache},
                                                                         {"node_id", cfg.node_id},
                                                                         {"pid", std::to_string(::getpid())}});
    if (!written)
      log.warn("ready_file_failed", {{"error", taskflow::ports::error_text(written.error())}});
  }

  int exit_code = 0;
  timespec poll{0, 200'000'000};
  for (;;) {
    int sig = sigtimedwait(&shutdown_signals, nullptr, &poll);
    if (sig == SIGTERM || sig == SIGINT) {
      log.info("shutdown_requested", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
      break;
    }
    if (!running->healthy()) {
      exit_code = 1;
      break;
    }
  }
  // Health first, so gRPC balancers stop sending; then shards, so requests
  // still in flight and those arriving while the edge drains are served by
  // the nodes that take them over.
  edge.begin_shutdown();
  running->leave(cfg.drain_timeout);
  auto unfinished = edge.drain(cfg.drain_timeout);
  if (unfinished > 0)
    log.warn("drain_timeout", {{"in_flight", unfinished}});
  edge.stop();
  (*node)->stop();
  log.info("stopped", {{"exit_code", exit_code}});
  return exit_code;
}
