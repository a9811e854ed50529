#include "server/http/curl_multi_loop.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace hubspot_gateway {

struct CurlMultiLoop::Transfer {
  uint64_t id = 0;
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  HttpRequest request;
  HttpCallback done;
  HttpResponse response;
  TransferFacts facts;
  // Of a streamed body: bytes handed to libcurl, and whether the source
  // said it ended.
  int64_t body_read = 0;
  bool body_ended = false;
  bool body_too_large = false;
  size_t max_body = 0;
  char error[CURL_ERROR_SIZE] = {0};
};

namespace {

size_t OnBody(char* data, size_t size, size_t nmemb, void* user) {
  auto* t = static_cast<CurlMultiLoop::Transfer*>(user);
  const size_t n = size * nmemb;
  // A huge or endless body fails the call instead of filling memory.
  if (t->response.body.size() + n > t->max_body) {
    t->body_too_large = true;
    return 0;
  }
  t->response.body.append(data, n);
  return n;
}

size_t OnRead(char* buffer, size_t size, size_t nitems, void* user) {
  auto* t = static_cast<CurlMultiLoop::Transfer*>(user);
  const size_t n = t->request.body_source->Read(buffer, size * nitems);
  if (n == BodySource::kWouldBlock) return CURL_READFUNC_PAUSE;
  if (n == 0) t->body_ended = true;
  t->body_read += static_cast<int64_t>(n);
  return n;
}

// Runs each time libcurl is about to send the request on a connection. A
// second time means the connection it was sent on died before any answer
// and libcurl wants to send it again on a new one, without asking: the
// server may have acted on the first. Only a GET or a request its sender
// marked resend_safe may go again this way; for anything else the decision
// is the sender's, who knows what a resend can do (see ClassifyAttempt).
// A streamed body is asked to rewind first (OnSeek), which refuses.
int OnPrereq(void* user, char*, char*, int, int) {
  auto* t = static_cast<CurlMultiLoop::Transfer*>(user);
  if (!t->facts.request_issued) {
    t->facts.request_issued = true;
    return CURL_PREREQFUNC_OK;
  }
  if (t->request.method == "GET" || t->request.resend_safe) {
    ++t->facts.curl_resends;
    return CURL_PREREQFUNC_OK;
  }
  t->facts.resend_refused = true;
  return CURL_PREREQFUNC_ABORT;
}

// libcurl asks a streamed body to start again when it wants to send the
// request once more on a new connection (see OnPrereq), before the request
// goes out again. Never: the gateway decides on resends, and a rewind of
// the spool would also let the caller's side overwrite bytes still needed.
int OnSeek(void* user, curl_off_t, int) {
  auto* t = static_cast<CurlMultiLoop::Transfer*>(user);
  t->facts.resend_refused = true;
  return CURL_SEEKFUNC_CANTSEEK;
}

// "HTTP/1.1 200 OK", "HTTP/2 200": the status, or 0.
int StatusOfStatusLine(absl::string_view line) {
  const size_t space = line.find(' ');
  int status = 0;
  if (space == absl::string_view::npos ||
      !absl::SimpleAtoi(line.substr(space + 1, 3), &status)) {
    return 0;
  }
  return status;
}

size_t OnHeader(char* data, size_t size, size_t nmemb, void* user) {
  auto* t = static_cast<CurlMultiLoop::Transfer*>(user);
  HttpResponse* response = &t->response;
  const size_t n = size * nmemb;
  absl::string_view line(data, n);
  if (absl::StartsWith(line, "HTTP/")) {
    // A new response (after a proxy CONNECT or a 100 Continue): start over.
    response->headers.clear();
    // Interim answers (1xx) and the proxy's answer to CONNECT say nothing
    // of what the server did with the request.
    const int status = StatusOfStatusLine(line);
    if (status >= 200 && t->facts.request_issued) {
      t->facts.response_status = status;
    }
    return n;
  }
  const size_t colon = line.find(':');
  if (colon == absl::string_view::npos) return n;
  std::string name = absl::AsciiStrToLower(line.substr(0, colon));
  absl::string_view value = absl::StripAsciiWhitespace(line.substr(colon + 1));
  response->headers[std::move(name)] = std::string(value);
  return n;
}

absl::Status TransportError(CURLcode code, const char* detail,
                            const TransferFacts& facts) {
  if (facts.resend_refused) {
    return absl::UnavailableError(
        "HubSpot closed a kept-alive connection without answering; the "
        "request may have reached it, so the HTTP client did not send it "
        "again");
  }
  const std::string what =
      absl::StrCat(curl_easy_strerror(code), detail[0] ? ": " : "", detail);
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return absl::DeadlineExceededError(
          absl::StrCat("HubSpot did not answer in time (", what, ")"));
    case CURLE_ABORTED_BY_CALLBACK:
      return absl::CancelledError("call cancelled");
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CIPHER:
      return absl::UnavailableError(
          absl::StrCat("TLS connection to HubSpot failed: ", what));
    default:
      return absl::UnavailableError(
          absl::StrCat("HTTP transfer to HubSpot failed: ", what));
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<CurlMultiLoop>> CurlMultiLoop::Create(
    CurlOptions options) {
  static const CURLcode global_init = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (global_init != CURLE_OK) {
    return absl::InternalError("curl_global_init failed");
  }
  CURLM* multi = curl_multi_init();
  if (multi == nullptr) return absl::InternalError("curl_multi_init failed");
  curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS,
                    options.max_connections);
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, options.max_connections);
  return std::unique_ptr<CurlMultiLoop>(
      new CurlMultiLoop(std::move(options), multi));
}

CurlMultiLoop::CurlMultiLoop(CurlOptions options, CURLM* multi)
    : options_(std::move(options)), multi_(multi) {
  thread_ = std::thread([this] { Run(); });
}

CurlMultiLoop::~CurlMultiLoop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  curl_multi_wakeup(multi_);
  thread_.join();
  for (CURL* easy : idle_handles_) curl_easy_cleanup(easy);
  curl_multi_cleanup(multi_);
}

void CurlMultiLoop::Send(HttpRequest request, HttpCallback done) {
  auto transfer = std::make_unique<Transfer>();
  transfer->request = std::move(request);
  transfer->done = std::move(done);
  {
    absl::MutexLock lock(&mu_);
    transfer->id = next_id_++;
    if (transfer->request.cancellation != nullptr) {
      const uint64_t id = transfer->id;
      // If already cancelled the hook is not installed; the loop sees the
      // flag when it starts the transfer.
      transfer->request.cancellation->SetHook(
          [this, id] { RequestCancel(id); });
    }
    queued_.push_back(std::move(transfer));
  }
  curl_multi_wakeup(multi_);
}

void CurlMultiLoop::RequestResume(uint64_t id) {
  {
    absl::MutexLock lock(&mu_);
    resume_requests_.push_back(id);
  }
  curl_multi_wakeup(multi_);
}

void CurlMultiLoop::RequestCancel(uint64_t id) {
  {
    absl::MutexLock lock(&mu_);
    cancel_requests_.push_back(id);
  }
  curl_multi_wakeup(multi_);
}

void CurlMultiLoop::ConfigureEasy(Transfer& t) {
  CURL* easy = t.easy;
  const HttpRequest& r = t.request;
  curl_easy_setopt(easy, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PRIVATE, &t);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t.error);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(
      easy, CURLOPT_HTTP_VERSION,
      options_.http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1);
  // Over TLS with HTTP/2, wait for a connection being set up to learn
  // whether it multiplexes rather than open another. Without TLS there is no
  // HTTP/2 to wait for, and waiting would serialise calls on HTTP/1.1.
  if (options_.http2 && absl::StartsWith(r.url, "https://")) {
    curl_easy_setopt(easy, CURLOPT_PIPEWAIT, 1L);
  }
  curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  if (options_.accept_compressed) {
    // "": every encoding this libcurl can decode.
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  }
  curl_easy_setopt(easy, CURLOPT_SSLVERSION,
                   options_.tls_1_3_only ? CURL_SSLVERSION_TLSv1_3
                                         : CURL_SSLVERSION_TLSv1_2);
  if (!options_.ca_file.empty()) {
    curl_easy_setopt(easy, CURLOPT_CAINFO, options_.ca_file.c_str());
  }
  if (!options_.cert_file.empty()) {
    curl_easy_setopt(easy, CURLOPT_SSLCERT, options_.cert_file.c_str());
  }
  if (!options_.key_file.empty()) {
    curl_easy_setopt(easy, CURLOPT_SSLKEY, options_.key_file.c_str());
  }
  // Never pick up http_proxy, no_proxy & co from the environment behind the
  // configuration's back: "" disables the proxy, and an empty NOPROXY list
  // keeps a configured one for every host.
  curl_easy_setopt(easy, CURLOPT_PROXY, options_.proxy_url.c_str());
  if (!options_.proxy_url.empty()) {
    curl_easy_setopt(easy, CURLOPT_NOPROXY, "");
    curl_easy_setopt(easy, CURLOPT_HTTPPROXYTUNNEL, 1L);
    if (!options_.proxy_credentials.empty()) {
      curl_easy_setopt(easy, CURLOPT_PROXYAUTH, CURLAUTH_BASIC);
      curl_easy_setopt(easy, CURLOPT_PROXYUSERPWD,
                       options_.proxy_credentials.c_str());
    }
  }

  const absl::Duration remaining = r.deadline - absl::Now();
  const long timeout_ms = std::max<long>(
      1, static_cast<long>(std::min<int64_t>(
             absl::ToInt64Milliseconds(remaining), 24 * 3600 * 1000)));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);

  for (const std::string& h : r.headers) {
    t.header_list = curl_slist_append(t.header_list, h.c_str());
  }
  if (r.method == "POST" && r.body_source != nullptr) {
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    // -1: unknown length, sent with chunked encoding (HTTP/1.1) or as
    // DATA frames until END_STREAM (HTTP/2).
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(r.body_source->Length()));
    curl_easy_setopt(easy, CURLOPT_READFUNCTION, &OnRead);
    // Large uploads: fewer, larger reads and sends.
    curl_easy_setopt(easy, CURLOPT_UPLOAD_BUFFERSIZE, 512L * 1024);
    curl_easy_setopt(easy, CURLOPT_READDATA, &t);
    curl_easy_setopt(easy, CURLOPT_SEEKFUNCTION, &OnSeek);
    curl_easy_setopt(easy, CURLOPT_SEEKDATA, &t);
    t.header_list = curl_slist_append(t.header_list, "Expect:");
    const uint64_t id = t.id;
    r.body_source->SetWaker([this, id] { RequestResume(id); });
  } else if (r.method == "POST") {
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(r.body.size()));
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, r.body.data());
    // libcurl would otherwise send "Expect: 100-continue" for larger bodies.
    t.header_list = curl_slist_append(t.header_list, "Expect:");
  } else if (r.method != "GET") {
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, r.method.c_str());
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t.header_list);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(easy, CURLOPT_PREREQFUNCTION, &OnPrereq);
  curl_easy_setopt(easy, CURLOPT_PREREQDATA, &t);
  t.max_body = options_.max_response_bytes;
}

void CurlMultiLoop::StartQueued(std::vector<std::unique_ptr<Transfer>> queued) {
  for (auto& t : queued) {
    if (t->request.cancellation != nullptr &&
        t->request.cancellation->cancelled()) {
      Complete(std::move(t), CURLE_ABORTED_BY_CALLBACK);
      continue;
    }
    if (absl::Now() >= t->request.deadline) {
      Complete(std::move(t), CURLE_OPERATION_TIMEDOUT);
      continue;
    }
    if (idle_handles_.empty()) {
      t->easy = curl_easy_init();
    } else {
      t->easy = idle_handles_.back();
      idle_handles_.pop_back();
    }
    ConfigureEasy(*t);
    curl_multi_add_handle(multi_, t->easy);
    active_.emplace(t->id, std::move(t));
  }
}

void CurlMultiLoop::CancelActive(uint64_t id) {
  auto it = active_.find(id);
  if (it == active_.end()) return;  // Already finished.
  std::unique_ptr<Transfer> t = std::move(it->second);
  active_.erase(it);
  curl_multi_remove_handle(multi_, t->easy);
  Complete(std::move(t), CURLE_ABORTED_BY_CALLBACK);
}

void CurlMultiLoop::Complete(std::unique_ptr<Transfer> t, CURLcode code) {
  if (t->request.cancellation != nullptr) t->request.cancellation->ClearHook();
  if (t->request.body_source != nullptr)
    t->request.body_source->SetWaker(nullptr);
  if (t->request.body_source == nullptr) {
    t->facts.body_sent_whole = t->facts.request_issued;
  } else {
    const int64_t length = t->request.body_source->Length();
    t->facts.body_bytes_sent = t->body_read;
    t->facts.body_sent_whole =
        t->facts.request_issued &&
        (length >= 0 ? t->body_read >= length : t->body_ended);
  }
  absl::StatusOr<HttpResponse> result;
  if (code == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    t->response.status = static_cast<int>(status);
    result = std::move(t->response);
  } else if (t->body_too_large) {
    result = absl::UnavailableError(
        absl::StrCat("HubSpot's response exceeds the gateway's limit of ",
                     options_.max_response_bytes, " bytes"));
  } else {
    result = TransportError(code, t->error, t->facts);
  }
  if (t->easy != nullptr) {
    curl_easy_reset(t->easy);
    idle_handles_.push_back(t->easy);
  }
  if (t->header_list != nullptr) curl_slist_free_all(t->header_list);
  HttpCallback done = std::move(t->done);
  const TransferFacts facts = t->facts;
  t.reset();
  // With other transfers in flight, hand the callback (parsing, finishing
  // the RPC) to the pool; when idle, running it here saves a thread hop.
  if (options_.callbacks != nullptr && !active_.empty()) {
    options_.callbacks->Run([done = std::move(done), result = std::move(result),
                             facts]() mutable {
      std::move(done)(std::move(result), facts);
    });
  } else {
    std::move(done)(std::move(result), facts);
  }
}

void CurlMultiLoop::Run() {
  while (true) {
    std::vector<std::unique_ptr<Transfer>> queued;
    std::vector<uint64_t> cancels;
    std::vector<uint64_t> resumes;
    bool stopping;
    {
      absl::MutexLock lock(&mu_);
      queued.swap(queued_);
      cancels.swap(cancel_requests_);
      resumes.swap(resume_requests_);
      stopping = stopping_;
    }
    if (stopping) {
      for (auto& t : queued) Complete(std::move(t), CURLE_ABORTED_BY_CALLBACK);
      std::vector<uint64_t> ids;
      for (const auto& [id, t] : active_) ids.push_back(id);
      for (uint64_t id : ids) CancelActive(id);
      // Callbacks may have queued more work; fail it too.
      absl::MutexLock lock(&mu_);
      if (queued_.empty()) return;
      continue;
    }
    StartQueued(std::move(queued));
    for (uint64_t id : cancels) CancelActive(id);
    for (uint64_t id : resumes) {
      auto it = active_.find(id);
      if (it != active_.end())
        curl_easy_pause(it->second->easy, CURLPAUSE_CONT);
    }

    int running = 0;
    curl_multi_perform(multi_, &running);
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Transfer* raw = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &raw);
      const CURLcode code = msg->data.result;
      curl_multi_remove_handle(multi_, msg->easy_handle);
      auto it = active_.find(raw->id);
      std::unique_ptr<Transfer> t = std::move(it->second);
      active_.erase(it);
      Complete(std::move(t), code);
    }
    curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
  }
}

}  // namespace hubspot_gateway
