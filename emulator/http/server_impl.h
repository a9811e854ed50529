#ifndef HUBSPOT_EMULATOR_HTTP_SERVER_IMPL_H_
#define HUBSPOT_EMULATOR_HTTP_SERVER_IMPL_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "emulator/http/connection.h"
#include "emulator/http/http_server.h"
#include "emulator/http/mailbox.h"
#include "emulator/http/timer_queue.h"
#include "emulator/http/tls.h"
#include "emulator/http/worker_pool.h"

namespace hubspot_emulator {

// Everything below runs on the I/O thread unless it says otherwise.
// http_server.cc: lifetime, the event loop, accepting and answers coming
// back; connection.cc: one connection's reading and writing.
class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, Handler handler);
  // Any thread but the I/O thread; stops and joins everything.
  ~Impl();

  // Listens and starts the threads.
  absl::Status Start();
  int port() const { return port_; }

 private:
  using Connection = http_internal::Connection;

  absl::Status Listen();
  void Run();
  void Accept();
  void ResumeAccepting();
  void OnWake();
  void OnCompletion(http_internal::Completion completion);
  Connection* Find(uint64_t id);
  HttpResponse ErrorResponse(int status, absl::string_view message) const;
  void AddTimer(absl::Duration after, uint64_t id,
                void (Impl::*callback)(Connection&));

  // connection.cc
  void OnEvents(Connection& c, uint32_t events);
  // Makes whatever progress the connection can without waiting, then
  // registers what it waits for.
  void Drive(Connection& c);
  void Handshake(Connection& c);
  void ReadRequests(Connection& c);
  // False when the connection stops reading (request complete or refused).
  bool Feed(Connection& c, absl::string_view data);
  // False when the inspector has the connection reset before the body.
  bool InspectHead(Connection& c);
  void Dispatch(Connection& c);
  void RespondWithError(Connection& c, int status, absl::string_view message);
  void BeginResponse(Connection& c, HttpResponse response);
  void OnDelayOver(Connection& c);
  void WriteResponse(Connection& c, HttpResponse response);
  void Flush(Connection& c);
  void OnSlowInterval(Connection& c);
  void FinishResponse(Connection& c);
  void StartLingeringClose(Connection& c);
  void OnLingerOver(Connection& c);
  void Drain(Connection& c);
  // Closes with a reset: whatever the client still sends is refused.
  void Reset(Connection& c);
  void UpdateInterest(Connection& c);
  bool WaitsOnClient(const Connection& c) const;
  void ArmIdleTimer(Connection& c);
  void OnIdleTimer(Connection& c);
  void Touch(Connection& c);
  void Destroy(Connection& c);

  const HttpServerOptions options_;
  const Handler handler_;
  const http_internal::ParserLimits limits_;

  int listen_fd_ = -1;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;  // eventfd: answers posted, or stop
  int port_ = 0;
  std::unique_ptr<http_internal::TlsContext> tls_;
  std::shared_ptr<http_internal::Mailbox> mailbox_;
  std::unique_ptr<http_internal::WorkerPool> workers_;
  std::atomic<bool> stopping_{false};
  std::thread io_thread_;

  // I/O thread only.
  http_internal::TimerQueue timers_;
  std::unordered_map<uint64_t, std::unique_ptr<Connection>> connections_;
  std::vector<std::unique_ptr<Connection>> graveyard_;  // freed per iteration
  std::vector<uint64_t> ready_;  // to drive again without waiting for epoll
  std::vector<char> scratch_;    // every read lands here first
  uint64_t next_id_;
  bool accepting_ = true;
};

}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_HTTP_SERVER_IMPL_H_
