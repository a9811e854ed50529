// One connection's life on the I/O thread: handshake, reading requests,
// handing them to the workers, writing (and misdelivering) the answers.

#include <errno.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/time/clock.h"
#include "emulator/http/response_head.h"
#include "emulator/http/server_impl.h"

namespace hubspot_emulator {
namespace {

using http_internal::After;
using http_internal::Clock;
using http_internal::IoStatus;
using http_internal::Phase;
using Result = http_internal::RequestParser::Result;

// Per turn of the event loop, so that one busy client (a large upload, a
// fast download) cannot hold up the others; the connection is driven again
// on the next turn without waiting for epoll.
constexpr int kMaxReadsPerTurn = 64;  // 16 MiB of 256 KiB reads
constexpr int kMaxWritesPerTurn = 64;
// Bodies up to this size are copied behind the head so that a small answer
// leaves in one write; larger ones are written from where they are.
constexpr size_t kInlineBodyBytes = 16 * 1024;
// How long a closing connection keeps reading what the client still sends
// (a refused upload, say): closing a socket with unread data resets the
// connection, and the reset can destroy the answer before the client reads
// it.
constexpr absl::Duration kLingerTime = absl::Seconds(2);
constexpr absl::string_view k100Continue = "HTTP/1.1 100 Continue\r\n\r\n";

}  // namespace

void HttpServer::Impl::OnEvents(Connection& c, uint32_t events) {
  // An error, or a hang-up in both directions, leaves nobody to answer. A
  // client's half-close is neither: its request still gets its answer.
  if ((events & (EPOLLERR | EPOLLHUP)) != 0) {
    Destroy(c);
    return;
  }
  Drive(c);
}

void HttpServer::Impl::Drive(Connection& c) {
  while (!c.closed) {
    const Phase before = c.phase;
    switch (c.phase) {
      case Phase::kHandshake:
        Handshake(c);
        break;
      case Phase::kReading:
        if (c.HasOutput()) Flush(c);  // 100 Continue
        if (!c.closed && c.phase == Phase::kReading) ReadRequests(c);
        break;
      case Phase::kHandling:
        // The rest of a 100 Continue the socket did not take at once.
        if (c.HasOutput()) Flush(c);
        break;
      case Phase::kResponding:
        if (!c.timer_pending) Flush(c);
        break;
      case Phase::kLingering:
        Drain(c);
        break;
    }
    // A new phase may have work that no epoll event will announce, such as
    // a pipelined request already read, or bytes OpenSSL has buffered.
    if (c.phase == before) break;
  }
  if (!c.closed) UpdateInterest(c);
}

void HttpServer::Impl::Handshake(Connection& c) {
  switch (c.transport->Handshake()) {
    case IoStatus::kOk:
      c.phase = Phase::kReading;
      Touch(c);
      return;
    case IoStatus::kWantRead:
      c.handshake_wants_write = false;
      return;
    case IoStatus::kWantWrite:
      c.handshake_wants_write = true;
      return;
    default:
      Destroy(c);  // not TLS, or no common ground: nothing to answer with
  }
}

void HttpServer::Impl::ReadRequests(Connection& c) {
  c.read_wants_write = false;
  if (!c.unparsed.empty()) {
    const std::string pipelined = std::move(c.unparsed);
    c.unparsed.clear();
    if (!Feed(c, pipelined)) return;
  }
  for (int i = 0; i < kMaxReadsPerTurn; ++i) {
    size_t read = 0;
    switch (c.transport->Read(scratch_.data(), scratch_.size(), &read)) {
      case IoStatus::kOk:
        Touch(c);
        if (!Feed(c, absl::string_view(scratch_.data(), read))) return;
        break;
      case IoStatus::kWantRead:
        return;
      case IoStatus::kWantWrite:
        c.read_wants_write = true;
        return;
      case IoStatus::kEof:
      case IoStatus::kError:
        // Between requests this is the client's goodbye; within one, a
        // request that cannot be finished, so there is nobody to answer.
        Destroy(c);
        return;
    }
  }
  ready_.push_back(c.id);
}

bool HttpServer::Impl::Feed(Connection& c, absl::string_view data) {
  while (true) {
    size_t used = 0;
    const Result result = c.parser.Parse(data, &used);
    data.remove_prefix(used);
    switch (result) {
      case Result::kNeedMore:
        return true;
      case Result::kHeadersDone:
        if (!InspectHead(c)) return false;
        // Sent before reading the body; a refused body (413) never gets
        // here, so the client learns that before sending it.
        if (c.parser.expects_continue()) {
          c.out.append(k100Continue.data(), k100Continue.size());
          Flush(c);
          if (c.closed) return false;
        }
        break;
      case Result::kComplete:
        c.unparsed.assign(data.data(), data.size());
        Dispatch(c);
        return false;
      case Result::kError:
        RespondWithError(c, c.parser.error_status(), c.parser.error_message());
        return false;
    }
  }
}

bool HttpServer::Impl::InspectHead(Connection& c) {
  if (!options_.inspect_head ||
      options_.inspect_head(c.parser.head()) == HeadAction::kContinue) {
    return true;
  }
  // Body bytes that came with the head (same read) are dropped unparsed.
  Reset(c);
  return false;
}

void HttpServer::Impl::Dispatch(Connection& c) {
  c.phase = Phase::kHandling;
  c.keep_alive = c.parser.keep_alive();
  HttpRequest request = c.parser.TakeRequest();
  c.head_request = request.method == "HEAD";
  request.tls = tls_ != nullptr;
  // handler_ outlives the workers: ~Impl joins them first.
  workers_->Run(
      [handler = &handler_, request = std::move(request),
       responder = http_internal::MakeResponder(mailbox_, c.id)]() mutable {
        (*handler)(std::move(request), std::move(responder));
      });
}

void HttpServer::Impl::RespondWithError(Connection& c, int status,
                                        absl::string_view message) {
  // The rest of the stream cannot be trusted to start a request.
  c.keep_alive = false;
  c.unparsed.clear();
  BeginResponse(c, ErrorResponse(status, message));
}

void HttpServer::Impl::BeginResponse(Connection& c, HttpResponse response) {
  c.phase = Phase::kResponding;
  if (response.delay > absl::ZeroDuration()) {
    const absl::Duration delay = response.delay;
    c.delayed = std::move(response);
    c.timer_pending = true;
    AddTimer(delay, c.id, &Impl::OnDelayOver);
    return;
  }
  WriteResponse(c, std::move(response));
}

void HttpServer::Impl::OnDelayOver(Connection& c) {
  c.timer_pending = false;
  HttpResponse response = std::move(c.delayed);
  c.delayed = HttpResponse();
  WriteResponse(c, std::move(response));
  Drive(c);
}

void HttpServer::Impl::WriteResponse(Connection& c, HttpResponse response) {
  // The idle clock restarts here, not when the request came in.
  Touch(c);
  if (response.drop) {
    StartLingeringClose(c);
    return;
  }
  c.close_after_response = !c.keep_alive || response.truncate_body_at >= 0 ||
                           http_internal::AsksToClose(response);
  const bool has_body = http_internal::StatusHasBody(response.status);
  c.out.append(http_internal::SerializeHead(
      response.status, response.headers,
      has_body ? std::optional<size_t>(response.body.size()) : std::nullopt,
      !c.close_after_response, absl::Now()));

  size_t end = has_body && !c.head_request ? response.body.size() : 0;
  if (response.truncate_body_at >= 0) {
    end = std::min(end, static_cast<size_t>(response.truncate_body_at));
  }
  c.slow_chunk = response.slow_chunk_bytes;
  c.slow_interval = response.slow_interval;
  c.body_sent = 0;
  if (c.slow_chunk == 0 && end <= kInlineBodyBytes) {
    c.out.append(response.body.data(), end);
    c.body.clear();
    c.body_ready = c.body_end = 0;
  } else {
    c.body = std::move(response.body);
    c.body_end = end;
    c.body_ready = c.slow_chunk > 0 ? std::min(end, c.slow_chunk) : end;
  }
}

void HttpServer::Impl::Flush(Connection& c) {
  c.write_wants_read = false;
  for (int i = 0; i < kMaxWritesPerTurn && c.HasOutput(); ++i) {
    const bool from_out = c.out_sent < c.out.size();
    const char* data =
        from_out ? c.out.data() + c.out_sent : c.body.data() + c.body_sent;
    const size_t size =
        from_out ? c.out.size() - c.out_sent : c.body_ready - c.body_sent;
    size_t written = 0;
    switch (c.transport->Write(data, size, &written)) {
      case IoStatus::kOk:
        (from_out ? c.out_sent : c.body_sent) += written;
        Touch(c);
        break;
      case IoStatus::kWantWrite:
        return;
      case IoStatus::kWantRead:
        c.write_wants_read = true;
        return;
      case IoStatus::kEof:
      case IoStatus::kError:
        Destroy(c);
        return;
    }
  }
  if (c.HasOutput()) {
    ready_.push_back(c.id);
    return;
  }
  c.out.clear();
  c.out_sent = 0;
  if (c.phase == Phase::kResponding) FinishResponse(c);
}

void HttpServer::Impl::FinishResponse(Connection& c) {
  if (c.body_ready < c.body_end) {
    // Slow delivery: the next piece after a pause.
    c.timer_pending = true;
    AddTimer(c.slow_interval, c.id, &Impl::OnSlowInterval);
    return;
  }
  // A large body's memory goes back now, not at the next answer.
  std::string().swap(c.body);
  c.body_sent = c.body_ready = c.body_end = 0;
  if (c.close_after_response) {
    StartLingeringClose(c);
    return;
  }
  c.phase = Phase::kReading;
  Touch(c);
}

void HttpServer::Impl::OnSlowInterval(Connection& c) {
  c.timer_pending = false;
  c.body_ready = std::min(c.body_end, c.body_ready + c.slow_chunk);
  Touch(c);
  Drive(c);
}

void HttpServer::Impl::StartLingeringClose(Connection& c) {
  c.phase = Phase::kLingering;
  c.transport->ShutdownWrite();
  c.unparsed.clear();
  c.out.clear();
  c.out_sent = 0;
  std::string().swap(c.body);
  c.body_sent = c.body_ready = c.body_end = 0;
  AddTimer(kLingerTime, c.id, &Impl::OnLingerOver);
}

void HttpServer::Impl::OnLingerOver(Connection& c) { Destroy(c); }

void HttpServer::Impl::Drain(Connection& c) {
  // Raw reads: whatever the client sends now is discarded, TLS or not.
  for (int i = 0; i < kMaxReadsPerTurn; ++i) {
    const ssize_t n = ::recv(c.fd, scratch_.data(), scratch_.size(), 0);
    if (n > 0) continue;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    Destroy(c);  // the client closed too: it has read all it will
    return;
  }
  ready_.push_back(c.id);
}

void HttpServer::Impl::Reset(Connection& c) {
  // A zero linger time makes close() reset the connection even when none
  // of the body has arrived yet (a client waiting for 100 Continue): the
  // client's sending fails rather than meeting an orderly end.
  const linger abort{1, 0};
  ::setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
  Destroy(c);
}

void HttpServer::Impl::UpdateInterest(Connection& c) {
  uint32_t want = 0;
  switch (c.phase) {
    case Phase::kHandshake:
      want = c.handshake_wants_write ? EPOLLOUT : EPOLLIN;
      break;
    case Phase::kReading:
      want = c.read_wants_write ? EPOLLOUT : EPOLLIN;
      break;
    case Phase::kLingering:
      want = EPOLLIN;
      break;
    case Phase::kHandling:
    case Phase::kResponding:
      // Not reading while a request is being answered: pipelined requests
      // wait in the socket, one at a time per connection.
      break;
  }
  if (c.HasOutput() && !c.timer_pending) {
    want |= c.write_wants_read ? EPOLLIN : EPOLLOUT;
  }
  if (want != c.epoll_events) {
    epoll_event event{};
    event.events = want;
    event.data.u64 = c.id;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &event) != 0) {
      Destroy(c);
      return;
    }
    c.epoll_events = want;
  }
  if (WaitsOnClient(c)) ArmIdleTimer(c);
}

bool HttpServer::Impl::WaitsOnClient(const Connection& c) const {
  switch (c.phase) {
    case Phase::kHandshake:
    case Phase::kReading:
      return true;
    case Phase::kResponding:
      // Blocked on a client that does not read; not while a delay or a slow
      // interval of our own runs.
      return !c.timer_pending;
    default:
      return false;
  }
}

void HttpServer::Impl::ArmIdleTimer(Connection& c) {
  const absl::Duration idle = options_.idle_timeout;
  if (c.idle_timer_armed || idle <= absl::ZeroDuration() ||
      idle == absl::InfiniteDuration()) {
    return;
  }
  // One timer per connection, checked and re-armed when it fires, rather
  // than one per read or write.
  c.idle_timer_armed = true;
  timers_.Add(After(c.last_activity, idle), [this, id = c.id] {
    if (Connection* c = Find(id)) OnIdleTimer(*c);
  });
}

void HttpServer::Impl::OnIdleTimer(Connection& c) {
  c.idle_timer_armed = false;
  if (!WaitsOnClient(c)) return;  // re-armed once it waits on the client
  if (After(c.last_activity, options_.idle_timeout) <= Clock::now()) {
    Destroy(c);
    return;
  }
  ArmIdleTimer(c);
}

void HttpServer::Impl::Touch(Connection& c) { c.last_activity = Clock::now(); }

void HttpServer::Impl::Destroy(Connection& c) {
  if (c.closed) return;
  c.closed = true;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd, nullptr);
  auto it = connections_.find(c.id);
  if (it == connections_.end()) return;
  // Freed at the end of the loop turn: callers up the stack still hold it.
  graveyard_.push_back(std::move(it->second));
  connections_.erase(it);
}

}  // namespace hubspot_emulator
