// What a store backend opens: one adapter per port, all on the backend's
// shared connections (each adapter keeps them alive, so the composition root
// may drop the ports in any order).
#pragma once

#include <memory>

#include "actors/ports/event_history.hpp"
#include "actors/ports/identity_store.hpp"
#include "actors/ports/services/credential_store.hpp"
#include "actors/ports/services/idempotency_store.hpp"
#include "actors/ports/services/notification_store.hpp"
#include "actors/ports/services/outbox_store.hpp"
#include "actors/ports/services/read_model_store.hpp"
#include "actors/ports/services/reminder_store.hpp"
#include "actors/ports/services/webhook_store.hpp"
#include "actors/ports/task_store.hpp"

namespace taskflow::persistence {

struct store_ports {
  std::shared_ptr<ports::task_store> tasks;
  std::shared_ptr<ports::outbox_store> outbox;
  std::shared_ptr<ports::read_model_store> read_model;
  std::shared_ptr<ports::identity_store> identities;
  std::shared_ptr<ports::credential_store> credentials;
  std::shared_ptr<ports::idempotency_store> idempotency;
  std::shared_ptr<ports::event_history> history;
  std::shared_ptr<ports::notification_store> notifications;
  std::shared_ptr<ports::reminder_store> reminders;
  std::shared_ptr<ports::webhook_store> webhooks;
};

}  // namespace taskflow::persistence
