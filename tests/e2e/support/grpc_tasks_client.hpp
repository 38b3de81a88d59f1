// A gRPC client of taskflow.v1.Tasks for end-to-end tests, on the stubs
// generated from messages/grpc/taskflow/v1/tasks.proto: what another backend
// service would use. One channel per client; each call may carry a
// credential, an idempotency-key and a deadline.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <grpcpp/channel.h>
#include <grpcpp/support/status.h>
#include <taskflow/v1/tasks.grpc.pb.h>

namespace taskflow::e2e {

// What to send with one call.
struct call_options {
  std::string authorization;  // the whole entry: "Bearer <jwt>", "ApiKey <key>"; empty for none
  std::string idempotency_key;
  std::chrono::milliseconds deadline{10'000};
  std::map<std::string, std::string> metadata;  // more entries
};

// What came back: the status, the reply when OK, and the metadata.
template <class Reply>
struct call_result {
  grpc::Status status;
  Reply reply;
  std::multimap<std::string, std::string> initial;
  std::multimap<std::string, std::string> trailing;
  bool ok() const { return status.ok(); }
  bool has_trailer(const std::string& key, const std::string& value) const {
    for (auto [it, end] = trailing.equal_range(key); it != end; ++it)
      if (it->second == value)
        return true;
    return false;
  }
};

class grpc_tasks_client {
public:
  explicit grpc_tasks_client(std::uint16_t port);

  call_result<taskflow::v1::Task> create(const taskflow::v1::CreateTaskRequest& request, const call_options& options);
  call_result<taskflow::v1::Task> get(const std::string& id, const call_options& options);
  call_result<taskflow::v1::ListTasksResponse> list(const taskflow::v1::ListTasksRequest& request,
                                                    const call_options& options);
  call_result<taskflow::v1::Task> update(const taskflow::v1::UpdateTaskRequest& request, const call_options& options);
  call_result<google::protobuf::Empty> remove(const std::string& id, const call_options& options);

  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }

private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<taskflow::v1::Tasks::Stub> stub_;
};

// "Bearer <token>".
inline std::string bearer(const std::string& token) {
  return "Bearer " + token;
}

// The field violations of a status's google.rpc.BadRequest detail, by field.
std::multimap<std::string, std::string> field_violations(const grpc::Status& status);
// The reason of its google.rpc.ErrorInfo detail, or empty.
std::string error_reason(const grpc::Status& status);
// Its google.rpc.RetryInfo delay, if it has one.
std::optional<std::chrono::seconds> retry_delay(const grpc::Status& status);

}  // namespace taskflow::e2e
