#include "protocol/memory_client.h"

namespace alembic::protocol {

MemoryClient::MemoryClient() : pipe_(make_memory_pipe()), writer_(*pipe_.first) {
  reader_ = std::thread([this] { read_loop(); });
}

MemoryClient::~MemoryClient() {
  pipe_.first->close_write();
  pipe_.first->interrupt_read();
  reader_.join();
}

void MemoryClient::send(const json& message) {
  writer_.write(dump_message(message));
}

void MemoryClient::send_body(std::string_view body) {
  writer_.write(body);
}

void MemoryClient::send_raw(std::string_view bytes) {
  pipe_.first->write_all(bytes);
}

void MemoryClient::request(const json& id, std::string_view method, json params) {
  // Built by hand rather than with make_request so tests can send invalid ids too.
  json message = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
  if (!params.is_null()) message["params"] = std::move(params);
  send(message);
}

void MemoryClient::notify(std::string_view method, json params) {
  send(make_notification(method, std::move(params)));
}

std::optional<json> MemoryClient::receive(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  arrived_.wait_for(lock, timeout, [this] { return !inbox_.empty() || closed_; });
  if (inbox_.empty()) return std::nullopt;
  json message = std::move(inbox_.front());
  inbox_.pop_front();
  return message;
}

void MemoryClient::close() {
  pipe_.first->close_write();
}

void MemoryClient::read_loop() {
  FrameReader reader(*pipe_.first);
  for (;;) {
    FrameResult frame = reader.read();
    if (!frame.ok()) break;
    // A server that writes invalid JSON is reported as a string, not a crash of the test.
    json message = json::parse(frame.body, nullptr, false);
    if (message.is_discarded()) message = "<invalid JSON: " + frame.body + ">";
    std::lock_guard lock(mutex_);
    inbox_.push_back(std::move(message));
    arrived_.notify_all();
  }
  std::lock_guard lock(mutex_);
  closed_ = true;
  arrived_.notify_all();
}

}  // namespace alembic::protocol
