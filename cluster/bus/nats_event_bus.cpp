#include "cluster/bus/nats_event_bus.hpp"

#include <atomic>
#include <mutex>
#include <thread>

#include <nats/nats.h>

#include "cluster/nats/nats_handles.hpp"
#include "messages/events/event_type.hpp"

namespace taskflow::cluster {
namespace {

using nats::connection_deleter;
using nats::js_deleter;
using nats::options_deleter;
using ports::store_errc;

struct subscription_deleter {
  void operator()(natsSubscription* s) const { natsSubscription_Destroy(s); }
};
struct msg_deleter {
  void operator()(natsMsg* m) const { natsMsg_Destroy(m); }
};
struct stream_info_deleter {
  void operator()(jsStreamInfo* i) const { jsStreamInfo_Destroy(i); }
};
struct consumer_info_deleter {
  void operator()(jsConsumerInfo* i) const { jsConsumerInfo_Destroy(i); }
};

std::int64_t nanos(std::chrono::nanoseconds d) {
  return d.count();
}

}  // namespace

struct nats_event_bus::impl {
  nats_bus_options options;
  std::unique_ptr<natsConnection, connection_deleter> connection;
  std::unique_ptr<jsCtx, js_deleter> js;
  // One publish batch at a time: failures are counted per batch.
  std::mutex publish_mutex;
  std::atomic<int> publish_errors{0};

  static void on_publish_error(jsCtx*, jsPubAckErr*, void* closure) {
    static_cast<impl*>(closure)->publish_errors.fetch_add(1);
  }
};

class nats_event_bus::pull_subscription final : public ports::bus_subscription {
public:
  pull_subscription(std::shared_ptr<natsSubscription> sub, ports::bus_handler handler,
                    std::chrono::milliseconds nak_delay)
      : sub_(std::move(sub)), handler_(std::move(handler)), nak_delay_(nak_delay) {
    thread_ = std::thread{[this] { run(); }};
  }
  ~pull_subscription() override {
    stopping_ = true;
    thread_.join();
  }
  pull_subscription(const pull_subscription&) = delete;
  pull_subscription& operator=(const pull_subscription&) = delete;

private:
  void run() {
    while (!stopping_) {
      natsMsgList list{nullptr, 0};
      // One message per fetch. NATS.c up to 3.7 overflows its own array in a
      // fetch of N that finds more than N/2 deliveries of earlier, expired
      // pulls waiting and then receives more (nats.c #749, a heap corruption
      // seen after a partition healed). A fetch of one cannot: it returns a
      // waiting delivery without asking the server. Short waits so
      // destruction is prompt; an empty fetch is cheap.
      auto s = natsSubscription_Fetch(&list, sub_.get(), 1, 250, nullptr);
      if (s == NATS_OK) {
        for (int i = 0; i < list.Count; ++i) {
          std::shared_ptr<natsMsg> msg{std::exchange(list.Msgs[i], nullptr), msg_deleter{}};
          deliver(std::move(msg));
        }
      } else if (s != NATS_TIMEOUT) {
        // Disconnected or reconnecting: the client resubscribes by itself.
        std::this_thread::sleep_for(std::chrono::milliseconds{100});
      }
      natsMsgList_Destroy(&list);
    }
  }

  void deliver(std::shared_ptr<natsMsg> msg) {
    ports::bus_delivery delivery;
    if (!delivery.event.ParseFromArray(natsMsg_GetData(msg.get()), natsMsg_GetDataLength(msg.get()))) {
      // It will never decode: redelivering it would only block the rest.
      natsMsg_Term(msg.get(), nullptr);
      return;
    }
    const char* traceparent = nullptr;
    if (delivery.event.traceparent().empty() && natsMsgHeader_Get(msg.get(), "traceparent", &traceparent) == NATS_OK &&
        traceparent)
      delivery.event.set_traceparent(traceparent);
    auto delay = nak_delay_;
    // The subscription stays alive until the last delivery was answered.
    delivery.ack = [msg, sub = sub_] { natsMsg_Ack(msg.get(), nullptr); };
    delivery.nak = [msg, sub = sub_, delay] { natsMsg_NakWithDelay(msg.get(), delay.count(), nullptr); };
    handler_(std::move(delivery));
  }

  std::shared_ptr<natsSubscription> sub_;
  ports::bus_handler handler_;
  std::chrono::milliseconds nak_delay_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

caf::expected<std::shared_ptr<nats_event_bus>> nats_event_bus::connect(nats_bus_options options) {
  natsOptions* raw_opts = nullptr;
  if (auto s = natsOptions_Create(&raw_opts); s != NATS_OK)
    return nats::error("cannot create NATS options", s);
  std::unique_ptr<natsOptions, options_deleter> opts{raw_opts};
  natsOptions_SetURL(opts.get(), options.url.c_str());
  natsOptions_SetTimeout(opts.get(), options.connect_timeout.count());
  natsOptions_SetAllowReconnect(opts.get(), true);
  natsOptions_SetMaxReconnect(opts.get(), -1);  // forever: NATS outages end
  natsOptions_SetReconnectWait(opts.get(), options.reconnect_wait.count());

  auto self = std::make_unique<impl>();
  self->options = std::move(options);
  natsConnection* nc = nullptr;
  if (auto s = natsConnection_Connect(&nc, opts.get()); s != NATS_OK)
    return nats::error("cannot connect to NATS at " + self->options.url, s);
  self->connection.reset(nc);

  jsOptions js_opts;
  jsOptions_Init(&js_opts);
  js_opts.Wait = self->options.connect_timeout.count();
  js_opts.PublishAsync.ErrHandler = &impl::on_publish_error;
  js_opts.PublishAsync.ErrHandlerClosure = self.get();
  jsCtx* js = nullptr;
  if (auto s = natsConnection_JetStream(&js, nc, &js_opts); s != NATS_OK)
    return nats::error("cannot open a JetStream context", s);
  self->js.reset(js);

  auto subjects = self->options.subject_prefix + ".>";
  const char* subject_list[] = {subjects.c_str()};
  jsStreamConfig cfg;
  jsStreamConfig_Init(&cfg);
  cfg.Name = self->options.stream.c_str();
  cfg.Subjects = subject_list;
  cfg.SubjectsLen = 1;
  cfg.Storage = js_FileStorage;
  cfg.Retention = js_LimitsPolicy;
  cfg.MaxAge = nanos(self->options.max_age);
  cfg.Duplicates = nanos(self->options.duplicate_window);
  jsStreamInfo* info = nullptr;
  auto code = static_cast<jsErrCode>(0);
  // Update first: on every start after the first the stream exists, and its
  // settings follow the configuration.
  auto s = js_UpdateStream(&info, js, &cfg, nullptr, &code);
  if (s != NATS_OK && code == JSStreamNotFoundErr)
    s = js_AddStream(&info, js, &cfg, nullptr, &code);
  std::unique_ptr<jsStreamInfo, stream_info_deleter> keep_info{info};
  if (s != NATS_OK)
    return nats::error("cannot create or update stream " + self->options.stream, s, code);
  return std::shared_ptr<nats_event_bus>(new nats_event_bus(std::move(self)));
}

nats_event_bus::nats_event_bus(std::unique_ptr<impl> self) : self_(std::move(self)) {}

nats_event_bus::~nats_event_bus() = default;

bool nats_event_bus::connected() const {
  return natsConnection_Status(self_->connection.get()) == NATS_CONN_STATUS_CONNECTED;
}

std::string nats_event_bus::subject_for(const messages::EventEnvelope& event) const {
  return self_->options.subject_prefix + "." + std::string{messages::event_type(event)};
}

caf::expected<void> nats_event_bus::declare_consumer(const std::string& durable_name) {
  jsConsumerConfig cfg;
  jsConsumerConfig_Init(&cfg);
  cfg.Durable = durable_name.c_str();
  cfg.AckPolicy = js_AckExplicit;
  cfg.DeliverPolicy = js_DeliverAll;
  cfg.AckWait = nanos(self_->options.ack_wait);
  cfg.MaxDeliver = -1;
  auto filter = self_->options.subject_prefix + ".>";
  cfg.FilterSubject = filter.c_str();
  jsConsumerInfo* info = nullptr;
  auto code = static_cast<jsErrCode>(0);
  auto s =
      js_GetConsumerInfo(&info, self_->js.get(), self_->options.stream.c_str(), durable_name.c_str(), nullptr, &code);
  if (s != NATS_OK && code == JSConsumerNotFoundErr)
    s = js_AddConsumer(&info, self_->js.get(), self_->options.stream.c_str(), &cfg, nullptr, &code);
  std::unique_ptr<jsConsumerInfo, consumer_info_deleter> keep{info};
  if (s != NATS_OK)
    return nats::error("cannot declare consumer " + durable_name, s, code);
  return caf::unit;
}

caf::expected<void> nats_event_bus::publish(const std::vector<messages::EventEnvelope>& events,
                                            std::chrono::milliseconds timeout) {
  std::lock_guard lock{self_->publish_mutex};
  auto* js = self_->js.get();
  self_->publish_errors = 0;
  for (const auto& event : events) {
    auto data = event.SerializeAsString();
    auto subject = subject_for(event);
    natsMsg* raw = nullptr;
    if (auto s = natsMsg_Create(&raw, subject.c_str(), nullptr, data.data(), static_cast<int>(data.size()));
        s != NATS_OK)
      return nats::error("cannot create a NATS message", s);
    std::unique_ptr<natsMsg, msg_deleter> msg{raw};
    if (!event.traceparent().empty())
      natsMsgHeader_Set(msg.get(), "traceparent", event.traceparent().c_str());
    jsPubOptions pub;
    jsPubOptions_Init(&pub);
    pub.MsgId = event.event_id().c_str();
    pub.ExpectStream = self_->options.stream.c_str();
    pub.MaxWait = timeout.count();
    raw = msg.get();
    auto s = js_PublishMsgAsync(js, &raw, &pub);
    if (raw == nullptr)
      (void)msg.release();  // the library owns it now
    if (s != NATS_OK) {
      (void)js_PublishAsyncComplete(js, nullptr);
      return nats::error("publish to " + subject + " failed", s);
    }
  }
  jsPubOptions wait;
  jsPubOptions_Init(&wait);
  wait.MaxWait = timeout.count();
  auto s = js_PublishAsyncComplete(js, &wait);
  if (s != NATS_OK) {
    // Take back what is still unacknowledged, so a late ack cannot be
    // counted against the next batch; the caller republishes it anyway.
    natsMsgList pending{nullptr, 0};
    if (js_PublishAsyncGetPendingList(&pending, js) == NATS_OK)
      natsMsgList_Destroy(&pending);
    return nats::error("JetStream did not acknowledge every event", s);
  }
  if (auto failed = self_->publish_errors.load(); failed > 0)
    return ports::make_error(store_errc::unavailable, "JetStream rejected " + std::to_string(failed) + " of " +
                                                          std::to_string(events.size()) + " events");
  return caf::unit;
}

caf::expected<std::unique_ptr<ports::bus_subscription>> nats_event_bus::subscribe(const std::string& durable_name,
                                                                                  ports::bus_handler handler) {
  if (auto declared = declare_consumer(durable_name); !declared)
    return declared.error();
  jsSubOptions sub_opts;
  jsSubOptions_Init(&sub_opts);
  sub_opts.Stream = self_->options.stream.c_str();
  sub_opts.Consumer = durable_name.c_str();
  natsSubscription* raw = nullptr;
  auto code = static_cast<jsErrCode>(0);
  auto filter = self_->options.subject_prefix + ".>";
  if (auto s = js_PullSubscribe(&raw, self_->js.get(), filter.c_str(), durable_name.c_str(), nullptr, &sub_opts, &code);
      s != NATS_OK)
    return nats::error("cannot subscribe " + durable_name, s, code);
  std::shared_ptr<natsSubscription> sub{raw, subscription_deleter{}};
  return std::unique_ptr<ports::bus_subscription>{
      new pull_subscription(std::move(sub), std::move(handler), self_->options.nak_delay)};
}

}  // namespace taskflow::cluster
