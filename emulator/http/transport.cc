#include "emulator/http/transport.h"

#include <errno.h>
#include <sys/socket.h>

namespace hubspot_emulator {
namespace http_internal {
namespace {

class PlainTransport : public Transport {
 public:
  explicit PlainTransport(int fd) : fd_(fd) {}

  IoStatus Handshake() override { return IoStatus::kOk; }

  IoStatus Read(char* buffer, size_t capacity, size_t* read) override {
    while (true) {
      const ssize_t n = ::recv(fd_, buffer, capacity, 0);
      if (n > 0) {
        *read = static_cast<size_t>(n);
        return IoStatus::kOk;
      }
      if (n == 0) return IoStatus::kEof;
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return IoStatus::kWantRead;
      return IoStatus::kError;
    }
  }

  IoStatus Write(const char* data, size_t size, size_t* written) override {
    while (true) {
      // MSG_NOSIGNAL: a client that went away is an error code, not SIGPIPE.
      const ssize_t n = ::send(fd_, data, size, MSG_NOSIGNAL);
      if (n >= 0) {
        *written = static_cast<size_t>(n);
        return IoStatus::kOk;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return IoStatus::kWantWrite;
      return IoStatus::kError;
    }
  }

  void ShutdownWrite() override { ::shutdown(fd_, SHUT_WR); }

 private:
  const int fd_;
};

}  // namespace

std::unique_ptr<Transport> NewPlainTransport(int fd) {
  return std::make_unique<PlainTransport>(fd);
}

}  // namespace http_internal
}  // namespace hubspot_emulator
