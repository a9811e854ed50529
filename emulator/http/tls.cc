#include "emulator/http/tls.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <string.h>
#include <sys/socket.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace hubspot_emulator {
namespace http_internal {
namespace {

// What OpenSSL queued about the last failure, oldest first; clears the queue
// so that it cannot be mistaken for a later call's error.
std::string OpenSslErrors() {
  std::string out;
  while (unsigned long code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    absl::StrAppend(&out, out.empty() ? "" : "; ", text);
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

// OpenSSL's "system library" error for a missing file is obscure; errno
// from opening it ourselves is plainer.
absl::Status CheckReadable(const std::string& path, absl::string_view what) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    const int error = errno;
    char text[128];
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read TLS ", what, " ", path, ": ",
                     strerror_r(error, text, sizeof text)));
  }
  std::fclose(file);
  return absl::OkStatus();
}

absl::Status KeyMismatch(const std::string& cert_file,
                         const std::string& key_file) {
  return absl::InvalidArgumentError(absl::StrCat(
      "TLS key ", key_file, " does not match certificate ", cert_file));
}

int SelectAlpn(SSL*, const unsigned char** out, unsigned char* out_len,
               const unsigned char* offered, unsigned int offered_len, void*) {
  static const unsigned char kHttp11[] = "\x08http/1.1";
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, out_len, kHttp11, sizeof kHttp11 - 1,
                            offered, offered_len) != OPENSSL_NPN_NEGOTIATED) {
    // A client offering only h2 gets no ALPN rather than a failed
    // handshake; it will speak HTTP/1.1 or give up on its own.
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

class TlsTransport : public Transport {
 public:
  TlsTransport(SSL* ssl, int fd) : ssl_(ssl), fd_(fd) {}
  ~TlsTransport() override { SSL_free(ssl_); }

  IoStatus Handshake() override {
    ERR_clear_error();
    const int result = SSL_accept(ssl_);
    return result == 1 ? IoStatus::kOk : Classify(result);
  }

  IoStatus Read(char* buffer, size_t capacity, size_t* read) override {
    ERR_clear_error();
    const int result = SSL_read(
        ssl_, buffer, static_cast<int>(std::min<size_t>(capacity, INT_MAX)));
    if (result > 0) {
      *read = static_cast<size_t>(result);
      return IoStatus::kOk;
    }
    return Classify(result);
  }

  IoStatus Write(const char* data, size_t size, size_t* written) override {
    ERR_clear_error();
    const int result = SSL_write(
        ssl_, data, static_cast<int>(std::min<size_t>(size, INT_MAX)));
    if (result > 0) {
      *written = static_cast<size_t>(result);
      return IoStatus::kOk;
    }
    return Classify(result);
  }

  void ShutdownWrite() override {
    // After a fatal error OpenSSL must not be asked to shut down cleanly.
    if (!failed_ && SSL_is_init_finished(ssl_)) {
      ERR_clear_error();
      SSL_shutdown(ssl_);  // best effort: close_notify if the socket takes it
      ERR_clear_error();
    }
    ::shutdown(fd_, SHUT_WR);
  }

 private:
  IoStatus Classify(int result) {
    const int error = SSL_get_error(ssl_, result);
    switch (error) {
      case SSL_ERROR_WANT_READ:
        return IoStatus::kWantRead;
      case SSL_ERROR_WANT_WRITE:
        return IoStatus::kWantWrite;
      case SSL_ERROR_ZERO_RETURN:
        return IoStatus::kEof;
      default:
        // With SSL_OP_IGNORE_UNEXPECTED_EOF a bare FIN is ZERO_RETURN, so
        // anything here is a real failure.
        failed_ = true;
        ERR_clear_error();
        return IoStatus::kError;
    }
  }

  SSL* const ssl_;
  const int fd_;
  bool failed_ = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<TlsContext>> TlsContext::Load(
    const std::string& cert_file, const std::string& key_file) {
  if (absl::Status s = CheckReadable(cert_file, "certificate"); !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckReadable(key_file, "key"); !s.ok()) return s;

  ERR_clear_error();
  SSL_CTX* raw = SSL_CTX_new(TLS_server_method());
  if (raw == nullptr) {
    return absl::InternalError(
        absl::StrCat("cannot create a TLS context: ", OpenSslErrors()));
  }
  std::unique_ptr<TlsContext> context(new TlsContext(raw));
  SSL_CTX* ctx = context->ctx_;
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // A client vanishing without close_notify is an ordinary EOF here; the
  // HTTP framing says whether anything was lost.
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION |
                               SSL_OP_IGNORE_UNEXPECTED_EOF |
                               SSL_OP_CIPHER_SERVER_PREFERENCE);
  // Partial writes let large bodies go out as the socket takes them; the
  // output buffer may move between retries; idle connections give their
  // record buffers back.
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
                            SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                            SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot load TLS certificate ", cert_file, ": ", OpenSslErrors()));
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) !=
      1) {
    // Loading the key already compares it with the certificate.
    const unsigned long last = ERR_peek_last_error();
    if (ERR_GET_LIB(last) == ERR_LIB_X509 &&
        ERR_GET_REASON(last) == X509_R_KEY_VALUES_MISMATCH) {
      ERR_clear_error();
      return KeyMismatch(cert_file, key_file);
    }
    return absl::InvalidArgumentError(
        absl::StrCat("cannot load TLS key ", key_file, ": ", OpenSslErrors()));
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    ERR_clear_error();
    return KeyMismatch(cert_file, key_file);
  }
  SSL_CTX_set_alpn_select_cb(ctx, SelectAlpn, nullptr);
  return context;
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

std::unique_ptr<Transport> TlsContext::NewTransport(int fd) {
  ERR_clear_error();
  SSL* ssl = SSL_new(ctx_);
  if (ssl == nullptr) {
    ERR_clear_error();
    return nullptr;
  }
  if (SSL_set_fd(ssl, fd) != 1) {
    ERR_clear_error();
    SSL_free(ssl);
    return nullptr;
  }
  SSL_set_accept_state(ssl);
  return std::make_unique<TlsTransport>(ssl, fd);
}

}  // namespace http_internal
}  // namespace hubspot_emulator
