#include "runtime/observability/process_metrics.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include <sys/resource.h>
#include <unistd.h>

namespace taskflow::runtime {
namespace {

prometheus::MetricFamily gauge(std::string name, std::string help, double value,
                               prometheus::MetricType type = prometheus::MetricType::Gauge) {
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter)
    metric.counter.value = value;
  else
    metric.gauge.value = value;
  return {std::move(name), std::move(help), type, {metric}};
}

// The fields of /proc/self/stat after the command name, which may itself
// hold spaces and parentheses; field 3 (state) comes first.
std::vector<std::string> stat_fields() {
  std::ifstream in{"/proc/self/stat"};
  std::string line{std::istreambuf_iterator<char>{in}, {}};
  auto close = line.rfind(')');
  if (close == std::string::npos)
    return {};
  std::istringstream rest{line.substr(close + 2)};
  return {std::istream_iterator<std::string>{rest}, {}};
}

double boot_time_s() {
  std::ifstream in{"/proc/stat"};
  std::string key;
  double value = 0;
  while (in >> key) {
    if (key == "btime" && in >> value)
      return value;
    in.ignore(4096, '\n');
  }
  return 0;
}

}  // namespace

std::vector<prometheus::MetricFamily> collect_process_metrics() {
  std::vector<prometheus::MetricFamily> out;
  auto ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  auto page = static_cast<double>(sysconf(_SC_PAGESIZE));
  auto fields = stat_fields();
  // Fields as numbered in proc(5): utime 14, stime 15, starttime 22, vsize
  // 23, rss 24; this vector starts at field 3.
  if (fields.size() > 21 && ticks > 0) {
    out.push_back(gauge("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                        (std::stod(fields[11]) + std::stod(fields[12])) / ticks, prometheus::MetricType::Counter));
    out.push_back(gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                        boot_time_s() + std::stod(fields[19]) / ticks));
    out.push_back(gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", std::stod(fields[20])));
    out.push_back(
        gauge("process_resident_memory_bytes", "Resident memory size in bytes.", std::stod(fields[21]) * page));
  }
  std::error_code ec;
  double open = 0;
  for (std::filesystem::directory_iterator it{"/proc/self/fd", ec}, end; !ec && it != end; it.increment(ec))
    ++open;
  if (!ec)
    out.push_back(gauge("process_open_fds", "Number of open file descriptors.", open));
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0)
    out.push_back(
        gauge("process_max_fds", "Maximum number of open file descriptors.", static_cast<double>(limit.rlim_cur)));
  return out;
}

}  // namespace taskflow::runtime
