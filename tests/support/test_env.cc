#include "tests/support/test_env.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/blocking_counter.h"
#include "gtest/gtest.h"
#include "server/common/json.h"

namespace hubspot_gateway::testing {
namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(30);

size_t Collect(char* data, size_t size, size_t nmemb, void* out) {
  static_cast<std::string*>(out)->append(data, size * nmemb);
  return size * nmemb;
}

std::string Post(const std::string& url, absl::string_view body,
                 const std::string& ca_file) {
  CURL* curl = curl_easy_init();
  std::string answer;
  const std::string payload(body);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(curl, CURLOPT_PROXY, "");
  if (!ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file.c_str());
  const CURLcode rc = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  EXPECT_EQ(rc, CURLE_OK) << "control call " << url;
  return answer;
}

void RunOrFail(const std::vector<std::string>& argv) {
  auto p = Subprocess::Start(argv);
  ASSERT_TRUE(p.ok()) << p.status();
  auto rc = (*p)->Wait(absl::Seconds(60));
  ASSERT_TRUE(rc.ok() && *rc == 0)
      << argv[0] << " " << argv[1] << ": " << (*p)->Output();
}

}  // namespace

TempDir::TempDir() {
  const char* base = getenv("TMPDIR");
  std::string pattern =
      absl::StrCat(base ? base : "/tmp", "/hubspot-gateway-test-XXXXXX");
  char* made = mkdtemp(pattern.data());
  if (made == nullptr) {
    ADD_FAILURE() << "mkdtemp failed";
  } else {
    path_ = made;
  }
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::Write(absl::string_view name,
                           absl::string_view content) const {
  const std::string file = absl::StrCat(path_, "/", name);
  const int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  EXPECT_GE(fd, 0) << file;
  if (fd >= 0) {
    EXPECT_EQ(write(fd, content.data(), content.size()),
              static_cast<ssize_t>(content.size()));
    close(fd);
  }
  return file;
}

Certificates MakeCertificates(const TempDir& dir, absl::string_view host,
                              bool expired) {
  const std::string d = dir.path();
  const std::string openssl = "/usr/bin/openssl";
  Certificates c{d + "/ca.pem", d + "/server.pem", d + "/server.key"};
  RunOrFail({openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", d + "/ca.key",
             "-out", c.ca_file, "-days", "2", "-subj", "/CN=gateway-test-ca"});
  RunOrFail({openssl, "req", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", c.key_file,
             "-out", d + "/server.csr", "-subj", absl::StrCat("/CN=", host)});
  const std::string ext =
      dir.Write("san.ext", absl::StrCat("subjectAltName=DNS:", host, "\n"));
  RunOrFail({openssl, "x509", "-req", "-in", d + "/server.csr", "-CA",
             c.ca_file, "-CAkey", d + "/ca.key", "-CAcreateserial", "-out",
             c.cert_file, "-days", expired ? "-1" : "2", "-extfile", ext});
  return c;
}

Certificates MakeClientCertificate(const TempDir& dir,
                                   const Certificates& certs,
                                   const ClientCertificateOptions& options) {
  const std::string d = dir.path();
  const std::string openssl = "/usr/bin/openssl";
  const std::string base = absl::StrCat(d, "/", options.name);
  Certificates c{certs.ca_file, base + ".pem", base + ".key"};
  RunOrFail({openssl, "req", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", c.key_file,
             "-out", base + ".csr", "-subj",
             absl::StrCat("/CN=", options.common_name)});
  std::vector<std::string> sign = {
      openssl, "x509",         "-req",    "-in",  base + ".csr",
      "-CA",   certs.ca_file, "-CAkey", d + "/ca.key", "-CAcreateserial",
      "-out",  c.cert_file,   "-days",  options.expired ? "-1" : "2"};
  if (!options.subject_alt_name.empty()) {
    sign.insert(sign.end(),
                {"-extfile", dir.Write(options.name + ".ext",
                                       absl::StrCat("subjectAltName=",
                                                    options.subject_alt_name,
                                                    "\n"))});
  }
  RunOrFail(sign);
  return c;
}

std::unique_ptr<FakeHubSpot> FakeHubSpot::Start(const Options& o) {
  std::vector<std::string> argv = {"/usr/bin/python3", FAKE_HUBSPOT,
                                   "--token-lifetime",
                                   absl::StrCat(o.token_lifetime_seconds)};
  if (o.rotate_refresh_token) argv.push_back("--rotate-refresh-token");
  if (o.tls != nullptr) {
    argv.insert(argv.end(),
                {"--tls-cert", o.tls->cert_file, "--tls-key", o.tls->key_file});
    if (o.require_client_certificate) {
      argv.insert(argv.end(), {"--tls-client-ca", o.tls->ca_file});
    }
    if (o.tls_1_2_only) argv.push_back("--tls-1-2-only");
  }
  // Secrets travel in the environment, never on a command line.
  std::map<std::string, std::string> env;
  auto put = [&](const char* name, const std::string& v) {
    if (!v.empty()) env[name] = v;
  };
  put("FAKE_HUBSPOT_ACCESS_TOKEN", o.access_token);
  put("FAKE_HUBSPOT_LEGACY_KEY", o.legacy_key);
  put("FAKE_HUBSPOT_CLIENT_ID", o.client_id);
  put("FAKE_HUBSPOT_CLIENT_SECRET", o.client_secret);
  put("FAKE_HUBSPOT_REFRESH_TOKEN", o.refresh_token);
  auto process = Subprocess::Start(argv, env);
  if (!process.ok()) {
    ADD_FAILURE() << process.status();
    return nullptr;
  }
  auto fake = std::unique_ptr<FakeHubSpot>(new FakeHubSpot());
  fake->process_ = *std::move(process);
  std::optional<std::string> line =
      fake->process_->WaitForOutput("PORT ", kStartTimeout);
  int port = 0;
  if (!line || !absl::SimpleAtoi(line->substr(line->find(' ') + 1), &port)) {
    ADD_FAILURE() << "fake HubSpot did not start: " << fake->process_->Output();
    return nullptr;
  }
  const std::string host = o.tls != nullptr
                               ? absl::StrCat("https://localhost:", port)
                               : absl::StrCat("http://127.0.0.1:", port);
  fake->base_url_ = host;
  fake->control_url_ = absl::StrCat(host, "/__control/");
  if (o.tls != nullptr) fake->ca_file_ = o.tls->ca_file;
  return fake;
}

google::protobuf::Struct FakeHubSpot::Control(absl::string_view what,
                                              absl::string_view json) {
  const std::string answer =
      Post(absl::StrCat(control_url_, what), json, ca_file_);
  auto parsed = ParseJsonObject(answer);
  EXPECT_TRUE(parsed.ok()) << what << ": " << answer;
  return parsed.ok() ? *parsed : google::protobuf::Struct();
}

int FakeHubSpot::TokenRequests() {
  return static_cast<int>(
      Control("stats").fields().at("token_requests").number_value());
}

void FakeHubSpot::Respond(absl::string_view path, int status,
                          absl::string_view body_json,
                          const std::map<std::string, std::string>& headers,
                          int times) {
  std::string h = "{";
  for (const auto& [k, v] : headers) {
    absl::StrAppend(&h, h.size() > 1 ? "," : "", "\"", k, "\":\"", v, "\"");
  }
  h += "}";
  Control("respond",
          absl::StrCat("{\"path\":\"", path, "\",\"status\":", status,
                       ",\"body\":", body_json, ",\"headers\":", h,
                       ",\"times\":", times, "}"));
}

void FakeHubSpot::Hang(absl::string_view path) {
  Control("hang", absl::StrCat("{\"path\":\"", path, "\"}"));
}

bool FakeHubSpot::WaitFor(int held, int aborted) {
  google::protobuf::Struct s =
      Control("wait", absl::StrCat("{\"held\":", held, ",\"aborted\":", aborted,
                                   ",\"timeout\":30}"));
  return s.fields().at("held").number_value() >= held &&
         s.fields().at("aborted").number_value() >= aborted;
}

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

std::unique_ptr<Nginx> Nginx::Start(const TempDir& dir,
                                    const Certificates& certs) {
  auto nginx = std::unique_ptr<Nginx>(new Nginx());
  nginx->dir_ = dir.path() + "/nginx";
  std::filesystem::create_directories(nginx->dir_);
  nginx->port_ = FreePort();
  const std::string& d = nginx->dir_;
  const std::string conf = absl::StrCat(
      "worker_processes 1; pid ", d, "/nginx.pid; error_log ", d,
      "/error.log warn;\n", "events { worker_connections 1024; }\n", "http {\n",
      "  log_format proto '$server_protocol $connection';\n", "  access_log ",
      d, "/access.log proto;\n", "  client_body_temp_path ", d,
      "/body; proxy_temp_path ", d, "/proxy;\n", "  fastcgi_temp_path ", d,
      "/fcgi; uwsgi_temp_path ", d, "/uwsgi;\n", "  scgi_temp_path ", d,
      "/scgi;\n", "  server {\n", "    listen 127.0.0.1:", nginx->port_,
      " ssl http2;\n", "    ssl_certificate ", certs.cert_file, ";\n",
      "    ssl_certificate_key ", certs.key_file, ";\n",
      "    default_type application/json;\n",
      "    location ~ ^/crm/v3/imports/[0-9]+$ {\n",
      "      return 200 '{\"id\":\"103\",\"state\":\"DONE\"}';\n", "    }\n",
      "  }\n", "}\n");
  const std::string conf_file = absl::StrCat(d, "/nginx.conf");
  std::ofstream(conf_file) << conf;
  // Daemon mode: nginx returns once it listens.
  auto p = Subprocess::Start(
      {"/usr/sbin/nginx", "-c", conf_file, "-p", d, "-g", "user root;"});
  if (!p.ok()) {
    ADD_FAILURE() << p.status();
    return nullptr;
  }
  absl::StatusOr<int> rc = (*p)->Wait(absl::Seconds(30));
  if (!rc.ok() || *rc != 0) {
    ADD_FAILURE() << "nginx did not start: " << (*p)->Output();
    return nullptr;
  }
  return nginx;
}

Nginx::~Nginx() {
  std::ifstream pid_file(dir_ + "/nginx.pid");
  pid_t pid = 0;
  if (pid_file >> pid && pid > 0) kill(pid, SIGTERM);
}

std::string Nginx::base_url() const {
  return absl::StrCat("https://localhost:", port_);
}

std::vector<std::string> Nginx::AccessLog(size_t at_least) const {
  // nginx logs a request after answering it: the caller may be ahead.
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (true) {
    std::ifstream log(dir_ + "/access.log");
    std::vector<std::string> lines;
    for (std::string line; std::getline(log, line);) lines.push_back(line);
    if (lines.size() >= at_least || absl::Now() > give_up) return lines;
    absl::SleepFor(absl::Milliseconds(5));
  }
}

std::unique_ptr<Gateway> Gateway::Start(
    const TempDir& dir, absl::string_view config_json,
    const std::map<std::string, std::string>& env) {
  std::string json(config_json);
  // Tests about other things run the gateway as a developer would locally:
  // plaintext on loopback, callers without identity allowed everything.
  const size_t open = json.find('{');
  if (open != std::string::npos) {
    if (!absl::StrContains(json, "\"access\"")) {
      json.insert(open + 1,
                  R"("access": {"anonymousPermissions": ["PERMISSION_READ", )"
                  R"("PERMISSION_START", "PERMISSION_CANCEL"], )"
                  R"("anonymousMaxConcurrentUploads": 1000}, )");
    }
    if (!absl::StrContains(json, "\"metricsListenAddress\"")) {
      json.insert(open + 1, R"("metricsListenAddress": "127.0.0.1:0", )");
    }
    if (!absl::StrContains(json, "\"listenerTls\"") &&
        !absl::StrContains(json, "\"allowPlaintext\"")) {
      json.insert(open + 1, R"("allowPlaintext": true, )");
    }
  }
  const std::string config = dir.Write("gateway.json", json);
  std::vector<GivenSecret> secrets;
  for (const auto& [name, value] : env) {
    secrets.push_back({absl::StrCat("environment variable ", name), value});
  }
  // {"file": "…"}: secret files (and certificate paths, harmless to scan).
  std::string audit_path;
  for (absl::string_view rest = json;;) {
    const size_t at = rest.find("\"file\": \"");
    if (at == absl::string_view::npos) break;
    rest.remove_prefix(at + 9);
    const std::string path(rest.substr(0, rest.find('"')));
    std::ifstream in(path, std::ios::binary);
    std::string value(std::istreambuf_iterator<char>(in), {});
    absl::StripAsciiWhitespace(&value);
    secrets.push_back({absl::StrCat("file ", path), value});
  }
  if (const size_t at = json.find("\"audit\": {\"path\": \"");
      at != std::string::npos) {
    const size_t start = at + 19;
    audit_path = json.substr(start, json.find('"', start) - start);
  }
  std::map<std::string, std::string> full_env = env;
  // Keep a developer's proxy settings from bending the test's traffic.
  full_env.emplace("no_proxy", "*");
  auto process = Subprocess::Start(
      {GATEWAY_BINARY, absl::StrCat("--config=", config)}, full_env);
  if (!process.ok()) {
    ADD_FAILURE() << process.status();
    return nullptr;
  }
  auto gw = std::unique_ptr<Gateway>(new Gateway());
  gw->secrets_ = std::move(secrets);
  gw->audit_path_ = std::move(audit_path);
  gw->process_ = *std::move(process);
  std::optional<std::string> line =
      gw->process_->WaitForOutput("\"msg\":\"serving\"", kStartTimeout);
  if (!line) {
    ADD_FAILURE() << "gateway did not start: " << gw->process_->Output();
    return nullptr;
  }
  const std::string key = "\"address\":\"";
  const size_t at = line->find(key) + key.size();
  gw->address_ = line->substr(at, line->find('"', at) - at);
  const std::string metrics_key = "\"metrics_address\":\"";
  if (const size_t m = line->find(metrics_key); m != std::string::npos) {
    const size_t from = m + metrics_key.size();
    gw->metrics_address_ = line->substr(from, line->find('"', from) - from);
  }
  gw->channel_ =
      grpc::CreateChannel(gw->address_, grpc::InsecureChannelCredentials());
  gw->stub_ = hubspot::crm::imports::v1::ImportService::NewStub(gw->channel_);
  return gw;
}

std::string Gateway::Metrics() const {
  std::string body;
  const long status =
      HttpGet(absl::StrCat("http://", metrics_address_, "/metrics"), &body);
  EXPECT_EQ(status, 200) << "GET /metrics of " << metrics_address_;
  return body;
}

Gateway::~Gateway() {
  if (process_ == nullptr) return;
  std::string seen;
  // What it would show Prometheus (nothing, once it has stopped).
  if (!metrics_address_.empty()) {
    HttpGet(absl::StrCat("http://", metrics_address_, "/metrics"), &seen);
  }
  seen += process_->Output();
  if (!audit_path_.empty()) {
    std::ifstream in(audit_path_, std::ios::binary);
    seen.append(std::istreambuf_iterator<char>(in), {});
  }
  for (const GivenSecret& secret : secrets_) {
    // Short values (a port, "x") would match by chance.
    if (secret.value.size() < 8) continue;
    if (absl::StrContains(seen, secret.value)) {
      ADD_FAILURE() << "the gateway's output shows the secret from "
                    << secret.where;
    }
  }
}

grpc::Status Gateway::GetImport(int64_t import_id,
                                hubspot::crm::imports::v1::Import* out) {
  hubspot::crm::imports::v1::GetImportRequest request;
  request.set_import_id(import_id);
  hubspot::crm::imports::v1::Import ignored;
  return stub_->GetImport(ContextWithTimeout().get(), request,
                          out != nullptr ? out : &ignored);
}

std::vector<Gateway::GetResult> Gateway::ConcurrentGetImports(
    const std::vector<int64_t>& ids) {
  struct Call {
    grpc::ClientContext context;
    hubspot::crm::imports::v1::GetImportRequest request;
  };
  std::vector<Call> calls(ids.size());
  std::vector<GetResult> results(ids.size());
  absl::BlockingCounter done(static_cast<int>(ids.size()));
  for (size_t i = 0; i < ids.size(); ++i) {
    calls[i].context.set_deadline(
        absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    calls[i].request.set_import_id(ids[i]);
    GetResult* result = &results[i];
    stub_->async()->GetImport(&calls[i].context, &calls[i].request,
                              &result->import, [result, &done](grpc::Status s) {
                                result->status = std::move(s);
                                done.DecrementCount();
                              });
  }
  done.Wait();
  return results;
}

std::string GatewayConfig(absl::string_view base_url,
                          absl::string_view credentials_json,
                          absl::string_view extra_hubspot,
                          absl::string_view extra_top) {
  // Tests burst far beyond HubSpot's budget: the client-side limit stays
  // off unless a test is about it.
  const std::string limit =
      absl::StrContains(extra_hubspot, "\"rateLimit\"")
          ? ""
          : R"("rateLimit": {"requestsPerInterval": 0}, )";
  return absl::StrCat(R"({"listenAddress": "127.0.0.1:0", )", extra_top,
                      R"("hubspot": {"baseUrl": ")", base_url, R"(", )",
                      extra_hubspot, limit, R"("credentials": )",
                      credentials_json,
                      "}}");
}

void FakeAndGatewayTest::StartFakeAndGateway(absl::string_view token,
                                             absl::string_view extra_hubspot,
                                             absl::string_view extra_top) {
  FakeHubSpot::Options options;
  options.access_token = std::string(token);
  fake_ = FakeHubSpot::Start(options);
  ASSERT_NE(fake_, nullptr);
  gateway_ = Gateway::Start(
      dir_,
      GatewayConfig(fake_->base_url(),
                    R"({"privateAppToken": {"env": "HS_TOKEN"}})",
                    extra_hubspot, extra_top),
      {{"HS_TOKEN", std::string(token)}});
  ASSERT_NE(gateway_, nullptr);
}

namespace {
size_t AppendBody(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}
}  // namespace

long HttpGet(const std::string& url, std::string* body) {
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_PROXY, "");
  long status = 0;
  if (curl_easy_perform(curl) == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  }
  curl_easy_cleanup(curl);
  return status;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<google::protobuf::Struct> AuditLines(const std::string& path) {
  std::vector<google::protobuf::Struct> lines;
  for (absl::string_view line :
       absl::StrSplit(ReadFile(path), '\n', absl::SkipEmpty())) {
    auto parsed = ParseJsonObject(line);
    EXPECT_TRUE(parsed.ok()) << line;
    if (parsed.ok()) lines.push_back(*parsed);
  }
  return lines;
}

std::unique_ptr<grpc::ClientContext> ContextWithTimeout(
    absl::Duration timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return context;
}

}  // namespace hubspot_gateway::testing
