#ifndef HUBSPOT_EMULATOR_HTTP_CONNECTION_H_
#define HUBSPOT_EMULATOR_HTTP_CONNECTION_H_

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/time/time.h"
#include "emulator/http/http_server.h"
#include "emulator/http/request_parser.h"
#include "emulator/http/timer_queue.h"
#include "emulator/http/transport.h"

namespace hubspot_emulator {
namespace http_internal {

enum class Phase {
  kHandshake,   // TLS handshake under way
  kReading,     // reading a request, or waiting for one
  kHandling,    // the handler has the request
  kResponding,  // writing the answer, or waiting out its delay or slow pace
  kLingering,   // done and half-closed: discarding what the client still
                // sends, so that closing does not reset the answer away
};

// One client connection. Touched only by the I/O thread; everything else
// names it by id.
struct Connection {
  Connection(uint64_t id, int fd, std::unique_ptr<Transport> transport,
             ParserLimits limits)
      : id(id), fd(fd), transport(std::move(transport)), parser(limits) {}
  ~Connection() {
    transport.reset();  // TLS state first: it refers to the socket
    ::close(fd);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool HasOutput() const {
    return out_sent < out.size() || body_sent < body_ready;
  }

  const uint64_t id;
  const int fd;
  std::unique_ptr<Transport> transport;
  Phase phase = Phase::kReading;
  // Closed and waiting to be freed at the end of the loop iteration, so
  // that callers up the stack may still look at it.
  bool closed = false;

  RequestParser parser;
  std::string unparsed;  // bytes past the request being handled (pipelining)
  bool keep_alive = true;
  bool head_request = false;

  // Output goes `out` first (100 Continue, the head, small bodies), then
  // body[body_sent, body_ready). body_ready moves towards body_end one slow
  // chunk at a time; past body_end nothing is sent (truncation, HEAD).
  std::string out;
  size_t out_sent = 0;
  std::string body;
  size_t body_sent = 0;
  size_t body_ready = 0;
  size_t body_end = 0;
  size_t slow_chunk = 0;
  absl::Duration slow_interval;
  bool close_after_response = false;
  HttpResponse delayed;        // held while its delay runs
  bool timer_pending = false;  // a delay or slow interval is running

  // TLS may need the other direction to make progress.
  bool handshake_wants_write = false;
  bool read_wants_write = false;
  bool write_wants_read = false;
  uint32_t epoll_events = 0;  // as registered

  Clock::time_point last_activity;
  bool idle_timer_armed = false;
};

}  // namespace http_internal
}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_HTTP_CONNECTION_H_
