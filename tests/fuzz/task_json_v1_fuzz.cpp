// libFuzzer target for the v1 body mappers: any bytes parsed as a request body,
// then, when they are an object, mapped as a create and as a patch.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "http-edge/v1/task_json_v1.hpp"
#include "tests/fuzz/field_errors_check.hpp"
#include "tests/fuzz/invariant.hpp"
#include "tests/fuzz/request_body.hpp"

using taskflow::fuzz::expect;
using taskflow::fuzz::expect_explained;
namespace v1 = taskflow::edge::v1;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto body = taskflow::fuzz::request_body(data, size);
  if (!body)
    return 0;

  const auto create = v1::create_from_json(*body);
  if (const auto* cmd = std::get_if<taskflow::messages::CreateTask>(&create)) {
    const auto title = body->find("title");
    expect(title != body->end() && title->is_string() && title->get<std::string>() == cmd->title(),
           "an accepted create carries the title as sent");
  } else {
    expect_explained(std::get<v1::field_errors>(create));
  }

  const auto update = v1::update_from_json(*body);
  if (const auto* cmd = std::get_if<taskflow::messages::UpdateTask>(&update))
    expect(cmd->has_title() == body->contains("title"), "a patch sets the title exactly when it names it");
  else
    expect_explained(std::get<v1::field_errors>(update));
  return 0;
}
