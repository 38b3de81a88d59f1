#include "tools/taskflowctl/commands.hpp"

#include <cstdlib>
#include <ctime>
#include <iomanip>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tools/taskflowctl/credentials_file.hpp"
#include "tools/taskflowctl/session_grant.hpp"
#include "tools/taskflowctl/table.hpp"
#include "tools/taskflowctl/terminal_input.hpp"

namespace taskflow::ctl {
namespace {

using nlohmann::json;

// A string from the server, made safe for a terminal: control characters
// (escape sequences could rewrite the screen) become '?'.
std::string printable(std::string text) {
  for (auto& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      c = '?';
  return text;
}

std::string text_of(const json& value) {
  if (value.is_null())
    return "-";
  if (value.is_string())
    return printable(value.get<std::string>());
  if (value.is_array()) {
    std::string joined;
    for (const auto& item : value)
      joined += (joined.empty() ? "" : ",") + text_of(item);
    return joined.empty() ? "-" : joined;
  }
  return value.dump();
}

std::string field(const json& object, const char* name) {
  return object.contains(name) ? text_of(object[name]) : "-";
}

// Seconds since an RFC 3339 UTC timestamp, or -1 when it does not parse.
long long seconds_since(const std::string& timestamp) {
  std::tm tm{};
  std::istringstream in{timestamp};
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (in.fail())
    return -1;
  return static_cast<long long>(std::time(nullptr) - timegm(&tm));
}

std::string uptime(const json& node) {
  auto s = node.contains("started_at") && node["started_at"].is_string()
               ? seconds_since(node["started_at"].get<std::string>())
               : -1;
  if (s < 0)
    return "-";
  std::ostringstream out;
  if (s >= 86400)
    out << s / 86400 << "d" << (s % 86400) / 3600 << "h";
  else if (s >= 3600)
    out << s / 3600 << "h" << (s % 3600) / 60 << "m";
  else if (s >= 60)
    out << s / 60 << "m" << s % 60 << "s";
  else
    out << s << "s";
  return out.str();
}

// The exit status and message for an answer that is not a success: the
// problem's title, detail and each field error; with --json, the problem
// itself (or one made of the status) as one line of JSON.
int report_failure(const reply& r, const invocation& what, std::ostream& err) {
  auto problem = json::parse(r.body, nullptr, false);
  if (!problem.is_object())
    problem = json{{"status", r.status}, {"title", "HTTP " + std::to_string(r.status)}};
  if (what.json) {
    err << problem.dump() << "\n";
  } else {
    err << "taskflowctl: " << text_of(problem.value("title", json{})) << ": "
        << text_of(problem.value("detail", json{})) << " (HTTP " << r.status << ")\n";
    if (problem.contains("errors") && problem["errors"].is_array())
      for (const auto& e : problem["errors"])
        if (e.is_object())
          err << "  " << field(e, "field") << ": " << field(e, "message") << "\n";
  }
  if (r.status == 401) {
    if (what.token.empty() && !what.json)
      err << "taskflowctl: sign in with `taskflowctl login`, or pass an admin's access token with --token or "
             "TASKFLOW_TOKEN\n";
    return exit_denied;
  }
  if (r.status == 403)
    return exit_denied;
  if (r.status == 404)
    return exit_not_found;
  if (r.status == 400 || r.status == 422)
    return exit_usage;
  return exit_failure;
}

// Runs one call; on success hands the parsed body (null for 204) to `show`.
template <class Show>
int call(const std::variant<reply, transport_error>& result, const invocation& what, std::ostream& err, Show show) {
  if (const auto* e = std::get_if<transport_error>(&result)) {
    err << "taskflowctl: cannot reach " << what.url << ": " << e->message << "\n";
    return exit_failure;
  }
  const auto& r = std::get<reply>(result);
  if (r.status < 200 || r.status > 299)
    return report_failure(r, what, err);
  json body;
  if (r.status != 204) {
    try {
      body = json::parse(r.body);
    } catch (const json::exception&) {
      err << "taskflowctl: the server answered " << r.status << " with a body that is not JSON\n";
      return exit_failure;
    }
  }
  try {
    show(body);
  } catch (const json::exception& e) {
    err << "taskflowctl: unexpected answer from the server: " << e.what() << "\n";
    return exit_failure;
  }
  return exit_ok;
}

std::string actor_path(const invocation& what) {
  return "/admin/api/actors/" + percent_encode(what.actor_type) + "/" + percent_encode(what.actor_id);
}

int cluster_status(const invocation& what, const admin_client& client, std::ostream& out, std::ostream& err) {
  return call(client.get("/admin/api/cluster"), what, err, [&](const json& body) {
    if (what.json) {
      out << body.dump(2) << "\n";
      return;
    }
    out << "cluster " << field(body, "cluster") << ", answered by " << field(body, "node_id") << ", "
        << field(body, "shard_count") << " shards\n\n";
    table nodes{{"NODE", "ROLES", "STATE", "UPTIME", "SHARDS", "ACTORS", "HTTP", "CLUSTER"}};
    for (const auto& node : body.at("nodes"))
      nodes.add({field(node, "id"), field(node, "roles"), field(node, "state"), uptime(node),
                 field(node, "shards_owned"), field(node, "resident_actors"), field(node, "http_address"),
                 field(node, "cluster_address")});
    nodes.print(out);
  });
}

int actors_list(const invocation& what, const admin_client& client, std::ostream& out, std::ostream& err) {
  std::string query;
  auto add = [&](const char* name, const std::string& value) {
    if (!value.empty())
      query += (query.empty() ? "?" : "&") + std::string{name} + "=" + percent_encode(value);
  };
  add("type", what.type);
  add("node", what.node);
  add("prefix", what.prefix);
  add("limit", what.limit ? std::to_string(*what.limit) : "");
  add("cursor", what.cursor);
  return call(client.get("/admin/api/actors" + query), what, err, [&](const json& body) {
    if (what.json) {
      out << body.dump(2) << "\n";
      return;
    }
    table actors{{"TYPE", "ID", "NODE", "SHARD", "ACTIVATED", "LAST MESSAGE", "MAILBOX"}};
    const auto& items = body.at("items");
    for (const auto& a : items)
      actors.add({field(a, "type"), field(a, "id"), field(a, "node"), field(a, "shard"), field(a, "activated_at"),
                  field(a, "last_message_at"), field(a, "mailbox_size")});
    actors.print(out);
    out << "\n" << items.size() << (items.size() == 1 ? " actor" : " actors");
    // A cursor is only good with the filters it was made for, so the hint is
    // the whole next command.
    if (body.contains("next_cursor") && body["next_cursor"].is_string()) {
      out << "; the next page: taskflowctl actors list";
      for (const auto& [flag, value] :
           {std::pair{"--type", what.type}, std::pair{"--node", what.node}, std::pair{"--prefix", what.prefix},
            std::pair{"--limit", what.limit ? std::to_string(*what.limit) : ""}})
        if (!value.empty())
          out << " " << flag << " " << printable(value);
      out << " --cursor " << printable(body["next_cursor"].get<std::string>());
    }
    out << "\n";
  });
}

int actors_show(const invocation& what, const admin_client& client, std::ostream& out, std::ostream& err) {
  return call(client.get(actor_path(what)), what, err, [&](const json& body) {
    if (what.json) {
      out << body.dump(2) << "\n";
      return;
    }
    out << field(body, "type") << "/" << field(body, "id") << "\n";
    table facts{{"", ""}};
    for (const auto* name : {"resident", "node", "shard", "version", "activated_at", "last_message_at", "mailbox_size"})
      facts.add({std::string{"  "} + name + ":", field(body, name)});
    std::ostringstream rows;
    facts.print(rows);
    // The table's blank header row is not for people.
    out << rows.str().substr(rows.str().find('\n') + 1);
    // dump() escapes control characters, so the state is safe to print as is.
    out << "state:\n" << body.value("state", json::object()).dump(2) << "\n";
    // Each event as the console reads it (its summary names what changed and
    // who changed it); --json has every field.
    auto events = body.value("recent_events", json::array());
    out << "recent events (" << events.size() << ", newest first):\n";
    if (events.empty())
      return;
    table lines{{"  VERSION", "AT", "EVENT"}};
    for (const auto& event : events)
      lines.add({"  " + field(event, "version"), field(event, "occurred_at"),
                 event.contains("summary") ? field(event, "summary") : field(event, "type")});
    lines.print(out);
  });
}

int actors_passivate(const invocation& what, const admin_client& client, std::ostream& out, std::ostream& err) {
  return call(client.post(actor_path(what) + "/passivate"), what, err, [&](const json&) {
    if (what.json)
      out << json{{"type", what.actor_type}, {"id", what.actor_id}, {"passivated", true}}.dump(2) << "\n";
    else
      out << "passivated " << printable(what.actor_type) << "/" << printable(what.actor_id) << "\n";
  });
}

int webhooks_list(const invocation& what, const admin_client& client, std::ostream& out, std::ostream& err) {
  return call(client.get("/admin/api/webhooks"), what, err, [&](const json& body) {
    if (what.json) {
      out << body.dump(2) << "\n";
      return;
    }
    out << field(body, "pending") << " deliveries pending\n\n";
    table endpoints{{"ENDPOINT", "OWNER", "RETRYING", "BREAKER", "DISABLED", "URL"}};
    for (const auto& e : body.at("endpoints"))
      endpoints.add({field(e, "id"), field(e, "owner_id"), field(e, "retrying"), field(e, "breaker"),
                     field(e, "disabled"), field(e, "url")});
    endpoints.print(out);
  });
}

int webhooks_deliveries(const invocation& what, const admin_client& client, std::ostream& out, std::ostream& err) {
  std::string query;
  if (what.limit)
    query += "?limit=" + std::to_string(*what.limit);
  if (!what.cursor.empty())
    query += (query.empty() ? "?" : "&") + std::string{"cursor="} + percent_encode(what.cursor);
  auto path = "/admin/api/webhooks/" + percent_encode(what.webhook_id) + "/deliveries" + query;
  return call(client.get(path), what, err, [&](const json& body) {
    if (what.json) {
      out << body.dump(2) << "\n";
      return;
    }
    table deliveries{{"DELIVERY", "EVENT", "STATUS", "ATTEMPTS", "LAST CODE", "NEXT ATTEMPT", "DELIVERED"}};
    const auto& items = body.at("items");
    for (const auto& d : items)
      deliveries.add({field(d, "id"), field(d, "event_type"), field(d, "status"), field(d, "attempts"),
                      field(d, "last_status_code"), field(d, "next_attempt_at"), field(d, "delivered_at")});
    deliveries.print(out);
    out << "\n" << items.size() << (items.size() == 1 ? " delivery" : " deliveries");
    if (body.contains("next_cursor") && body["next_cursor"].is_string())
      out << "; the next page: taskflowctl webhooks deliveries " << printable(what.webhook_id)
          << (what.limit ? " --limit " + std::to_string(*what.limit) : std::string{}) << " --cursor "
          << printable(body["next_cursor"].get<std::string>());
    out << "\n";
  });
}

// A value from the environment, or nothing when it is unset or empty.
std::optional<std::string> from_env(const char* name) {
  const char* value = std::getenv(name);
  return value && *value ? std::optional<std::string>{value} : std::nullopt;
}

int login(const invocation& what, const admin_client& client, std::ostream& out, std::ostream& err) {
  auto email = what.email.empty() ? from_env("TASKFLOW_EMAIL") : std::optional<std::string>{what.email};
  if (!email)
    email = ask("Email: ", false);
  auto password = from_env("TASKFLOW_PASSWORD");
  if (!password)
    password = ask("Password: ", true);
  if (!email || email->empty() || !password || password->empty()) {
    err << "taskflowctl: login needs an email (--email, TASKFLOW_EMAIL or the prompt) and a password "
           "(TASKFLOW_PASSWORD or the prompt)\n";
    return exit_usage;
  }
  auto file = credentials_path();
  std::optional<std::string> not_kept;
  auto status = call(open_session(client, *email, *password), what, err, [&](const json& grant) {
    auto session = session_from_grant(what.url, grant, std::time(nullptr));
    not_kept = session ? save_session(file, *session) : std::string{"the server's answer is not a session"};
  });
  if (status != exit_ok)
    return status;
  if (not_kept) {
    err << "taskflowctl: signed in, but " << *not_kept << "\n";
    return exit_failure;
  }
  out << "signed in as " << printable(*email) << " on " << what.url << "; the session is kept in " << file.string()
      << "\n";
  return exit_ok;
}

int logout(const invocation& what, const admin_client& client, std::ostream& out, std::ostream& err) {
  auto file = credentials_path();
  auto saved = load_session(file);
  if (!saved || saved->url != what.url) {
    out << "not signed in on " << what.url << "\n";
    return exit_ok;
  }
  auto status = call(client.remove("/api/v1/sessions/current"), what, err, [](const json&) {});
  // A session the server no longer accepts is over as well.
  if (status != exit_ok && status != exit_denied)
    return status;
  forget_session(file);
  out << "signed out\n";
  return exit_ok;
}

}  // namespace

int run(const invocation& what, const admin_client& client, std::ostream& out, std::ostream& err) {
  switch (what.what) {
    case command::version:
      out << "taskflowctl " << TASKFLOW_VERSION << "\n";
      return exit_ok;
    case command::help:
      out << help_text;
      return exit_ok;
    case command::login:
      return login(what, client, out, err);
    case command::logout:
      return logout(what, client, out, err);
    case command::cluster_status:
      return cluster_status(what, client, out, err);
    case command::actors_list:
      return actors_list(what, client, out, err);
    case command::actors_show:
      return actors_show(what, client, out, err);
    case command::actors_passivate:
      return actors_passivate(what, client, out, err);
    case command::webhooks_list:
      return webhooks_list(what, client, out, err);
    case command::webhooks_deliveries:
      return webhooks_deliveries(what, client, out, err);
  }
  return exit_usage;
}

}  // namespace taskflow::ctl
