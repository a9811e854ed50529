#include "tests/support/emulator.h"

#include <curl/curl.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "server/common/json.h"

namespace hubspot_gateway::testing {
namespace {

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

std::string JsonList(const std::vector<std::string>& values) {
  std::vector<std::string> quoted;
  for (const std::string& v : values) quoted.push_back(JsonQuote(v));
  return absl::StrCat("[", absl::StrJoin(quoted, ","), "]");
}

}  // namespace

std::unique_ptr<Emulator> Emulator::Start(const TempDir& dir,
                                          const Options& o) {
  std::string credentials =
      absl::StrCat(R"({"privateAppTokens": )", JsonList(o.private_app_tokens),
                   R"(, "privateAppLegacyKeys": )", JsonList(o.legacy_keys));
  if (!o.client_id.empty()) {
    absl::StrAppend(&credentials, R"(, "oauth": [{"clientId": )",
                    JsonQuote(o.client_id), R"(, "clientSecret": )",
                    JsonQuote(o.client_secret), R"(, "refreshTokens": )",
                    JsonList(o.refresh_tokens), "}]");
  }
  credentials += "}";
  // Secrets go in a file, never on a command line.
  const std::string file = dir.Write("emulator-credentials.json", credentials);
  std::vector<std::string> argv = {EMULATOR_BINARY, "--credentials_file=" + file};
  if (o.tls != nullptr) {
    argv.insert(argv.end(), {"--http_port=-1", "--https_port=0",
                             "--tls_cert=" + o.tls->cert_file,
                             "--tls_key=" + o.tls->key_file});
  } else {
    argv.push_back("--http_port=0");
  }
  argv.insert(argv.end(), o.flags.begin(), o.flags.end());
  auto process = Subprocess::Start(argv);
  if (!process.ok()) {
    ADD_FAILURE() << process.status();
    return nullptr;
  }
  auto emulator = std::unique_ptr<Emulator>(new Emulator());
  emulator->process_ = *std::move(process);
  std::optional<std::string> line = emulator->process_->WaitForOutput(
      "HubSpot emulator listening", absl::Seconds(20));
  const size_t at = line ? line->find("\"url\":\"") : std::string::npos;
  if (at == std::string::npos) {
    ADD_FAILURE() << "emulator did not start: " << emulator->process_->Output();
    return nullptr;
  }
  std::string url = line->substr(at + 7, line->find('"', at + 7) - at - 7);
  if (o.tls != nullptr) {
    // The certificate names localhost, not the address.
    url = absl::StrCat("https://localhost", url.substr(url.rfind(':')));
    emulator->ca_file_ = o.tls->ca_file;
  }
  emulator->base_url_ = url;
  return emulator;
}

long Emulator::Call(absl::string_view method, absl::string_view path,
                    absl::string_view body, std::string* answer,
                    const std::vector<std::string>& headers) {
  CURL* curl = curl_easy_init();
  const std::string url = absl::StrCat(base_url_, path);
  const std::string m(method), payload(body);
  curl_slist* list = nullptr;
  for (const std::string& h : headers) list = curl_slist_append(list, h.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, m.c_str());
  if (m != "GET") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(payload.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, answer);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(curl, CURLOPT_PROXY, "");
  if (!ca_file_.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file_.c_str());
  long status = 0;
  const CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  EXPECT_EQ(rc, CURLE_OK) << method << " " << url;
  return status;
}

google::protobuf::Struct Emulator::Control(absl::string_view what,
                                           absl::string_view json) {
  std::string answer;
  const long status =
      Call("POST", absl::StrCat("/__emulator/", what), json, &answer);
  EXPECT_EQ(status, 200) << what << ": " << answer;
  auto parsed = ParseJsonObject(answer);
  EXPECT_TRUE(parsed.ok()) << what << ": " << answer;
  return parsed.ok() ? *parsed : google::protobuf::Struct();
}

google::protobuf::Struct Emulator::State() {
  std::string answer;
  EXPECT_EQ(Call("GET", "/__emulator/state", "", &answer), 200) << answer;
  auto parsed = ParseJsonObject(answer);
  EXPECT_TRUE(parsed.ok()) << answer;
  return parsed.ok() ? *parsed : google::protobuf::Struct();
}

std::unique_ptr<Gateway> StartGatewayFor(const TempDir& dir,
                                         const Emulator& emulator,
                                         absl::string_view token,
                                         absl::string_view extra_hubspot) {
  return Gateway::Start(
      dir,
      GatewayConfig(emulator.base_url(),
                    R"({"privateAppToken": {"env": "HS_TOKEN"}})",
                    extra_hubspot),
      {{"HS_TOKEN", std::string(token)}});
}

std::string ReadSample(absl::string_view name) {
  std::ifstream in(absl::StrCat(SAMPLES_DIR, "/", name));
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_FALSE(s.str().empty()) << name;
  return s.str();
}

}  // namespace hubspot_gateway::testing
