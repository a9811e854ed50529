// Who may call: the gateway's TLS listener, client certificates (mutual
// TLS, SPIFFE-style URI names), bearer tokens stored as hashes, per-caller
// permissions, closed health, the audit trail, and certificates renewed on
// disk while connections stay up. Every refusal happens before any HubSpot
// traffic (the emulator counts requests).

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "server/common/json.h"
#include "tests/support/emulator.h"
#include "tests/support/test_env.h"
#include "tests/support/uploads.h"

namespace hubspot_gateway::testing {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
namespace health = ::grpc::health::v1;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kHubSpotToken[] = "pat-access-test-hubspot-token";
constexpr char kReportingToken[] = "caller-token-reporting-5f1d";
constexpr char kOperatorToken[] = "caller-token-operator-9c2e";
constexpr char kLoaderSpiffe[] = "spiffe://cluster.local/ns/etl/sa/loader";

// What a caller presents: the CA it trusts, maybe a certificate, maybe a
// token.
struct Client {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string token;
};

Client WithToken(std::string token) {
  Client c;
  c.token = std::move(token);
  return c;
}
Client WithCertificate(const Certificates& certificate) {
  Client c;
  c.cert_file = certificate.cert_file;
  c.key_file = certificate.key_file;
  return c;
}
Client Trusting(const std::string& ca_file) {
  Client c;
  c.ca_file = ca_file;
  return c;
}

ClientCertificateOptions Named(std::string name, std::string san,
                               bool expired = false) {
  ClientCertificateOptions o;
  o.name = std::move(name);
  o.subject_alt_name = std::move(san);
  o.expired = expired;
  return o;
}

std::shared_ptr<grpc::Channel> Connect(const std::string& address,
                                       const Client& client) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadFile(client.ca_file);
  if (!client.cert_file.empty()) {
    ssl.pem_cert_chain = ReadFile(client.cert_file);
    ssl.pem_private_key = ReadFile(client.key_file);
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      grpc::SslCredentials(ssl);
  if (!client.token.empty()) {
    credentials = grpc::CompositeChannelCredentials(
        credentials, grpc::AccessTokenCredentials(client.token));
  }
  grpc::ChannelArguments args;
  // The listener's certificate is for "localhost"; the gateway listens on
  // 127.0.0.1.
  args.SetSslTargetNameOverride("localhost");
  // Each channel its own connection, so that one test's handshake cannot
  // be reused by another.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(address, credentials, args);
}

grpc::Status GetImport(const std::shared_ptr<grpc::Channel>& channel,
                       int64_t id) {
  auto stub = v1::ImportService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  v1::GetImportRequest request;
  request.set_import_id(id);
  v1::Import import;
  return stub->GetImport(&context, request, &import);
}

grpc::Status CancelImport(const std::shared_ptr<grpc::Channel>& channel,
                          int64_t id) {
  auto stub = v1::ImportService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  v1::CancelImportRequest request;
  request.set_import_id(id);
  v1::CancelImportResponse response;
  return stub->CancelImport(&context, request, &response);
}

grpc::Status UploadSample(const std::shared_ptr<grpc::Channel>& channel,
                          v1::Import* import) {
  auto stub = v1::ImportService::NewStub(channel);
  v1::StartImportRequest start;
  start.mutable_start()->set_import_request_json(
      ReadSample("contacts.import.json"));
  start.mutable_start()->add_files()->set_file_name("contacts.csv");
  return SendStartImport(
      *stub, {start, Chunk(0, ReadSample("contacts.csv")), End()}, import);
}

grpc::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = health::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  health::HealthCheckRequest request;
  health::HealthCheckResponse response;
  return stub->Check(&context, request, &response);
}

class AccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    certs_ = MakeCertificates(dir_, "localhost");
    const std::string loader_san = absl::StrCat("URI:", kLoaderSpiffe);
    loader_ = MakeClientCertificate(dir_, certs_, Named("loader", loader_san));
    stranger_ = MakeClientCertificate(
        dir_, certs_,
        Named("stranger", "URI:spiffe://cluster.local/ns/other/sa/x"));
    expired_ = MakeClientCertificate(
        dir_, certs_, Named("expired", loader_san, /*expired=*/true));
    other_ca_ = MakeCertificates(other_dir_, "localhost");
    foreign_ = MakeClientCertificate(other_dir_, other_ca_,
                                     Named("foreign", loader_san));

    Emulator::Options options;
    options.private_app_tokens = {kHubSpotToken};
    emulator_ = Emulator::Start(dir_, options);
    ASSERT_NE(emulator_, nullptr);
    audit_path_ = dir_.path() + "/audit.jsonl";
    const std::string config = absl::StrCat(
        R"({"listenAddress": "127.0.0.1:0", "probeListenAddress": "127.0.0.1:0",
            "listenerTls": {"certFile": ")", certs_.cert_file,
        R"(", "keyFile": ")", certs_.key_file, R"(", "clientCaFile": ")",
        certs_.ca_file, R"(", "requireClientCertificate": false},
            "access": {"openHealth": false, "callers": [
              {"name": "reporting", "tokenSha256": [")",
        Hex(Sha256(kReportingToken)),
        R"("], "permissions": ["PERMISSION_READ"]},
              {"name": "loader", "certificateNames": [")",
        kLoaderSpiffe,
        R"("], "permissions": ["PERMISSION_READ", "PERMISSION_START"]},
              {"name": "operator", "tokenSha256": [")",
        Hex(Sha256(kOperatorToken)),
        R"("], "permissions": ["PERMISSION_READ", "PERMISSION_START",
                                 "PERMISSION_CANCEL"]}]},
            "audit": {"path": ")",
        audit_path_, R"("},
            "hubspot": {"baseUrl": ")",
        emulator_->base_url(),
        R"(", "rateLimit": {"requestsPerInterval": 0},
                        "credentials": {"privateAppToken": {"env": "HS"}}}})");
    gateway_ = Gateway::Start(dir_, config, {{"HS", kHubSpotToken}});
    ASSERT_NE(gateway_, nullptr);
  }

  std::shared_ptr<grpc::Channel> As(Client client) {
    if (client.ca_file.empty()) client.ca_file = certs_.ca_file;
    return Connect(gateway_->address(), client);
  }

  int64_t HubSpotRequests() {
    return static_cast<int64_t>(
        emulator_->State().fields().at("requests").number_value());
  }

  // Runs `call` and checks that it did not reach HubSpot (the emulator's
  // own State request is the only one counted in between).
  template <typename Call>
  grpc::Status WithoutHubSpot(Call call) {
    const int64_t before = HubSpotRequests();
    grpc::Status status = call();
    EXPECT_EQ(HubSpotRequests(), before + 1) << "the call reached HubSpot";
    return status;
  }

  std::vector<google::protobuf::Struct> AuditLines() {
    return ::hubspot_gateway::testing::AuditLines(audit_path_);
  }

  TempDir dir_;
  TempDir other_dir_;
  Certificates certs_, loader_, stranger_, expired_, other_ca_, foreign_;
  std::unique_ptr<Emulator> emulator_;
  std::unique_ptr<Gateway> gateway_;
  std::string audit_path_;
};

TEST_F(AccessTest, PlaintextCallersCannotConnect) {
  auto plaintext =
      grpc::CreateChannel(gateway_->address(), grpc::InsecureChannelCredentials());
  EXPECT_EQ(WithoutHubSpot([&] { return GetImport(plaintext, 1); }).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(AccessTest, CallWithoutIdentityIsUnauthenticated) {
  grpc::Status status = WithoutHubSpot([&] { return GetImport(As(Client()), 1); });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("no identity"));
}

TEST_F(AccessTest, UnknownTokenIsUnauthenticated) {
  grpc::Status status = WithoutHubSpot(
      [&] { return GetImport(As(WithToken("caller-token-guessed")), 1); });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), Not(HasSubstr("caller-token-guessed")));
}

TEST_F(AccessTest, ReadOnlyTokenReadsButMayNotStartOrCancel) {
  auto reporting = As(WithToken(kReportingToken));
  // Reached HubSpot (the emulator knows no import 1).
  EXPECT_EQ(GetImport(reporting, 1).error_code(), grpc::StatusCode::NOT_FOUND);
  v1::Import import;
  grpc::Status start =
      WithoutHubSpot([&] { return UploadSample(reporting, &import); });
  EXPECT_EQ(start.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(start.error_message(),
              HasSubstr("caller \"reporting\" may not call StartImport: it "
                        "needs PERMISSION_START"));
  grpc::Status cancel = WithoutHubSpot([&] { return CancelImport(reporting, 1); });
  EXPECT_EQ(cancel.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(cancel.error_message(), HasSubstr("PERMISSION_CANCEL"));
}

TEST_F(AccessTest, ClientCertificateIdentifiesTheLoader) {
  auto loader = As(WithCertificate(loader_));
  v1::Import import;
  grpc::Status start = UploadSample(loader, &import);
  ASSERT_TRUE(start.ok()) << start.error_message();
  EXPECT_GT(import.id(), 0);
  grpc::Status cancel =
      WithoutHubSpot([&] { return CancelImport(loader, import.id()); });
  EXPECT_EQ(cancel.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(cancel.error_message(), HasSubstr("caller \"loader\""));
}

TEST_F(AccessTest, CertificateOfNoCallerIsUnauthenticated) {
  auto stranger =
      As(WithCertificate(stranger_));
  grpc::Status status = WithoutHubSpot([&] { return GetImport(stranger, 1); });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(),
              HasSubstr("spiffe://cluster.local/ns/other/sa/x"));
}

TEST_F(AccessTest, CertificateFromAnotherCaIsRefusedAtTheHandshake) {
  auto foreign =
      As(WithCertificate(foreign_));
  EXPECT_EQ(WithoutHubSpot([&] { return GetImport(foreign, 1); }).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(AccessTest, ExpiredCertificateIsRefusedAtTheHandshake) {
  auto expired =
      As(WithCertificate(expired_));
  EXPECT_EQ(WithoutHubSpot([&] { return GetImport(expired, 1); }).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(AccessTest, ClosedHealthNeedsAnIdentity) {
  EXPECT_EQ(CheckHealth(As(Client())).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CheckHealth(As(WithToken("caller-token-guessed"))).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  grpc::Status status = CheckHealth(As(WithToken(kReportingToken)));
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(AccessTest, ProbePortAnswersHealthOnlyInPlaintext) {
  const std::string log = gateway_->Log();
  const std::string key = "\"probe_address\":\"";
  const size_t at = log.find(key);
  ASSERT_NE(at, std::string::npos) << log;
  const std::string probe =
      log.substr(at + key.size(), log.find('"', at + key.size()) - at - key.size());
  auto channel = grpc::CreateChannel(probe, grpc::InsecureChannelCredentials());
  // Kubernetes' probes carry no identity and speak no TLS.
  grpc::Status health = CheckHealth(channel);
  EXPECT_TRUE(health.ok()) << health.error_message();
  grpc::Status call = WithoutHubSpot([&] { return GetImport(channel, 1); });
  EXPECT_EQ(call.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(call.error_message(), HasSubstr("health checks only"));
}

TEST_F(AccessTest, AuditTrailRecordsMutationsAndRefusals) {
  auto operator_channel = As(WithToken(kOperatorToken));
  v1::Import import;
  grpc::Status start = UploadSample(operator_channel, &import);
  ASSERT_TRUE(start.ok()) << start.error_message();
  EXPECT_TRUE(CancelImport(operator_channel, import.id()).ok());
  EXPECT_EQ(GetImport(As(WithToken("caller-token-guessed")), 1).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CancelImport(As(WithToken(kReportingToken)), 7).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Reads that were allowed are not audited.
  EXPECT_EQ(GetImport(operator_channel, import.id()).error_code(),
            grpc::StatusCode::OK);

  // Written before the call's answer, so complete by now.
  const std::vector<google::protobuf::Struct> lines = AuditLines();
  ASSERT_EQ(lines.size(), 4u) << ReadFile(audit_path_);
  auto field = [](const google::protobuf::Struct& s, const char* name) {
    auto it = s.fields().find(name);
    return it == s.fields().end() ? google::protobuf::Value() : it->second;
  };
  const auto& started = lines[0];
  EXPECT_EQ(field(started, "rpc").string_value(), "StartImport");
  EXPECT_EQ(field(started, "caller").string_value(), "operator");
  EXPECT_EQ(field(started, "outcome").string_value(), "OK");
  EXPECT_EQ(field(started, "import_id").number_value(),
            static_cast<double>(import.id()));
  const google::protobuf::Struct file =
      field(started, "files").list_value().values(0).struct_value();
  const std::string csv = ReadSample("contacts.csv");
  EXPECT_EQ(field(file, "name").string_value(), "contacts.csv");
  EXPECT_EQ(field(file, "size_bytes").number_value(),
            static_cast<double>(csv.size()));
  EXPECT_EQ(field(file, "sha256").string_value(), Hex(Sha256(csv)));
  EXPECT_THAT(field(started, "peer").string_value(), HasSubstr("127.0.0.1"));

  EXPECT_EQ(field(lines[1], "rpc").string_value(), "CancelImport");
  EXPECT_EQ(field(lines[1], "outcome").string_value(), "OK");
  EXPECT_EQ(field(lines[1], "import_id").number_value(),
            static_cast<double>(import.id()));

  EXPECT_EQ(field(lines[2], "rpc").string_value(), "GetImport");
  EXPECT_EQ(field(lines[2], "outcome").string_value(), "UNAUTHENTICATED");
  EXPECT_EQ(field(lines[2], "caller").string_value(), "");

  EXPECT_EQ(field(lines[3], "rpc").string_value(), "CancelImport");
  EXPECT_EQ(field(lines[3], "caller").string_value(), "reporting");
  EXPECT_EQ(field(lines[3], "outcome").string_value(), "PERMISSION_DENIED");

  struct stat st;
  ASSERT_EQ(stat(audit_path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  for (const std::string& text : {ReadFile(audit_path_), gateway_->Log()}) {
    for (const char* secret : {kOperatorToken, kReportingToken, kHubSpotToken,
                               "caller-token-guessed"}) {
      EXPECT_THAT(text, Not(HasSubstr(secret)));
    }
    EXPECT_THAT(text, Not(HasSubstr("Pioneers")));  // no file content
  }
}

// Certificate renewal: new files are served to new connections without a
// restart, and an open connection carries on.
TEST(ListenerCertificateReloadTest, RenewedCertificateIsServedWithoutDroppingConnections) {
  TempDir dir, renewed_dir;
  const Certificates first = MakeCertificates(dir, "localhost");
  const Certificates renewed = MakeCertificates(renewed_dir, "localhost");
  const std::string cert = dir.Write("listener.pem", ReadFile(first.cert_file));
  const std::string key = dir.Write("listener.key", ReadFile(first.key_file));
  Emulator::Options options;
  options.private_app_tokens = {kHubSpotToken};
  auto emulator = Emulator::Start(dir, options);
  ASSERT_NE(emulator, nullptr);
  auto gateway = Gateway::Start(
      dir,
      absl::StrCat(
          R"({"listenAddress": "127.0.0.1:0", "listenerTls": {"certFile": ")",
          cert, R"(", "keyFile": ")", key,
          R"(", "reloadInterval": "1s"},
              "hubspot": {"baseUrl": ")",
          emulator->base_url(),
          R"(", "credentials": {"privateAppToken": {"env": "HS"}}}})"),
      {{"HS", kHubSpotToken}});
  ASSERT_NE(gateway, nullptr);
  auto old_channel = Connect(gateway->address(), Trusting(first.ca_file));
  ASSERT_EQ(GetImport(old_channel, 1).error_code(), grpc::StatusCode::NOT_FOUND);

  // As a renewal writes them: whole files, renamed into place.
  const std::string staged_cert = dir.Write("staged.pem", ReadFile(renewed.cert_file));
  const std::string staged_key = dir.Write("staged.key", ReadFile(renewed.key_file));
  std::filesystem::rename(staged_key, key);
  std::filesystem::rename(staged_cert, cert);

  // The gateway looks at the files once a second: new connections see the
  // renewed certificate within a few seconds.
  grpc::Status renewed_status;
  const absl::Time give_up = absl::Now() + absl::Seconds(15);
  do {
    renewed_status =
        GetImport(Connect(gateway->address(), Trusting(renewed.ca_file)), 1);
  } while (renewed_status.error_code() == grpc::StatusCode::UNAVAILABLE &&
           absl::Now() < give_up);
  EXPECT_EQ(renewed_status.error_code(), grpc::StatusCode::NOT_FOUND)
      << renewed_status.error_message();
  // The connection made before the renewal still works.
  EXPECT_EQ(GetImport(old_channel, 2).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(old_channel->GetState(false), GRPC_CHANNEL_READY);
}

}  // namespace
}  // namespace hubspot_gateway::testing
