// taskflow.v1.Tasks (messages/grpc/taskflow/v1/tasks.proto) on gRPC's
// callback API: each call becomes the TaskCommand or list query the HTTP
// edge would send, through the same task gateway and routing, so any node
// serves any task. No gRPC thread ever waits: a handler starts the call and
// returns its reactor; the gateway's answer finishes it from whichever
// thread it arrives on.
#pragma once

#include <taskflow/v1/tasks.grpc.pb.h>

#include "http-edge/grpc/call_guard.hpp"
#include "http-edge/grpc/call_idempotency.hpp"
#include "http-edge/grpc/call_observer.hpp"
#include "http-edge/handlers/recent_writes.hpp"
#include "http-edge/middleware/admission.hpp"
#include "runtime/config/config.hpp"
#include "runtime/edge_api/task_gateway.hpp"

namespace taskflow::edge::grpc_api {

// What the service serves with; all of it outlives the server.
struct task_service_deps {
  runtime::task_gateway& tasks;
  call_guard& guard;
  call_idempotency& idempotency;
  call_observer& observer;
  admission_budget& admission;
  // The HTTP edge's memory of each principal's last write: a list waits
  // for it, whichever protocol wrote.
  recent_writes& writes;
};

class task_service final : public taskflow::v1::Tasks::CallbackService {
public:
  task_service(task_service_deps deps, const runtime::config& cfg);

  grpc::ServerUnaryReactor* CreateTask(grpc::CallbackServerContext* context,
                                       const taskflow::v1::CreateTaskRequest* request,
                                       taskflow::v1::Task* response) override;
  grpc::ServerUnaryReactor* GetTask(grpc::CallbackServerContext* context, const taskflow::v1::GetTaskRequest* request,
                                    taskflow::v1::Task* response) override;
  grpc::ServerUnaryReactor* ListTasks(grpc::CallbackServerContext* context,
                                      const taskflow::v1::ListTasksRequest* request,
                                      taskflow::v1::ListTasksResponse* response) override;
  grpc::ServerUnaryReactor* UpdateTask(grpc::CallbackServerContext* context,
                                       const taskflow::v1::UpdateTaskRequest* request,
                                       taskflow::v1::Task* response) override;
  grpc::ServerUnaryReactor* DeleteTask(grpc::CallbackServerContext* context,
                                       const taskflow::v1::DeleteTaskRequest* request,
                                       google::protobuf::Empty* response) override;

private:
  // The work of one call once it is admitted and authorized; it answers
  // through the responder exactly once.
  using work = std::function<void(const std::shared_ptr<call_context>&, call_responder)>;

  // Admission, credential, scope and (for `keyed`) idempotency-key
  // handling around `run`, then the reply into `response` and the metrics.
  grpc::ServerUnaryReactor* serve(grpc::CallbackServerContext* context, const char* method, std::string_view scope,
                                  const google::protobuf::Message* keyed, google::protobuf::Message* response,
                                  work run);

  task_service_deps deps_;
  const runtime::config& cfg_;
};

}  // namespace taskflow::edge::grpc_api
