#include "http-edge/routing/router.hpp"

#include <algorithm>

namespace taskflow::edge {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 1;  // paths start with '/'
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos)
      slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

void router::add(http::verb method, std::string pattern, route_policy policy, handler h) {
  auto it = std::find_if(routes_.begin(), routes_.end(), [&](const route& r) { return r.pattern == pattern; });
  if (it == routes_.end()) {
    route r;
    r.pattern = pattern;
    for (auto s : split_path(pattern))
      r.segments.emplace_back(s);
    routes_.push_back(std::move(r));
    it = std::prev(routes_.end());
  }
  it->handlers[method] = endpoint{policy, std::move(h)};
}

route_match router::match(http::verb method, std::string_view path) const {
  route_match result;
  if (path.empty() || path.front() != '/')
    return result;
  auto segments = split_path(path);
  // Among routes whose shape fits, the most literal one owns the path: a
  // literal segment outranks a capture ("/tasks/search" over "/tasks/{id}"),
  // whatever the order they were added in.
  const route* best = nullptr;
  int best_literals = -1;
  for (const auto& r : routes_) {
    if (r.segments.size() != segments.size())
      continue;
    std::map<std::string, std::string> params;
    int literals = 0;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      const auto& want = r.segments[i];
      if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
        ok = !segments[i].empty();
        params[want.substr(1, want.size() - 2)] = std::string{segments[i]};
      } else {
        ok = want == segments[i];
        ++literals;
      }
    }
    if (ok && literals > best_literals) {
      best = &r;
      best_literals = literals;
      result.params = std::move(params);
    }
  }
  if (!best)
    return result;
  result.pattern = best->pattern;
  bool has_get = best->handlers.count(http::verb::get) > 0;
  bool has_head = best->handlers.count(http::verb::head) > 0;
  for (const auto& [verb, h] : best->handlers) {
    if (!result.allow.empty())
      result.allow += ", ";
    result.allow += std::string{http::to_string(verb)};
  }
  // HEAD is served by the GET handler (the pipeline drops the body) unless
  // the route has a HEAD handler of its own.
  if (has_get && !has_head)
    result.allow += ", HEAD";
  auto found = best->handlers.find(method);
  if (found == best->handlers.end() && method == http::verb::head)
    found = best->handlers.find(http::verb::get);
  if (found != best->handlers.end())
    result.target = &found->second;
  return result;
}

std::vector<route_entry> router::routes() const {
  std::vector<route_entry> out;
  for (const auto& r : routes_)
    for (const auto& [verb, target] : r.handlers)
      out.push_back({std::string{http::to_string(verb)}, r.pattern, target.policy});
  return out;
}

}  // namespace taskflow::edge
