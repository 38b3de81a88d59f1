#include "cluster/bus/nats_event_bus.hpp"

#include <algorithm>
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

// One round trip, on a connected connection only: without one no read loop
// runs.
constexpr std::int64_t unsubscribe_flush_ms = 2000;

std::int64_t nanos(std::chrono::nanoseconds d) {
  return d.count();
}

// Acknowledgements are plain messages to the delivery's reply subject.
void answer(natsConnection* connection, natsMsg* msg, const char* verb) {
  if (const char* to = natsMsg_GetReply(msg))
    natsConnection_PublishString(connection, to, verb);
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

// Pulls from a durable consumer by hand: a pull request ("give me up to N,
// wait at most expires") is published to the consumer's API subject with
// this subscription's inbox as reply, and deliveries are handled one by one
// as they come. NATS.c 3.4's own natsSubscription_Fetch gathers a batch into
// an array it overflows when deliveries of earlier, expired pulls are waiting
// (fixed upstream after 3.7, nats.c #749): after a partition healed, the
// pulls queued meanwhile were answered at once and corrupted the heap. Here a
// late delivery is just a delivery.
class nats_event_bus::pull_subscription final : public ports::bus_subscription {
public:
  pull_subscription(natsConnection* connection, std::shared_ptr<natsSubscription> inbox, std::string request_subject,
                    ports::bus_handler handler, const nats_bus_options& options)
      : connection_(connection),
        inbox_(std::move(inbox)),
        request_subject_(std::move(request_subject)),
        handler_(std::move(handler)),
        nak_delay_(options.nak_delay),
        batch_(options.pull_batch),
        expires_(options.pull_expires) {
    thread_ = std::thread{[this] { run(); }};
  }
  // Interest ends here, not when the last delivery lets go of the inbox:
  // a late delivery would wait unread until its ack_wait. NATS.c 3.4's read
  // loop uses a subscription it looked up without holding a reference
  // (fixed upstream in 3.6.1, nats.c #637), so freeing the inbox while a
  // message for it is being processed crashed the process; the flush's PONG
  // comes after anything the server sent before our UNSUB, so once it is
  // back the read loop has let go of this inbox and freeing it is safe.
  ~pull_subscription() override {
    stopping_ = true;
    thread_.join();
    natsSubscription_Unsubscribe(inbox_.get());
    if (natsConnection_Status(connection_) == NATS_CONN_STATUS_CONNECTED)
      natsConnection_FlushTimeout(connection_, unsubscribe_flush_ms);
  }
  pull_subscription(const pull_subscription&) = delete;
  pull_subscription& operator=(const pull_subscription&) = delete;

private:
  using steady = std::chrono::steady_clock;

  void run() {
    auto request = "{\"batch\":" + std::to_string(batch_) + ",\"expires\":" + std::to_string(nanos(expires_)) + "}";
    const char* reply = natsSubscription_GetSubject(inbox_.get());
    // A pull is open until it brought batch_ deliveries, the server ended it
    // with a status (408 expired, 404, 409), or it expired by our clock too.
    bool open = false;
    int received = 0;
    auto ends = steady::now();
    while (!stopping_) {
      if (!open || steady::now() >= ends) {
        if (natsConnection_PublishRequestString(connection_, request_subject_.c_str(), reply, request.c_str()) !=
            NATS_OK) {
          // Reconnecting: the client resubscribes the inbox by itself.
          open = false;
          std::this_thread::sleep_for(std::chrono::milliseconds{100});
          continue;
        }
        open = true;
        received = 0;
        ends = steady::now() + expires_ + std::chrono::milliseconds{100};
      }
      // Short waits so destruction is prompt.
      auto wait = std::clamp<std::int64_t>(
          std::chrono::duration_cast<std::chrono::milliseconds>(ends - steady::now()).count(), 1, 250);
      natsMsg* raw = nullptr;
      auto s = natsSubscription_NextMsg(&raw, inbox_.get(), wait);
      if (s == NATS_TIMEOUT)
        continue;
      if (s != NATS_OK) {
        open = false;
        std::this_thread::sleep_for(std::chrono::milliseconds{100});
        continue;
      }
      std::shared_ptr<natsMsg> msg{raw, msg_deleter{}};
      const char* status = nullptr;
      if (natsMsgHeader_Get(msg.get(), "Status", &status) == NATS_OK && status) {
        // 100 is an idle heartbeat; anything else ends a pull. A 409 (the
        // consumer has too many waiting pulls, or was deleted) waits a
        // moment so a crowded consumer is not asked again at once.
        if (std::string_view{status} != "100") {
          if (std::string_view{status} == "409")
            std::this_thread::sleep_for(std::chrono::milliseconds{100});
          open = false;
        }
        continue;
      }
      deliver(std::move(msg));
      if (++received >= batch_)
        open = false;
    }
  }

  void deliver(std::shared_ptr<natsMsg> msg) {
    ports::bus_delivery delivery;
    if (!delivery.event.ParseFromArray(natsMsg_GetData(msg.get()), natsMsg_GetDataLength(msg.get()))) {
      // It will never decode: redelivering it would only block the rest.
      answer(connection_, msg.get(), "+TERM");
      return;
    }
    const char* traceparent = nullptr;
    if (delivery.event.traceparent().empty() && natsMsgHeader_Get(msg.get(), "traceparent", &traceparent) == NATS_OK &&
        traceparent)
      delivery.event.set_traceparent(traceparent);
    auto nak = "-NAK {\"delay\":" + std::to_string(nanos(nak_delay_)) + "}";
    // The inbox subscription holds a reference to the connection, so an
    // answer after the bus went away fails instead of touching freed memory.
    delivery.ack = [inbox = inbox_, connection = connection_, msg] { answer(connection, msg.get(), "+ACK"); };
    delivery.nak = [inbox = inbox_, connection = connection_, msg, nak] { answer(connection, msg.get(), nak.c_str()); };
    handler_(std::move(delivery));
  }

  natsConnection* connection_;
  std::shared_ptr<natsSubscription> inbox_;
  std::string request_subject_;
  ports::bus_handler handler_;
  std::chrono::milliseconds nak_delay_;
  int batch_;
  std::chrono::milliseconds expires_;
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

caf::expected<void> nats_event_bus::declare_consumer(const std::string& durable_name, ports::consumer_scope scope) {
  jsConsumerConfig cfg;
  jsConsumerConfig_Init(&cfg);
  cfg.Durable = durable_name.c_str();
  cfg.AckPolicy = js_AckExplicit;
  cfg.DeliverPolicy = js_DeliverAll;
  if (scope == ports::consumer_scope::node) {
    cfg.DeliverPolicy = js_DeliverNew;
    // The server deletes it after this long without a pull (nats-server 2.9).
    cfg.InactiveThreshold = nanos(self_->options.node_consumer_expiry);
  }
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
  jsConsumerInfo* info = nullptr;
  auto code = static_cast<jsErrCode>(0);
  auto found =
      js_GetConsumerInfo(&info, self_->js.get(), self_->options.stream.c_str(), durable_name.c_str(), nullptr, &code);
  std::unique_ptr<jsConsumerInfo, consumer_info_deleter> keep{info};
  if (found != NATS_OK)
    return nats::error("consumer " + durable_name + " is not declared", found, code);
  natsInbox* inbox = nullptr;
  if (auto s = natsInbox_Create(&inbox); s != NATS_OK)
    return nats::error("cannot create an inbox for " + durable_name, s);
  natsSubscription* raw = nullptr;
  auto s = natsConnection_SubscribeSync(&raw, self_->connection.get(), inbox);
  natsInbox_Destroy(inbox);
  if (s != NATS_OK)
    return nats::error("cannot subscribe " + durable_name, s);
  std::shared_ptr<natsSubscription> sub{raw, subscription_deleter{}};
  return std::unique_ptr<ports::bus_subscription>{new pull_subscription(
      self_->connection.get(), std::move(sub),
      "$JS.API.CONSUMER.MSG.NEXT." + self_->options.stream + "." + durable_name, std::move(handler), self_->options)};
}

}  // namespace taskflow::cluster
