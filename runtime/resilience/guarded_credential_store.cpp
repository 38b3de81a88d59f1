#include "runtime/resilience/guarded_credential_store.hpp"

namespace taskflow::runtime {

guarded_credential_store::guarded_credential_store(std::shared_ptr<ports::credential_store> credentials,
                                                   std::shared_ptr<dependency_guard> guard)
    : credentials_(std::move(credentials)), guard_(std::move(guard)) {}

caf::expected<void> guarded_credential_store::insert_api_key(const ports::api_key_record& key) {
  return guard_->call(false, [&] { return credentials_->insert_api_key(key); });
}

caf::expected<std::optional<ports::api_key_record>> guarded_credential_store::find_api_key(
    const std::string& key_hash) {
  return guard_->call(true, [&] { return credentials_->find_api_key(key_hash); });
}

caf::expected<ports::api_key_record> guarded_credential_store::revoke_api_key(const std::string& user_id,
                                                                              const std::string& key_id,
                                                                              std::int64_t now_ms,
                                                                              messages::EventEnvelope event) {
  return guard_->call(false, [&] { return credentials_->revoke_api_key(user_id, key_id, now_ms, event); });
}

caf::expected<void> guarded_credential_store::insert_client(const ports::oauth_client_record& client) {
  return guard_->call(false, [&] { return credentials_->insert_client(client); });
}

caf::expected<std::optional<ports::oauth_client_record>> guarded_credential_store::find_client(
    const std::string& client_id) {
  return guard_->call(true, [&] { return credentials_->find_client(client_id); });
}

caf::expected<std::vector<ports::signing_key_record>> guarded_credential_store::signing_keys() {
  return guard_->call(true, [&] { return credentials_->signing_keys(); });
}

caf::expected<std::vector<ports::signing_key_record>> guarded_credential_store::add_signing_key(
    const ports::signing_key_record& key, std::int64_t unless_newer_than_ms) {
  return guard_->call(false, [&] { return credentials_->add_signing_key(key, unless_newer_than_ms); });
}

}  // namespace taskflow::runtime
