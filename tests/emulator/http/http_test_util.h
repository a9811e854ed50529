#ifndef HUBSPOT_TESTS_EMULATOR_HTTP_HTTP_TEST_UTIL_H_
#define HUBSPOT_TESTS_EMULATOR_HTTP_HTTP_TEST_UTIL_H_

// Clients for testing the emulator's HTTP server over real sockets: libcurl
// for well-formed traffic, a raw socket for what curl would never send.

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "emulator/http/http_server.h"
#include "gtest/gtest.h"

namespace hubspot_emulator {
namespace testing_http {

// Bounds every wait, so that a broken server fails a test instead of
// hanging it. Nothing waits this long when the server works.
inline constexpr absl::Duration kPatience = absl::Seconds(20);

inline const bool kCurlReady = [] {
  curl_global_init(CURL_GLOBAL_ALL);
  return true;
}();

inline std::unique_ptr<HttpServer> StartServer(HttpServerOptions options,
                                               Handler handler) {
  auto server = HttpServer::Start(std::move(options), std::move(handler));
  if (!server.ok()) {
    ADD_FAILURE() << server.status();
    return nullptr;
  }
  return std::move(*server);
}

inline std::string Url(const HttpServer& server, absl::string_view path,
                       absl::string_view scheme = "http",
                       absl::string_view host = "127.0.0.1") {
  return absl::StrCat(scheme, "://", host, ":", server.port(), path);
}

// Answers with what it was asked, for the client to check:
// "METHOD path?query tls=0|1\n", then "name: value\n" per header, a blank
// line, and the body.
inline void Echo(HttpRequest request, Responder respond) {
  std::string text = absl::StrCat(request.method, " ", request.path, "?",
                                  request.query, " tls=", request.tls, "\n");
  for (const auto& [name, value] : request.headers) {
    absl::StrAppend(&text, name, ": ", value, "\n");
  }
  absl::StrAppend(&text, "\n", request.body);
  HttpResponse response;
  response.headers = {{"Content-Type", "text/plain"}, {"X-Echo", "yes"}};
  response.body = std::move(text);
  std::move(respond)(std::move(response));
}

// Requests whose Responders the test keeps, to answer when and where it
// likes.
class HeldRequests {
 public:
  Handler handler() {
    return [this](HttpRequest request, Responder respond) {
      absl::MutexLock lock(&mu_);
      held_.push_back({std::move(request), std::move(respond)});
      arrived_.SignalAll();
    };
  }
  // The oldest held request, once there is one.
  std::optional<std::pair<HttpRequest, Responder>> Next(
      absl::Duration patience = kPatience) {
    const absl::Time deadline = absl::Now() + patience;
    absl::MutexLock lock(&mu_);
    while (held_.empty()) {
      if (arrived_.WaitWithDeadline(&mu_, deadline)) break;
    }
    if (held_.empty()) return std::nullopt;
    auto next = std::move(held_.front());
    held_.pop_front();
    return next;
  }

 private:
  absl::Mutex mu_;
  absl::CondVar arrived_;
  std::deque<std::pair<HttpRequest, Responder>> held_ ABSL_GUARDED_BY(mu_);
};

struct CurlRequest {
  std::string url;
  std::string method;                // empty: GET, or POST with a body
  std::optional<std::string> body;   // POST body
  bool chunked = false;              // body sent with chunked encoding
  std::vector<std::string> headers;  // "Name: value"
  std::string ca_file;               // HTTPS: trust this certificate
  long http_version = CURL_HTTP_VERSION_1_1;
  long expect_100_timeout_ms = 0;  // 0: curl's default
};

inline CurlRequest Get(std::string url, std::vector<std::string> headers = {}) {
  CurlRequest request;
  request.url = std::move(url);
  request.headers = std::move(headers);
  return request;
}

inline CurlRequest Post(std::string url, std::string body,
                        std::vector<std::string> headers = {}) {
  CurlRequest request = Get(std::move(url), std::move(headers));
  request.body = std::move(body);
  return request;
}

struct CurlResult {
  CURLcode code = CURLE_OK;
  std::string error;
  long status = 0;
  std::string headers;  // every header line, raw
  std::string body;
  long num_connects = 0;
  long http_version = 0;
  absl::Duration elapsed;

  // The value of the last header line of that name (final response).
  std::optional<std::string> Header(absl::string_view name) const {
    std::optional<std::string> found;
    for (absl::string_view line : absl::StrSplit(headers, "\r\n")) {
      const size_t colon = line.find(':');
      if (colon == absl::string_view::npos) continue;
      if (absl::EqualsIgnoreCase(line.substr(0, colon), name)) {
        found = std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)));
      }
    }
    return found;
  }
};

// One curl easy handle: consecutive Fetch()es reuse its connection when the
// server keeps it alive.
class CurlClient {
 public:
  CurlClient() : curl_(curl_easy_init()) {}
  ~CurlClient() {
    curl_easy_cleanup(curl_);
    curl_slist_free_all(header_list_);
  }
  CurlClient(const CurlClient&) = delete;
  CurlClient& operator=(const CurlClient&) = delete;

  CurlResult Fetch(const CurlRequest& request) {
    CurlResult result;
    Setup(request, &result);
    const absl::Time start = absl::Now();
    result.code = curl_easy_perform(curl_);
    Collect(start, &result);
    return result;
  }

  CURL* handle() const { return curl_; }

  // For curl multi: sets the handle up without running it.
  CURL* Prepare(const CurlRequest& request, CurlResult* result) {
    Setup(request, result);
    return curl_;
  }
  void Collect(absl::Time start, CurlResult* result) {
    result->elapsed = absl::Now() - start;
    result->error = error_;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &result->status);
    curl_easy_getinfo(curl_, CURLINFO_NUM_CONNECTS, &result->num_connects);
    curl_easy_getinfo(curl_, CURLINFO_HTTP_VERSION, &result->http_version);
  }

 private:
  static size_t Append(char* data, size_t size, size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
  }
  // Chunked uploads: a few KiB per call, so there are several chunks.
  static size_t ReadBody(char* buffer, size_t size, size_t n, void* self) {
    auto* client = static_cast<CurlClient*>(self);
    const size_t take = std::min(
        {size * n, size_t{3000}, client->upload_.size() - client->uploaded_});
    std::copy_n(client->upload_.data() + client->uploaded_, take, buffer);
    client->uploaded_ += take;
    return take;
  }

  void Setup(const CurlRequest& request, CurlResult* result) {
    curl_easy_reset(curl_);  // keeps the connection cache
    error_[0] = '\0';
    curl_slist_free_all(header_list_);
    header_list_ = nullptr;
    for (const std::string& header : request.headers) {
      header_list_ = curl_slist_append(header_list_, header.c_str());
    }
    curl_easy_setopt(curl_, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(absl::ToInt64Milliseconds(kPatience)));
    curl_easy_setopt(curl_, CURLOPT_HTTP_VERSION, request.http_version);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &Append);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &result->body);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &Append);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &result->headers);
    if (request.body.has_value()) {
      curl_easy_setopt(curl_, CURLOPT_POST, 1L);
      if (request.chunked) {
        upload_ = *request.body;
        uploaded_ = 0;
        curl_easy_setopt(curl_, CURLOPT_READFUNCTION, &ReadBody);
        curl_easy_setopt(curl_, CURLOPT_READDATA, this);
        header_list_ =
            curl_slist_append(header_list_, "Transfer-Encoding: chunked");
      } else {
        curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, request.body->data());
        curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body->size()));
      }
    }
    if (!request.method.empty()) {
      curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      if (request.method == "HEAD") curl_easy_setopt(curl_, CURLOPT_NOBODY, 1L);
    }
    if (request.expect_100_timeout_ms > 0) {
      curl_easy_setopt(curl_, CURLOPT_EXPECT_100_TIMEOUT_MS,
                       request.expect_100_timeout_ms);
    }
    if (!request.ca_file.empty()) {
      curl_easy_setopt(curl_, CURLOPT_CAINFO, request.ca_file.c_str());
    }
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, header_list_);
  }

  CURL* const curl_;
  curl_slist* header_list_ = nullptr;
  char error_[CURL_ERROR_SIZE];
  std::string upload_;
  size_t uploaded_ = 0;
};

// A blocking TCP client for what curl would not send (malformed requests,
// exact bytes, pipelining) and for watching the connection itself.
class RawClient {
 public:
  explicit RawClient(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address),
                           sizeof address) == 0;
  }
  ~RawClient() { ::close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }

  bool Send(absl::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // One response: the head and a Content-Length body; empty if the
  // connection ended first or nothing came in time.
  std::string ReadResponse() {
    const absl::Time deadline = absl::Now() + kPatience;
    size_t head_end;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(deadline)) return "";
    }
    head_end += 4;
    size_t length = 0;
    for (absl::string_view line : absl::StrSplit(
             absl::string_view(buffer_).substr(0, head_end), "\r\n")) {
      if (absl::StartsWithIgnoreCase(line, "content-length:")) {
        (void)absl::SimpleAtoi(absl::StripAsciiWhitespace(line.substr(15)),
                               &length);
      }
    }
    while (buffer_.size() < head_end + length) {
      if (!Fill(deadline)) return "";
    }
    std::string response = buffer_.substr(0, head_end + length);
    buffer_.erase(0, head_end + length);
    return response;
  }

  // True once the server has closed the connection (EOF or reset); what
  // arrived before that is kept in rest().
  bool WaitForClose() {
    const absl::Time deadline = absl::Now() + kPatience;
    while (Fill(deadline)) {
    }
    return closed_;
  }

  const std::string& rest() const { return buffer_; }

 private:
  // Reads what is there; false on EOF, error or deadline.
  bool Fill(absl::Time deadline) {
    const int64_t wait = absl::ToInt64Milliseconds(deadline - absl::Now());
    if (wait <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait)) <= 0) return false;
    char data[65536];
    const ssize_t n = ::recv(fd_, data, sizeof data, 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    buffer_.append(data, static_cast<size_t>(n));
    return true;
  }

  const int fd_;
  bool connected_ = false;
  bool closed_ = false;
  std::string buffer_;
};

inline std::string StatusLine(absl::string_view response) {
  return std::string(response.substr(0, response.find("\r\n")));
}

inline std::string BodyOf(absl::string_view response) {
  const size_t end = response.find("\r\n\r\n");
  return end == absl::string_view::npos ? ""
                                        : std::string(response.substr(end + 4));
}

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "http_server_test.XXXXXX")
            .string();
    path_ = ::mkdtemp(pattern.data()) != nullptr ? pattern : "";
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A self-signed certificate for localhost and 127.0.0.1, made with the
// openssl tool as an operator would.
inline bool MakeCertificate(const std::string& dir, const std::string& name,
                            std::string* cert, std::string* key) {
  *cert = absl::StrCat(dir, "/", name, ".crt");
  *key = absl::StrCat(dir, "/", name, ".key");
  const std::string command = absl::StrCat(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
      "-nodes -days 1 -subj /CN=localhost "
      "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout ",
      *key, " -out ", *cert, " >/dev/null 2>&1");
  return std::system(command.c_str()) == 0;
}

}  // namespace testing_http
}  // namespace hubspot_emulator

#endif  // HUBSPOT_TESTS_EMULATOR_HTTP_HTTP_TEST_UTIL_H_
