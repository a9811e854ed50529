#ifndef HUBSPOT_EMULATOR_HTTP_HTTP_SERVER_H_
#define HUBSPOT_EMULATOR_HTTP_HTTP_SERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace hubspot_emulator {

// One HTTP/1.1 request, read whole.
struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // percent-decoding left to the handler
  std::string query;   // after '?', without it; empty when none
  // Header names lower-case, in arrival order.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // de-chunked
  bool tls = false;

  // The first header of that (lower-case) name, or null.
  const std::string* Header(absl::string_view name) const;
};

// An answer, and how the server is to (mis)deliver it: the emulator's
// fault injection lives here so that handlers stay plain.
struct HttpResponse {
  int status = 200;
  // Content-Length and Connection are the server's; others as given.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Waits this long before writing anything.
  absl::Duration delay = absl::ZeroDuration();
  // Closes the connection without answering.
  bool drop = false;
  // >= 0: announces the full Content-Length, writes only this many body
  // bytes, then closes.
  int64_t truncate_body_at = -1;
  // > 0: writes the body this many bytes at a time, `slow_interval` apart.
  size_t slow_chunk_bytes = 0;
  absl::Duration slow_interval = absl::ZeroDuration();
};

// Answers one request, exactly once, from any thread.
using Responder = absl::AnyInvocable<void(HttpResponse) &&>;
// Runs on one of the server's worker threads, never on its I/O thread, so a
// slow handler holds up no other connection.
using Handler = std::function<void(HttpRequest, Responder)>;
// What the server answers by itself (malformed request, body too large...):
// status and a message naming the problem.
using ErrorResponder =
    std::function<HttpResponse(int status, absl::string_view message)>;

// What becomes of a request whose head has been read.
enum class HeadAction {
  kContinue,
  // Reset the connection now: the body is not read, the request not
  // handled, and the client's upload fails (for a body larger than the
  // socket buffers, while it is being sent).
  kClose,
};
// Runs on the I/O thread once a request's line and headers are read and a
// body follows (Content-Length > 0 or chunked), before 100 Continue and
// before the body is read: `head` has the method, path, query and headers
// (no body, `tls` unset). Requests without a body never get here. Every
// connection waits while it runs, so it must be quick.
using HeadInspector = std::function<HeadAction(const HttpRequest& head)>;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port, see HttpServer::port()
  // Both or neither: HTTPS (TLS 1.2+, ALPN "http/1.1") instead of HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;
  size_t max_header_bytes = 64 * 1024;
  // Larger bodies get 413 before they are read.
  size_t max_body_bytes = size_t{1} << 30;
  // A connection with no request in progress for this long is closed.
  absl::Duration idle_timeout = absl::Seconds(60);
  int worker_threads = 4;
  // Connections beyond this are accepted and closed at once.
  int max_connections = 10000;
  ErrorResponder error_response;  // default: plain text
  HeadInspector inspect_head;     // default: every request continues
};

// An HTTP/1.1 server: one epoll I/O thread for every connection
// (keep-alive, Content-Length and chunked bodies, Expect: 100-continue,
// optional TLS through OpenSSL), handlers on a worker pool.
class HttpServer {
 public:
  // Listening when it returns.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      HttpServerOptions options, Handler handler);
  // Stops accepting, closes every connection, joins its threads. Responders
  // still held by handlers may be called afterwards: they do nothing.
  ~HttpServer();

  int port() const;

 private:
  class Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_HTTP_HTTP_SERVER_H_
