#ifndef HUBSPOT_GATEWAY_HTTP_CURL_MULTI_LOOP_H_
#define HUBSPOT_GATEWAY_HTTP_CURL_MULTI_LOOP_H_

#include <curl/curl.h>

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/common/thread_pool.h"
#include "server/http/http_upstream.h"

namespace hubspot_gateway {

struct CurlOptions {
  // HTTP/2 over TLS by ALPN (HTTP/1.1 when declined); false: HTTP/1.1 only.
  bool http2 = true;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  // TLS 1.3 as the oldest version accepted; else TLS 1.2.
  bool tls_1_3_only = false;
  std::string proxy_url;
  // "user:password" for the proxy; empty: none.
  std::string proxy_credentials;
  long max_connections = 32;
  // Send Accept-Encoding with every encoding libcurl decodes, and decode.
  bool accept_compressed = true;
  // Larger (decoded) response bodies fail the transfer rather than exhaust memory.
  size_t max_response_bytes = 16 << 20;
  // Where completion callbacks run; on the loop thread when null. Must
  // outlive the loop.
  ThreadPool* callbacks = nullptr;
};

// Drives every transfer of the gateway from one thread through libcurl's
// multi interface: no thread ever blocks on HubSpot, connections (and HTTP/2
// streams) are reused across calls.
class CurlMultiLoop final : public HttpUpstream {
 public:
  static absl::StatusOr<std::unique_ptr<CurlMultiLoop>> Create(
      CurlOptions options);
  // Fails every transfer still in flight with CANCELLED, then joins.
  ~CurlMultiLoop() override;

  void Send(HttpRequest request, HttpCallback done) override;

  // One transfer's state; public only for libcurl's C callbacks.
  struct Transfer;

 private:
  CurlMultiLoop(CurlOptions options, CURLM* multi);
  void Run();
  void StartQueued(std::vector<std::unique_ptr<Transfer>> queued);
  void CancelActive(uint64_t id);
  void Complete(std::unique_ptr<Transfer> transfer, CURLcode code);
  void ConfigureEasy(Transfer& t);
  void RequestCancel(uint64_t id);
  void RequestResume(uint64_t id);

  const CurlOptions options_;
  CURLM* const multi_;

  absl::Mutex mu_;
  std::vector<std::unique_ptr<Transfer>> queued_ ABSL_GUARDED_BY(mu_);
  std::vector<uint64_t> cancel_requests_ ABSL_GUARDED_BY(mu_);
  std::vector<uint64_t> resume_requests_ ABSL_GUARDED_BY(mu_);
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;

  // Loop thread only.
  absl::flat_hash_map<uint64_t, std::unique_ptr<Transfer>> active_;
  std::vector<CURL*> idle_handles_;

  std::thread thread_;
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_HTTP_CURL_MULTI_LOOP_H_
