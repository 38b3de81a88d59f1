#include "tests/e2e/support/grpc_tasks_client.hpp"

#include <google/rpc/error_details.pb.h>
#include <google/rpc/status.pb.h>
#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

namespace taskflow::e2e {
namespace {

std::multimap<std::string, std::string> copy(const std::multimap<grpc::string_ref, grpc::string_ref>& in) {
  std::multimap<std::string, std::string> out;
  for (const auto& [k, v] : in)
    out.emplace(std::string{k.data(), k.size()}, std::string{v.data(), v.size()});
  return out;
}

template <class Reply, class Call>
call_result<Reply> invoke(const call_options& options, Call call) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + options.deadline);
  if (!options.authorization.empty())
    context.AddMetadata("authorization", options.authorization);
  if (!options.idempotency_key.empty())
    context.AddMetadata("idempotency-key", options.idempotency_key);
  for (const auto& [k, v] : options.metadata)
    context.AddMetadata(k, v);
  call_result<Reply> result;
  result.status = call(&context, &result.reply);
  result.initial = copy(context.GetServerInitialMetadata());
  result.trailing = copy(context.GetServerTrailingMetadata());
  return result;
}

google::rpc::Status details_of(const grpc::Status& status) {
  google::rpc::Status details;
  details.ParseFromString(status.error_details());
  return details;
}

}  // namespace

grpc_tasks_client::grpc_tasks_client(std::uint16_t port)
    : channel_(grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials())),
      stub_(taskflow::v1::Tasks::NewStub(channel_)) {}

call_result<taskflow::v1::Task> grpc_tasks_client::create(const taskflow::v1::CreateTaskRequest& request,
                                                          const call_options& options) {
  return invoke<taskflow::v1::Task>(
      options, [&](grpc::ClientContext* c, taskflow::v1::Task* reply) { return stub_->CreateTask(c, request, reply); });
}

call_result<taskflow::v1::Task> grpc_tasks_client::get(const std::string& id, const call_options& options) {
  taskflow::v1::GetTaskRequest request;
  request.set_id(id);
  return invoke<taskflow::v1::Task>(
      options, [&](grpc::ClientContext* c, taskflow::v1::Task* reply) { return stub_->GetTask(c, request, reply); });
}

call_result<taskflow::v1::ListTasksResponse> grpc_tasks_client::list(const taskflow::v1::ListTasksRequest& request,
                                                                     const call_options& options) {
  return invoke<taskflow::v1::ListTasksResponse>(options,
                                                 [&](grpc::ClientContext* c, taskflow::v1::ListTasksResponse* reply) {
                                                   return stub_->ListTasks(c, request, reply);
                                                 });
}

call_result<taskflow::v1::Task> grpc_tasks_client::update(const taskflow::v1::UpdateTaskRequest& request,
                                                          const call_options& options) {
  return invoke<taskflow::v1::Task>(
      options, [&](grpc::ClientContext* c, taskflow::v1::Task* reply) { return stub_->UpdateTask(c, request, reply); });
}

call_result<google::protobuf::Empty> grpc_tasks_client::remove(const std::string& id, const call_options& options) {
  taskflow::v1::DeleteTaskRequest request;
  request.set_id(id);
  return invoke<google::protobuf::Empty>(options, [&](grpc::ClientContext* c, google::protobuf::Empty* reply) {
    return stub_->DeleteTask(c, request, reply);
  });
}

std::multimap<std::string, std::string> field_violations(const grpc::Status& status) {
  std::multimap<std::string, std::string> out;
  auto details = details_of(status);
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&bad))
      for (const auto& v : bad.field_violations())
        out.emplace(v.field(), v.description());
  }
  return out;
}

std::string error_reason(const grpc::Status& status) {
  auto details = details_of(status);
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info))
      return info.reason();
  }
  return {};
}

std::optional<std::chrono::seconds> retry_delay(const grpc::Status& status) {
  auto details = details_of(status);
  for (const auto& any : details.details()) {
    google::rpc::RetryInfo retry;
    if (any.UnpackTo(&retry))
      return std::chrono::seconds{retry.retry_delay().seconds()};
  }
  return std::nullopt;
}

}  // namespace taskflow::e2e
