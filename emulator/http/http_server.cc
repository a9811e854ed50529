#include "emulator/http/http_server.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "emulator/http/response_head.h"
#include "emulator/http/server_impl.h"
#include "server/common/log.h"

namespace hubspot_emulator {
namespace {

using http_internal::After;
using http_internal::Clock;
using http_internal::Completion;
using http_internal::Phase;

// epoll keys: connection ids start above these, and are never reused, so a
// stale event or timer for a closed connection finds nothing.
constexpr uint64_t kListenKey = 0;
constexpr uint64_t kWakeKey = 1;
constexpr uint64_t kFirstConnectionId = 2;

constexpr size_t kScratchBytes = 256 * 1024;
constexpr int kMaxEvents = 256;
// After accept fails for want of descriptors or memory, the pending
// connection is still there and a level-triggered listener would report it
// again at once; this long a pause keeps the loop from spinning.
constexpr absl::Duration kAcceptPause = absl::Milliseconds(100);

std::string ErrnoText(int error) {
  char buffer[128];
  return strerror_r(error, buffer, sizeof buffer);
}

std::string HostPort(const std::string& host, int port) {
  return absl::StrContains(host, ':') ? absl::StrCat("[", host, "]:", port)
                                      : absl::StrCat(host, ":", port);
}

}  // namespace

const std::string* HttpRequest::Header(absl::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (absl::EqualsIgnoreCase(key, name)) return &value;
  }
  return nullptr;
}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    HttpServerOptions options, Handler handler) {
  if (!handler) return absl::InvalidArgumentError("HttpServer needs a handler");
  auto impl = std::make_unique<Impl>(std::move(options), std::move(handler));
  if (absl::Status status = impl->Start(); !status.ok()) return status;
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() = default;

int HttpServer::port() const { return impl_->port(); }

HttpServer::Impl::Impl(HttpServerOptions options, Handler handler)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      limits_{options_.max_header_bytes, options_.max_body_bytes},
      scratch_(kScratchBytes),
      next_id_(kFirstConnectionId) {}

absl::Status HttpServer::Impl::Start() {
  if (options_.tls_cert_file.empty() != options_.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "HTTPS needs both tls_cert_file and tls_key_file");
  }
  if (!options_.tls_cert_file.empty()) {
    auto tls = http_internal::TlsContext::Load(options_.tls_cert_file,
                                               options_.tls_key_file);
    if (!tls.ok()) return tls.status();
    tls_ = std::move(*tls);
  }
  if (absl::Status status = Listen(); !status.ok()) return status;

  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) {
    return absl::InternalError(
        absl::StrCat("epoll_create1: ", ErrnoText(errno)));
  }
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) {
    return absl::InternalError(absl::StrCat("eventfd: ", ErrnoText(errno)));
  }
  for (auto [fd, key] :
       {std::pair{listen_fd_, kListenKey}, std::pair{wake_fd_, kWakeKey}}) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = key;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) {
      return absl::InternalError(absl::StrCat("epoll_ctl: ", ErrnoText(errno)));
    }
  }
  mailbox_ = std::make_shared<http_internal::Mailbox>(wake_fd_);
  workers_ =
      std::make_unique<http_internal::WorkerPool>(options_.worker_threads);
  io_thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

absl::Status HttpServer::Impl::Listen() {
  const std::string where = HostPort(options_.host, options_.port);
  if (options_.port < 0 || options_.port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot listen on ", where, ": no such port"));
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(options_.port);
  const int resolved =
      ::getaddrinfo(options_.host.empty() ? nullptr : options_.host.c_str(),
                    service.c_str(), &hints, &found);
  if (resolved != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot listen on ", where, ": ", ::gai_strerror(resolved)));
  }
  int error = 0;
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd =
        ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                 a->ai_protocol);
    if (fd < 0) {
      error = errno;
      continue;
    }
    // A restarted emulator can take its port back from lingering TIME_WAITs.
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 &&
        ::listen(fd, SOMAXCONN) == 0) {
      listen_fd_ = fd;
      break;
    }
    error = errno;
    ::close(fd);
  }
  ::freeaddrinfo(found);
  if (listen_fd_ < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", where, ": ", ErrnoText(error)));
  }
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  if (::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &length) !=
      0) {
    return absl::InternalError(
        absl::StrCat("getsockname on ", where, ": ", ErrnoText(errno)));
  }
  port_ = ntohs(bound.ss_family == AF_INET6
                    ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                    : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  return absl::OkStatus();
}

HttpServer::Impl::~Impl() {
  // First, so that a handler answering from now on does nothing.
  if (mailbox_ != nullptr) mailbox_->Close();
  stopping_.store(true, std::memory_order_release);
  if (io_thread_.joinable()) {
    const uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
    io_thread_.join();
  }
  // Queued handlers are dropped (their Responders post to a closed mailbox);
  // running ones are waited for.
  workers_.reset();
  graveyard_.clear();
  connections_.clear();
  tls_.reset();
  for (int fd : {listen_fd_, epoll_fd_, wake_fd_}) {
    if (fd >= 0) ::close(fd);
  }
}

void HttpServer::Impl::Run() {
  // OpenSSL writes with write(2), which raises SIGPIPE towards a client that
  // went away. Blocked on this thread, the one that writes, the signal just
  // stays pending instead of killing the process; other threads keep
  // whatever disposition the program chose.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);

  epoll_event events[kMaxEvents];
  while (!stopping_.load(std::memory_order_acquire)) {
    const int timeout = ready_.empty() ? timers_.TimeoutMs(Clock::now()) : 0;
    const int count = ::epoll_wait(epoll_fd_, events, kMaxEvents, timeout);
    if (count < 0 && errno != EINTR) {
      hubspot_gateway::Log(hubspot_gateway::LogLevel::kError,
                           "emulator HTTP server: epoll_wait failed",
                           {{"error", ErrnoText(errno)}});
      return;
    }
    for (int i = 0; i < count; ++i) {
      const uint64_t key = events[i].data.u64;
      if (key == kListenKey) {
        Accept();
      } else if (key == kWakeKey) {
        OnWake();
      } else if (Connection* c = Find(key)) {
        OnEvents(*c, events[i].events);
      }
    }
    timers_.RunDue(Clock::now());
    std::vector<uint64_t> again;
    again.swap(ready_);
    for (uint64_t id : again) {
      if (Connection* c = Find(id)) Drive(*c);
    }
    graveyard_.clear();
  }
}

void HttpServer::Impl::Accept() {
  while (accepting_) {
    const int fd =
        ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      const int error = errno;
      if (error == EINTR || error == ECONNABORTED || error == EPROTO) continue;
      if (error == EAGAIN || error == EWOULDBLOCK) return;
      hubspot_gateway::Log(hubspot_gateway::LogLevel::kWarning,
                           "emulator HTTP server: accept failed",
                           {{"error", ErrnoText(error)}});
      accepting_ = false;
      epoll_event event{};
      event.data.u64 = kListenKey;
      ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, listen_fd_, &event);
      timers_.Add(After(Clock::now(), kAcceptPause),
                  [this] { ResumeAccepting(); });
      return;
    }
    if (connections_.size() >=
        static_cast<size_t>(std::max(options_.max_connections, 0))) {
      ::close(fd);
      continue;
    }
    // Heads and bodies are written as they are ready; waiting to coalesce
    // them with data that is not coming only adds latency.
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::unique_ptr<http_internal::Transport> transport =
        tls_ != nullptr ? tls_->NewTransport(fd)
                        : http_internal::NewPlainTransport(fd);
    if (transport == nullptr) {
      ::close(fd);
      continue;
    }
    const uint64_t id = next_id_++;
    auto owned =
        std::make_unique<Connection>(id, fd, std::move(transport), limits_);
    Connection& c = *owned;
    c.phase = tls_ != nullptr ? Phase::kHandshake : Phase::kReading;
    c.last_activity = Clock::now();
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = id;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) continue;
    c.epoll_events = EPOLLIN;
    connections_.emplace(id, std::move(owned));
    ArmIdleTimer(c);
  }
}

void HttpServer::Impl::ResumeAccepting() {
  accepting_ = true;
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = kListenKey;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, listen_fd_, &event);
  Accept();
}

void HttpServer::Impl::OnWake() {
  // Read before taking the batch: see Mailbox::Post.
  uint64_t count = 0;
  (void)!::read(wake_fd_, &count, sizeof count);
  for (Completion& completion : mailbox_->TakeAll()) {
    OnCompletion(std::move(completion));
  }
}

void HttpServer::Impl::OnCompletion(Completion completion) {
  Connection* c = Find(completion.connection);
  // Gone (client closed, idle, server error): the answer has no taker.
  if (c == nullptr || c->phase != Phase::kHandling) return;
  BeginResponse(*c, completion.abandoned
                        ? ErrorResponse(500, "the handler gave no answer")
                        : std::move(completion.response));
  Drive(*c);
}

HttpServer::Impl::Connection* HttpServer::Impl::Find(uint64_t id) {
  auto it = connections_.find(id);
  return it == connections_.end() || it->second->closed ? nullptr
                                                        : it->second.get();
}

HttpResponse HttpServer::Impl::ErrorResponse(int status,
                                             absl::string_view message) const {
  if (options_.error_response) return options_.error_response(status, message);
  return http_internal::PlainTextError(status, message);
}

void HttpServer::Impl::AddTimer(absl::Duration after, uint64_t id,
                                void (Impl::*callback)(Connection&)) {
  timers_.Add(After(Clock::now(), after), [this, id, callback] {
    if (Connection* c = Find(id)) (this->*callback)(*c);
  });
}

}  // namespace hubspot_emulator
