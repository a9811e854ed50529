#ifndef HUBSPOT_EMULATOR_HTTP_TLS_H_
#define HUBSPOT_EMULATOR_HTTP_TLS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "emulator/http/transport.h"

typedef struct ssl_ctx_st SSL_CTX;

namespace hubspot_emulator {
namespace http_internal {

// The server side of TLS: TLS 1.2 or later, ALPN "http/1.1".
class TlsContext {
 public:
  // Errors name the file that could not be used.
  static absl::StatusOr<std::unique_ptr<TlsContext>> Load(
      const std::string& cert_file, const std::string& key_file);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // A transport that starts with the server handshake; null if OpenSSL
  // could not make one.
  std::unique_ptr<Transport> NewTransport(int fd);

 private:
  explicit TlsContext(SSL_CTX* ctx) : ctx_(ctx) {}
  SSL_CTX* const ctx_;
};

}  // namespace http_internal
}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_HTTP_TLS_H_
