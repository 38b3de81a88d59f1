// The taskflow server binary: the composition root. It parses the
// configuration, starts the runtime node and the HTTP edge, and turns SIGTERM
// or SIGINT into a graceful drain.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "actors/ports/store_error.hpp"
#include "http-edge/edge.hpp"
#include "runtime/config/config.hpp"
#include "runtime/node/node.hpp"
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
  if (parsed->command == "help") {
    std::cout << taskflow::runtime::usage();
    return 0;
  }
  const auto& cfg = parsed->cfg;
  taskflow::runtime::logger log{taskflow::runtime::parse_log_level(cfg.log_level)};
  taskflow::runtime::metrics stats;

  auto node = taskflow::runtime::node::start(cfg, log, stats);
  if (!node) {
    log.error("startup_failed", {{"error", taskflow::ports::error_text(node.error())}});
    return 1;
  }
  auto* running = node->get();
  taskflow::edge::http_edge edge{cfg,
                                 running->gateway(),
                                 running->identity(),
                                 running->idempotency(),
                                 running->admin(),
                                 running->events(),
                                 stats,
                                 log,
                                 [running] { return running->healthy(); }};
  auto port = edge.start();
  if (!port) {
    log.error("startup_failed", {{"error", taskflow::ports::error_text(port.error())}});
    return 1;
  }
  running->set_http_address(cfg.listen.host + ":" + std::to_string(*port));
  log.info(
      "http_listening",
      {{"address", cfg.listen.host + ":" + std::to_string(*port)}, {"node_id", cfg.node_id}, {"roles", cfg.roles}});

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
  auto unfinished = edge.drain(cfg.drain_timeout);
  if (unfinished > 0)
    log.warn("drain_timeout", {{"in_flight", unfinished}});
  edge.stop();
  (*node)->stop();
  log.info("stopped", {{"exit_code", exit_code}});
  return exit_code;
}
