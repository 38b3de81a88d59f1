// Field rules of the task model, one rule per case.
#include <catch2/catch.hpp>

#include "actors/task/task_validation.hpp"
#include "messages/common/text_checks.hpp"

using namespace taskflow;
using task::field_errors;

namespace {

template <class F>
field_errors errors_of(F&& check) {
  field_errors errors;
  check(errors);
  return errors;
}

std::string repeat(std::string_view unit, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i)
    out += unit;
  return out;
}

}  // namespace

TEST_CASE("title must be 1 to 200 characters and not blank", "[validation]") {
  auto title = [](std::string t) { return errors_of([&](auto& e) { task::validate_title(t, e); }); };
  CHECK(title("a").empty());
  CHECK(title(repeat("a", 200)).empty());
  CHECK(title(repeat("a", 201)).size() == 1);
  CHECK(title("").size() == 1);
  CHECK(title(" \t\n").size() == 1);
  CHECK(title("").front().field() == "title");
}

TEST_CASE("lengths count characters, not bytes", "[validation]") {
  // 200 three-byte characters are a valid title; 201 are not.
  CHECK(text::utf8_length(repeat("\xE2\x82\xAC", 200)) == 200);
  CHECK(errors_of([&](auto& e) { task::validate_title(repeat("\xE2\x82\xAC", 200), e); }).empty());
  CHECK(errors_of([&](auto& e) { task::validate_title(repeat("\xE2\x82\xAC", 201), e); }).size() == 1);
}

TEST_CASE("names hold no control characters; a description may break lines", "[validation]") {
  using namespace std::string_literals;
  auto title = [](std::string t) { return errors_of([&](auto& e) { task::validate_title(t, e); }); };
  for (const auto& bad : {"a\0b"s, "a\x1b[2J"s, "tab\there"s, "line\nbreak"s, "del\x7f"s, "c1\xC2\x85"s, "\0"s}) {
    INFO(bad);
    REQUIRE(title(bad).size() == 1);
    CHECK(title(bad).front().message() == "must not contain control characters");
  }
  // U+00A0 and U+00C5 start with C2/C3 too, and are text.
  CHECK(title("no\xC2\xA0"
              "break \xC3\x85ngstr\xC3\xB6m")
            .empty());
  auto description = [](std::string d) { return errors_of([&](auto& e) { task::validate_description(d, e); }); };
  CHECK(description("first line\r\n\tsecond").empty());
  CHECK(description("nul\0inside"s).size() == 1);
  CHECK(errors_of([&](auto& e) { task::validate_tags({"ok", "bell\a"}, e); }).size() == 1);
  messages::ExternalRef ref;
  ref.set_source("jira\n");
  ref.set_id("ABC-1\0"s);
  CHECK(errors_of([&](auto& e) { task::validate_external_ref(ref, e); }).size() == 2);
}

TEST_CASE("description is at most 10000 characters", "[validation]") {
  CHECK(errors_of([&](auto& e) { task::validate_description("", e); }).empty());
  CHECK(errors_of([&](auto& e) { task::validate_description(repeat("d", 10'000), e); }).empty());
  CHECK(errors_of([&](auto& e) { task::validate_description(repeat("d", 10'001), e); }).size() == 1);
}

TEST_CASE("priority is 1 to 4", "[validation]") {
  for (int p : {1, 2, 3, 4})
    CHECK(errors_of([&](auto& e) { task::validate_priority(p, e); }).empty());
  for (int p : {0, 5, -1, 1000})
    CHECK(errors_of([&](auto& e) { task::validate_priority(p, e); }).size() == 1);
}

TEST_CASE("due date lies within what RFC 3339 can write", "[validation]") {
  CHECK(errors_of([&](auto& e) { task::validate_due_at(0, e); }).empty());
  CHECK(errors_of([&](auto& e) { task::validate_due_at(253'402'300'799'999, e); }).empty());
  CHECK(errors_of([&](auto& e) { task::validate_due_at(-1, e); }).size() == 1);
  CHECK(errors_of([&](auto& e) { task::validate_due_at(253'402'300'800'000, e); }).front().field() == "due_date");
}

TEST_CASE("assignees are distinct user ids, at most 20", "[validation]") {
  const std::string a = "01a20f1d-e9b0-73d9-98cf-6ca4369ab622", b = "01a20f1d-e9b0-73d9-98cf-6ca4369ab623";
  CHECK(errors_of([&](auto& e) { task::validate_assignees({a, b}, e); }).empty());
  CHECK(errors_of([&](auto& e) { task::validate_assignees({"not-a-uuid"}, e); }).front().field() == "assignee_id");
  CHECK(errors_of([&](auto& e) { task::validate_assignees({a, a}, e); }).size() == 1);
  std::vector<std::string> many(21, a);
  CHECK_FALSE(errors_of([&](auto& e) { task::validate_assignees(many, e); }).empty());
}

TEST_CASE("tags are 1 to 50 characters, at most 20", "[validation]") {
  CHECK(errors_of([&](auto& e) { task::validate_tags({"x", repeat("t", 50)}, e); }).empty());
  CHECK(errors_of([&](auto& e) { task::validate_tags({repeat("t", 51)}, e); }).size() == 1);
  CHECK(errors_of([&](auto& e) { task::validate_tags({" "}, e); }).size() == 1);
  CHECK(errors_of([&](auto& e) { task::validate_tags(std::vector<std::string>(21, "x"), e); }).size() == 1);
}

TEST_CASE("external ref needs both a source and an id", "[validation]") {
  messages::ExternalRef ref;
  ref.set_source("jira");
  ref.set_id("PROJ-1");
  CHECK(errors_of([&](auto& e) { task::validate_external_ref(ref, e); }).empty());
  ref.set_id("");
  CHECK(errors_of([&](auto& e) { task::validate_external_ref(ref, e); }).front().field() == "external_id");
  ref.set_id(repeat("i", 201));
  CHECK(errors_of([&](auto& e) { task::validate_external_ref(ref, e); }).size() == 1);
}
