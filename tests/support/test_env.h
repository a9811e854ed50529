#ifndef HUBSPOT_GATEWAY_TESTS_SUPPORT_TEST_ENV_H_
#define HUBSPOT_GATEWAY_TESTS_SUPPORT_TEST_ENV_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/struct.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "hubspot/crm/imports/v1/import_service.grpc.pb.h"
#include "tests/support/subprocess.h"

namespace hubspot_gateway::testing {

// A private directory removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  // Writes `content` to path()/name with mode 0600 and returns the path.
  std::string Write(absl::string_view name, absl::string_view content) const;

 private:
  std::string path_;
};

struct Certificates {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
};
// A fresh CA and a server certificate it signed for `host` (a DNS SAN),
// made with the openssl command in `dir`.
// With `expired`, the server certificate's validity ended yesterday.
Certificates MakeCertificates(const TempDir& dir, absl::string_view host,
                              bool expired = false);
struct ClientCertificateOptions {
  // Files are <name>.pem and <name>.key.
  std::string name = "client";
  std::string common_name = "hubspot-imports-gateway";
  // An extra subjectAltName, e.g. "URI:spiffe://cluster.local/ns/a/sa/b".
  std::string subject_alt_name;
  // Validity ended yesterday.
  bool expired = false;
};
// A client certificate signed by the CA of `certs` (made in the same `dir`),
// for mutual TLS; its ca_file is that CA.
Certificates MakeClientCertificate(const TempDir& dir,
                                   const Certificates& certs,
                                   const ClientCertificateOptions& options = {});

// tests/fake_hubspot/fake_hubspot.py, started for one test.
class FakeHubSpot {
 public:
  struct Options {
    std::string access_token;
    std::string legacy_key;
    std::string client_id;
    std::string client_secret;
    std::string refresh_token;
    int token_lifetime_seconds = 1800;
    bool rotate_refresh_token = false;
    const Certificates* tls = nullptr;  // HTTPS when set
    // Requires client certificates signed by tls->ca_file when true.
    bool require_client_certificate = false;
    // Offers nothing newer than TLS 1.2 when true.
    bool tls_1_2_only = false;
  };
  static std::unique_ptr<FakeHubSpot> Start(const Options& options);

  // e.g. http://127.0.0.1:4242, or https://localhost:4242 with TLS.
  const std::string& base_url() const { return base_url_; }
  // POSTs to /__control/<what>; returns the parsed answer.
  google::protobuf::Struct Control(absl::string_view what,
                                   absl::string_view json = "{}");
  int TokenRequests();
  // Scripts the next `times` answers to `path`.
  void Respond(absl::string_view path, int status, absl::string_view body_json,
               const std::map<std::string, std::string>& headers = {},
               int times = 1);
  // Holds the next request to `path` until the client goes away.
  void Hang(absl::string_view path);
  // Blocks until `held` requests were held and `aborted` of them aborted.
  bool WaitFor(int held, int aborted);

 private:
  std::unique_ptr<Subprocess> process_;
  std::string base_url_;
  std::string control_url_;
  std::string ca_file_;
};

// Debian's nginx over TLS (HTTP/2 and HTTP/1.1 by ALPN), answering GetImport
// with a fixed import, logging "$server_protocol $connection" per request.
class Nginx {
 public:
  static std::unique_ptr<Nginx> Start(const TempDir& dir,
                                      const Certificates& certs);
  ~Nginx();
  std::string base_url() const;
  // One line per request served so far, once there are `at_least` (or 10 s
  // passed).
  std::vector<std::string> AccessLog(size_t at_least = 0) const;

 private:
  std::string dir_;
  int port_ = 0;
};

// The gateway binary, started for one test with a generated config file.
class Gateway {
 public:
  // Writes `config_json` to `dir`, starts the binary and waits until it
  // serves. `env` is added to the environment (secrets go there or in files).
  // A configuration silent about exposure gets the local setup: without
  // "listenerTls"/"allowPlaintext", allowPlaintext; without "access", every
  // permission for calls without identity. stub() speaks plaintext.
  static std::unique_ptr<Gateway> Start(
      const TempDir& dir, absl::string_view config_json,
      const std::map<std::string, std::string>& env = {});

  hubspot::crm::imports::v1::ImportService::Stub& stub() { return *stub_; }
  // GetImport with a 30 s deadline; `out` may be null.
  grpc::Status GetImport(int64_t import_id,
                         hubspot::crm::imports::v1::Import* out = nullptr);
  struct GetResult {
    grpc::Status status;
    hubspot::crm::imports::v1::Import import;
  };
  // One GetImport per id, all in flight at once; waits for every answer.
  std::vector<GetResult> ConcurrentGetImports(const std::vector<int64_t>& ids);
  const std::string& address() const { return address_; }
  // "127.0.0.1:port" of its metrics endpoint (every test gateway has one
  // unless its configuration says otherwise), and one scrape of it.
  const std::string& metrics_address() const { return metrics_address_; }
  std::string Metrics() const;
  Subprocess& process() { return *process_; }
  std::string Log() const { return process_->Output(); }

  // Fails the test if the gateway's output, audit file or metrics show a
  // secret it was given: a value of `env`, or the content of a file the
  // configuration names as {"file": …}. So every integration test checks
  // that no secret reaches a log line, an error message (failed calls are
  // logged with their message) or a metric.
  ~Gateway();

 private:
  struct GivenSecret {
    std::string where;  // "environment variable X" or "file F"
    std::string value;
  };
  std::vector<GivenSecret> secrets_;
  std::string audit_path_;
  std::unique_ptr<Subprocess> process_;
  std::string address_;
  std::string metrics_address_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<hubspot::crm::imports::v1::ImportService::Stub> stub_;
};

// Config JSON for a gateway on 127.0.0.1:0 forwarding to `base_url`, with
// `credentials_json` as the "credentials" object and `extra_hubspot` spliced
// into the "hubspot" object (e.g. "\"timeout\": \"1s\","). The client-side
// rate limit is off unless `extra_hubspot` sets "rateLimit".
std::string GatewayConfig(absl::string_view base_url,
                          absl::string_view credentials_json,
                          absl::string_view extra_hubspot = "",
                          absl::string_view extra_top = "");

// A loopback port that was free when asked.
int FreePort();

// The setting of most integration tests: a fake HubSpot that accepts one
// private app token, and a gateway that sends it (from $HS_TOKEN).
class FakeAndGatewayTest : public ::testing::Test {
 protected:
  // `extra_hubspot` and `extra_top` as for GatewayConfig.
  void StartFakeAndGateway(absl::string_view token,
                           absl::string_view extra_hubspot = "",
                           absl::string_view extra_top = "");

  TempDir dir_;
  std::unique_ptr<FakeHubSpot> fake_;
  std::unique_ptr<Gateway> gateway_;
};

// GET `url` (plain HTTP, no proxy): the status, and the body in `body`; 0
// when nothing answered.
long HttpGet(const std::string& url, std::string* body);

// The whole content of a file; empty when it cannot be read.
std::string ReadFile(const std::string& path);

// The audit trail at `path`, one parsed object per line.
std::vector<google::protobuf::Struct> AuditLines(const std::string& path);

// A client context with a deadline `timeout` from now.
std::unique_ptr<grpc::ClientContext> ContextWithTimeout(
    absl::Duration timeout = absl::Seconds(30));

}  // namespace hubspot_gateway::testing

#endif  // HUBSPOT_GATEWAY_TESTS_SUPPORT_TEST_ENV_H_
