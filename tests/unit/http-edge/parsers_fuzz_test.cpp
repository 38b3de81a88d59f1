// Fuzz smoke test: every untrusted-input parser of the edge gets some 200k
// deterministic random and mutated inputs and must neither crash nor throw, and
// must keep the invariants that hold for all inputs. It runs with the unit
// tests so a regression shows up without a libFuzzer build (see tests/fuzz/
// for the coverage-guided targets).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <exception>
#include <random>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "http-edge/json/json_body.hpp"
#include "http-edge/middleware/api_version.hpp"
#include "http-edge/middleware/entity_tags.hpp"
#include "http-edge/middleware/idempotency.hpp"
#include "http-edge/middleware/media_type.hpp"
#include "http-edge/middleware/request_identity.hpp"
#include "http-edge/pagination/page_cursor.hpp"
#include "http-edge/routing/query_string.hpp"
#include "http-edge/v1/task_json_v1.hpp"
#include "http-edge/v2/task_json_v2.hpp"
#include "messages/time/rfc3339.hpp"
#include "messages/trace/span.hpp"
#include "runtime/codec/base64url.hpp"

using namespace taskflow::edge;
using taskflow::clock::format_rfc3339;
using taskflow::clock::parse_rfc3339;
using taskflow::runtime::base64url_decode;
using taskflow::runtime::base64url_encode;
using namespace std::string_view_literals;

namespace {

// Fixed so a failure reproduces; change it to explore, not to make a test pass.
constexpr std::uint32_t seed = 0x7A5CF10Eu;

// Fragments that tend to sit on parser decision points.
constexpr std::array<std::string_view, 34> tokens{
    "{",   "}",   "[",   "]",   "\"",   "\\",   "\\\"",         "\\u", "\\ud800", ":", ",", "%", "%2",
    "%zz", "%00", "%2F", "%FF", "+",    "-",    "W/",           "*",   ";",       "=", "&", "?", "#",
    "Z",   "T",   ".",   "00",  "\xC3", "\xFF", "\xED\xA0\x80", "\0"sv};

class mutator {
public:
  explicit mutator(std::uint32_t salt) : rng_{seed ^ salt} {}

  std::size_t below(std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>{0, n - 1}(rng_); }

  std::string random_bytes(std::size_t max_size) {
    std::string out(below(max_size + 1), '\0');
    for (auto& c : out)
      c = static_cast<char>(below(256));
    return out;
  }

  // One to four random edits of a valid sample.
  std::string mutate(std::string s) {
    for (auto edits = 1 + below(4); edits > 0; --edits) {
      auto pos = below(s.size() + 1);
      switch (below(7)) {
        case 0:
          if (!s.empty())
            s[below(s.size())] ^= static_cast<char>(1u << below(8));
          break;
        case 1:
          if (!s.empty())
            s[below(s.size())] = static_cast<char>(below(256));
          break;
        case 2:
          s.resize(pos);
          break;
        case 3:
          s.insert(pos, s.substr(below(s.size() + 1), 1 + below(16)));
          break;
        case 4:
          s.insert(pos, tokens[below(tokens.size())]);
          break;
        case 5:
          s.erase(pos, 1 + below(8));
          break;
        default:
          s.insert(pos, std::string(1 + below(64), s.empty() ? '[' : s[below(s.size())]));
          break;
      }
    }
    return s;
  }

  // A mutated sample most of the time, pure noise sometimes.
  std::string next(const std::vector<std::string>& samples) {
    if (below(8) == 0)
      return random_bytes(80);
    return mutate(samples[below(samples.size())]);
  }

  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>{lo, hi}(rng_);
  }

private:
  std::mt19937 rng_;
};

std::string printable(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xF];
    }
  }
  return out;
}

// Collects broken invariants and exceptions; a test asserts there were none and
// shows the first few inputs that broke them.
class findings {
public:
  template <class Check>
  void run(const std::string& input, Check&& check) {
    try {
      check(input);
    } catch (const std::exception& e) {
      add(input, std::string{"threw "} + e.what());
    }
  }

  void add(std::string_view input, std::string_view what) {
    if (count_++ < 5)
      report_ += std::string{what} + " on \"" + printable(input) + "\"\n";
  }

  std::size_t count() const { return count_; }
  const std::string& report() const { return report_; }

private:
  std::size_t count_ = 0;
  std::string report_;
};

bool lower_hex(std::string_view s, std::size_t size) {
  return s.size() == size && s.find_first_not_of("0123456789abcdef") == std::string_view::npos &&
         s.find_first_not_of('0') != std::string_view::npos;
}

const std::vector<std::string> json_samples{
    R"({"title":"Write tests","description":"for \"the\" edge [x]","priority":2})",
    R"({"title":"x","assignee_id":null,"due_date":"2026-12-01T17:00:00Z","source":"jira","external_id":"TF-1"})",
    R"({"a":[1,2,{"b":[[],{}]}],"c":{"d":{"e":"\\"}},"f":-1.5e10,"g":true,"h":"\u00e9\ud83d\ude00"})",
    R"({"status":"todo","priority":null,"description":null})",
    R"({"title":"t","priority":4294967297,"status":"in_progress","due_date":null})",
    R"([{"nested":[[[[[[[[]]]]]]]]}])",
};

const std::vector<std::string> rfc3339_samples{
    "2026-11-24T19:47:20.123Z",  "1970-01-01T00:00:00Z",        "0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999Z",  "2024-02-29t12:00:00z",        "2026-01-01T01:00:00+01:00",
    "2025-12-31T19:00:00-05:00", "2016-12-31T23:59:60.5-00:00", "1969-12-31T23:59:59.999999999+23:59",
};

const std::vector<std::string> target_samples{
    "/api/v1/tasks?status=todo&assignee_id=u%2D1&page=1&page_size=50",
    "/api/v1/tasks/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
    "/api/v1/tasks?q=a+b%20c%26d%3De&q=%C3%A9",
    "/healthz",
    "/a%2Fb/%25/?=&&x",
};

const std::vector<std::string> etag_samples{
    "\"1\"", "\"42\", \"43\"", "W/\"7\"", "*", " \"9223372036854775807\" ", "\"1\", W/\"2\", \"x\"", "",
};

const std::vector<std::string> media_type_samples{
    "application/json",
    "application/json; charset=utf-8",
    "Application/Merge-Patch+JSON;charset=\"UTF-8\"",
    "application/json; profile=x; charset=latin1",
    "text/plain",
};

const std::vector<std::string> traceparent_samples{
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
    "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
    "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",
};

}  // namespace

TEST_CASE("parse_json_object survives hostile bodies and keeps its promises", "[fuzz][json_body]") {
  constexpr std::size_t max_depth = 16;
  mutator m{1};
  findings f;
  for (int i = 0; i < 40'000; ++i) {
    f.run(m.next(json_samples), [&](const std::string& input) {
      if (json_depth(input, max_depth) > max_depth + 1)
        f.add(input, "json_depth walked past its limit");
      auto parsed = parse_json_object(input, max_depth);
      if (auto* error = std::get_if<json_error>(&parsed)) {
        if (error->detail.empty())
          f.add(input, "rejected without a detail");
        return;
      }
      const auto& body = std::get<nlohmann::json>(parsed);
      if (!body.is_object())
        f.add(input, "accepted a non-object");
      if (json_depth(input, max_depth) > max_depth)
        f.add(input, "accepted a document over the depth limit");
      auto again = parse_json_object(body.dump(), max_depth);
      if (!std::holds_alternative<nlohmann::json>(again) || std::get<nlohmann::json>(again) != body)
        f.add(input, "dump of an accepted body does not parse back to it");
    });
  }
  INFO(f.report());
  CHECK(f.count() == 0);
}

TEST_CASE("parse_rfc3339 survives garbage and reads back what format_rfc3339 writes", "[fuzz][rfc3339]") {
  constexpr std::int64_t earliest = -62'167'219'200'000;  // 0000-01-01T00:00:00Z
  constexpr std::int64_t latest = 253'402'300'799'999;    // 9999-12-31T23:59:59.999Z
  constexpr std::int64_t day = 86'400'000;
  mutator m{2};
  findings f;
  for (int i = 0; i < 40'000; ++i) {
    f.run(m.next(rfc3339_samples), [&](const std::string& input) {
      auto ms = parse_rfc3339(input);
      if (!ms)
        return;
      // An offset of up to a day, or a leap second, can carry past the year range.
      if (*ms < earliest - day || *ms > latest + day)
        f.add(input, "parsed to an instant outside years 0000-9999");
      if (*ms >= earliest && *ms <= latest && parse_rfc3339(format_rfc3339(*ms)) != *ms)
        f.add(input, "format then parse of a parsed instant changed it");
    });
  }
  for (int i = 0; i < 20'000; ++i) {
    auto ms = m.between(earliest, latest);
    f.run(std::to_string(ms), [&](const std::string& input) {
      auto text = format_rfc3339(ms);
      if (text.size() != 24 || parse_rfc3339(text) != ms)
        f.add(input, "parse(format(ms)) != ms for " + text);
    });
  }
  INFO(f.report());
  CHECK(f.count() == 0);
}

TEST_CASE("parse_target and percent_decode survive hostile targets", "[fuzz][query_string]") {
  mutator m{3};
  findings f;
  for (int i = 0; i < 30'000; ++i) {
    f.run(m.next(target_samples), [&](const std::string& input) {
      if (auto decoded = percent_decode(input, true); decoded && decoded->size() > input.size())
        f.add(input, "decoding made the text longer");
      auto split = parse_target(input);
      if (!split)
        return;
      if (split->path.empty() || split->path.front() != '/')
        f.add(input, "accepted a path that does not start with /");
      if (input.substr(0, input.find('?')).find('#') != std::string::npos)
        f.add(input, "accepted a fragment in the path");
    });
  }
  for (int i = 0; i < 10'000; ++i) {
    // Escaping every byte and decoding it must give the bytes back.
    auto bytes = m.random_bytes(40);
    f.run(bytes, [&](const std::string& input) {
      static constexpr char hex[] = "0123456789abcdef";
      std::string escaped;
      for (unsigned char c : input) {
        escaped += '%';
        escaped += hex[c >> 4];
        escaped += hex[c & 0xF];
      }
      if (percent_decode(escaped, true) != input)
        f.add(input, "percent-escaped bytes did not decode to themselves");
    });
  }
  INFO(f.report());
  CHECK(f.count() == 0);
}

TEST_CASE("entity tag parsing survives hostile headers and stays consistent", "[fuzz][entity_tags]") {
  mutator m{4};
  findings f;
  for (int i = 0; i < 30'000; ++i) {
    f.run(m.next(etag_samples), [&](const std::string& input) {
      auto demanded = parse_if_match(input);
      auto* version = std::get_if<std::int64_t>(&demanded);
      if (!version) {
        if (std::holds_alternative<any_version>(demanded) && !if_none_match_hits(input, 1))
          f.add(input, "If-Match * but If-None-Match * misses");
        return;
      }
      if (*version < 1)
        f.add(input, "If-Match demanded a version below 1");
      // A strong match is also a weak one.
      if (!if_none_match_hits(input, *version))
        f.add(input, "If-Match names a version that If-None-Match does not see");
      auto own = parse_if_match(etag_for(*version));
      if (!std::holds_alternative<std::int64_t>(own) || std::get<std::int64_t>(own) != *version)
        f.add(input, "our own ETag does not parse back");
    });
  }
  INFO(f.report());
  CHECK(f.count() == 0);
}

TEST_CASE("is_media_type survives hostile Content-Type headers", "[fuzz][media_type]") {
  mutator m{5};
  findings f;
  for (int i = 0; i < 20'000; ++i) {
    f.run(m.next(media_type_samples), [&](const std::string& input) {
      std::string lower;
      for (unsigned char c : input)
        lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
      if (is_media_type(input, {"application/json"}) && lower.find("application/json") == std::string::npos)
        f.add(input, "accepted without naming application/json");
      if (is_media_type(input, {"application/merge-patch+json", "application/json"}) &&
          lower.find("json") == std::string::npos)
        f.add(input, "accepted without naming a JSON type");
    });
  }
  INFO(f.report());
  CHECK(f.count() == 0);
}

TEST_CASE("a span started from any traceparent has a valid context", "[fuzz][request_identity]") {
  mutator m{6};
  findings f;
  for (int i = 0; i < 20'000; ++i) {
    f.run(m.next(traceparent_samples), [&](const std::string& input) {
      auto ctx = taskflow::trace::span::start("HTTP", taskflow::trace::kind::server, input).ctx();
      if (!lower_hex(ctx.trace_id, 32) || !lower_hex(ctx.span_id, 16))
        f.add(input, "produced an invalid trace context " + ctx.traceparent());
      if (ctx.trace_id == input.substr(std::min<std::size_t>(3, input.size()), 32) && input.size() != 55)
        f.add(input, "continued a traceparent that is not 55 characters");
      if (taskflow::trace::span::start("HTTP", taskflow::trace::kind::server, ctx.traceparent()).ctx().trace_id !=
          ctx.trace_id)
        f.add(input, "our own traceparent is not continued");
      auto id = resolve_request_id(input);
      if (id.empty() || id.size() > 128)
        f.add(input, "request id of a bad size");
    });
  }
  INFO(f.report());
  CHECK(f.count() == 0);
}

TEST_CASE("v1 body mappers survive any parsed object", "[fuzz][task_json_v1]") {
  mutator m{7};
  findings f;
  int objects = 0;
  for (int i = 0; i < 20'000; ++i) {
    f.run(m.next(json_samples), [&](const std::string& input) {
      auto parsed = parse_json_object(input, 16);
      auto* body = std::get_if<nlohmann::json>(&parsed);
      if (!body)
        return;
      ++objects;
      auto create = v1::create_from_json(*body);
      if (auto* cmd = std::get_if<taskflow::messages::CreateTask>(&create)) {
        auto title = body->find("title");
        if (title == body->end() || !title->is_string() || title->get<std::string>() != cmd->title())
          f.add(input, "create accepted without taking the title as sent");
      } else {
        for (const auto& e : std::get<v1::field_errors>(create))
          if (e.field().empty() || e.message().empty())
            f.add(input, "create error without field or message");
      }
      auto update = v1::update_from_json(*body);
      if (auto* cmd = std::get_if<taskflow::messages::UpdateTask>(&update)) {
        if (cmd->has_title() != (body->contains("title")))
          f.add(input, "update title set without a title field, or ignored one");
      } else {
        for (const auto& e : std::get<v1::field_errors>(update))
          if (e.field().empty() || e.message().empty())
            f.add(input, "update error without field or message");
      }
    });
  }
  INFO(f.report());
  CHECK(f.count() == 0);
  // Mutations that never yield an object would leave the mappers untested.
  CHECK(objects > 1'000);
}

TEST_CASE("version resolution survives hostile paths and headers", "[fuzz][api_version]") {
  const std::vector<std::string> samples{"/api/v1/tasks",
                                         "/api/tasks",
                                         "/api/v2",
                                         "application/vnd.taskflow.v2+json",
                                         "2",
                                         "/api/v10/tasks/x",
                                         "text/html, application/vnd.taskflow.v1+json;q=0.5"};
  const std::vector<int> supported{1, 2};
  mutator m{8};
  findings f;
  for (int i = 0; i < 20'000; ++i) {
    f.run(m.next(samples), [&](const std::string& input) {
      const std::string path = "/api/" + input;  // the sources only view it
      for (auto sources :
           {api_version_sources{path, {}, {}, {}}, api_version_sources{"/api/tasks", {input}, {}, {}},
            api_version_sources{"/api/tasks", {}, {input}, {}}, api_version_sources{"/api/tasks", {}, {}, {input}}}) {
        auto r = resolve_api_version(sources, supported);
        if (auto* ok = std::get_if<resolved_api_version>(&r)) {
          if (ok->version != 1 && ok->version != 2)
            f.add(input, "resolved to an unsupported version");
          if (ok->versioned_path.rfind("/api/v" + std::to_string(ok->version), 0) != 0)
            f.add(input, "routed on a path without its version");
        } else if (std::get<problem>(r).status != http::status::bad_request) {
          f.add(input, "refused with something other than 400");
        }
      }
    });
  }
  INFO(f.report());
  CHECK(f.count() == 0);
}

TEST_CASE("Idempotency-Key parsing accepts only keys it can store", "[fuzz][idempotency]") {
  const std::vector<std::string> samples{"8e03978e-40d5-43e8-bc93-6894a57f9324", "\"quoted key\"", "\"esc \\\" aped\"",
                                         std::string(255, 'k')};
  mutator m{9};
  findings f;
  for (int i = 0; i < 20'000; ++i) {
    f.run(m.next(samples), [&](const std::string& input) {
      auto r = parse_idempotency_key({input});
      auto* key = std::get_if<std::string>(&r);
      if (!key)
        return;
      if (key->empty() || key->size() > max_idempotency_key_chars)
        f.add(input, "accepted a key of a bad size");
      if (std::any_of(key->begin(), key->end(), [](unsigned char c) { return c < 0x20 || c > 0x7E; }))
        f.add(input, "accepted a key that is not printable ASCII");
    });
  }
  INFO(f.report());
  CHECK(f.count() == 0);
}

TEST_CASE("cursors refuse everything they did not make", "[fuzz][page_cursor]") {
  taskflow::messages::TaskListPosition at;
  at.set_created_at_ms(1'767'225'600'123);
  at.set_id("01a20f1d-e9b0-73d9-98cf-6ca4369ab622");
  const std::string filter = "status=&assignee=";
  const auto genuine = encode_page_cursor(at, filter);
  mutator m{10};
  findings f;
  for (int i = 0; i < 20'000; ++i) {
    f.run(m.next({genuine}), [&](const std::string& input) {
      if (decode_page_cursor(input, filter) && input != genuine)
        f.add(input, "accepted an edited cursor");
      if (auto bytes = base64url_decode(input); bytes && base64url_encode(*bytes) != input)
        f.add(input, "base64url has two spellings of the same bytes");
    });
  }
  INFO(f.report());
  CHECK(f.count() == 0);
}

TEST_CASE("v2 body mappers survive any parsed object", "[fuzz][task_json_v2]") {
  auto samples = json_samples;
  samples.emplace_back(
      R"({"title":"t","priority":"high","assignees":["01a20f1d-0000-7000-8000-00000000000a"],"tags":["x"],)"
      R"("due_at":"2026-12-01T17:00:00Z","external_ref":{"source":"jira","id":"TF-1"},"state":{"status":"todo"}})");
  samples.emplace_back(R"({"assignees":null,"tags":[],"state":{"status":null},"external_ref":null,"due_at":null})");
  mutator m{11};
  findings f;
  for (int i = 0; i < 20'000; ++i) {
    f.run(m.next(samples), [&](const std::string& input) {
      auto parsed = parse_json_object(input, 16);
      auto* body = std::get_if<nlohmann::json>(&parsed);
      if (!body)
        return;
      auto create = v2::create_from_json(*body);
      if (auto* errors = std::get_if<v2::field_errors>(&create))
        for (const auto& e : *errors)
          if (e.field().empty() || e.message().empty())
            f.add(input, "create error without field or message");
      auto update = v2::update_from_json(*body);
      if (auto* errors = std::get_if<v2::field_errors>(&update))
        for (const auto& e : *errors)
          if (e.field().empty() || e.message().empty())
            f.add(input, "update error without field or message");
    });
  }
  INFO(f.report());
  CHECK(f.count() == 0);
}
