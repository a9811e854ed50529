#ifndef HUBSPOT_EMULATOR_HTTP_TRANSPORT_H_
#define HUBSPOT_EMULATOR_HTTP_TRANSPORT_H_

#include <cstddef>
#include <memory>

namespace hubspot_emulator {
namespace http_internal {

enum class IoStatus {
  kOk,         // some bytes moved
  kWantRead,   // try again when the socket is readable
  kWantWrite,  // try again when the socket is writable
  kEof,        // the peer closed its side
  kError,
};

// Byte transport over one non-blocking socket: plain TCP or TLS. The caller
// owns the socket and closes it after destroying the transport. Used only on
// the I/O thread.
class Transport {
 public:
  virtual ~Transport() = default;

  // Until kOk, nothing else may be called (TLS handshake; plain is done).
  virtual IoStatus Handshake() = 0;
  virtual IoStatus Read(char* buffer, size_t capacity, size_t* read) = 0;
  // `size` > 0. A retry after kWant* must pass the same bytes again.
  virtual IoStatus Write(const char* data, size_t size, size_t* written) = 0;
  // Tells the peer nothing more is coming (TLS close_notify, then FIN);
  // reading stays possible.
  virtual void ShutdownWrite() = 0;
};

std::unique_ptr<Transport> NewPlainTransport(int fd);

}  // namespace http_internal
}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_HTTP_TRANSPORT_H_
