#include "runtime/identity/bootstrap_admin.hpp"

#include <future>

#include <caf/sec.hpp>

#include "actors/user/user_validation.hpp"

namespace taskflow::runtime {
namespace {

caf::error refused(const messages::Error& e) {
  auto detail = e.detail();
  for (const auto& fe : e.field_errors())
    detail += " " + fe.field() + " " + fe.message() + ".";
  return caf::make_error(caf::sec::invalid_argument, "TASKFLOW_BOOTSTRAP_ADMIN: " + detail);
}

}  // namespace

caf::expected<bool> ensure_bootstrap_admin(const std::string& email_and_password, ports::identity_store& identities,
                                           account_service& accounts) {
  auto colon = email_and_password.find(':');
  auto email = email_and_password.substr(0, colon);
  auto password = colon == std::string::npos ? std::string{} : email_and_password.substr(colon + 1);
  auto exists = [&]() -> caf::expected<bool> {
    auto found = identities.find_user_by_email(user::normalize_email(email));
    if (!found)
      return refused(identity_store_unavailable(found.error()));
    return found->has_value();
  };
  auto before = exists();
  if (!before)
    return before.error();
  if (*before)
    return false;
  std::promise<outcome<messages::UserSnapshot>> promise;
  auto result = promise.get_future();
  accounts.register_user({email, password, "Administrator", {"admin"}}, {},
                         [&promise](outcome<messages::UserSnapshot> r) { promise.set_value(std::move(r)); });
  auto created = result.get();
  if (auto* e = std::get_if<messages::Error>(&created)) {
    if (auto after = exists(); after && *after)
      return false;
    return refused(*e);
  }
  return true;
}

}  // namespace taskflow::runtime
