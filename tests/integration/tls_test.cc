// TLS towards HubSpot with a CA made at test time: trusted when configured,
// refused for an unknown CA, a certificate for another host, an expired
// certificate, or a server below the configured minimum TLS version.

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"

namespace hubspot_gateway::testing {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using ::testing::HasSubstr;

constexpr char kToken[] = "pat-na1-tls-token";

std::unique_ptr<FakeHubSpot> StartTlsFake(const Certificates& certs) {
  FakeHubSpot::Options options;
  options.access_token = kToken;
  options.tls = &certs;
  return FakeHubSpot::Start(options);
}

std::unique_ptr<Gateway> StartGateway(const TempDir& dir,
                                      const std::string& base_url,
                                      absl::string_view tls_json) {
  return Gateway::Start(
      dir,
      GatewayConfig(base_url, R"({"privateAppToken": {"env": "HS_TOKEN"}})",
                    tls_json),
      {{"HS_TOKEN", kToken}});
}

TEST(TlsTest, TrustsTheConfiguredCa) {
  TempDir dir;
  const Certificates certs = MakeCertificates(dir, "localhost");
  auto fake = StartTlsFake(certs);
  ASSERT_NE(fake, nullptr);
  auto gateway = StartGateway(
      dir, fake->base_url(),
      absl::StrCat(R"("tls": {"caFile": ")", certs.ca_file, R"("},)"));
  ASSERT_NE(gateway, nullptr);
  grpc::Status status = gateway->GetImport(103);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST(TlsTest, RefusesACertificateFromAnUnknownCa) {
  TempDir dir;
  const Certificates certs = MakeCertificates(dir, "localhost");
  auto fake = StartTlsFake(certs);
  ASSERT_NE(fake, nullptr);
  // No caFile: the system's CAs do not know the test CA.
  auto gateway = StartGateway(dir, fake->base_url(), "");
  ASSERT_NE(gateway, nullptr);
  grpc::Status status = gateway->GetImport(103);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(),
              HasSubstr("TLS connection to HubSpot failed"));
  EXPECT_EQ(
      fake->Control("stats").fields().at("requests").list_value().values_size(),
      0);
}

TEST(TlsTest, RefusesACertificateForAnotherHost) {
  TempDir dir;
  const Certificates certs = MakeCertificates(dir, "api.example.invalid");
  auto fake = StartTlsFake(certs);
  ASSERT_NE(fake, nullptr);
  // The fake is reached as "localhost", which its certificate does not name.
  auto gateway = StartGateway(
      dir, fake->base_url(),
      absl::StrCat(R"("tls": {"caFile": ")", certs.ca_file, R"("},)"));
  ASSERT_NE(gateway, nullptr);
  grpc::Status status = gateway->GetImport(103);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(),
              HasSubstr("TLS connection to HubSpot failed"));
}

TEST(TlsTest, RefusesAnExpiredCertificate) {
  TempDir dir;
  const Certificates certs = MakeCertificates(dir, "localhost", /*expired=*/true);
  auto fake = StartTlsFake(certs);
  ASSERT_NE(fake, nullptr);
  auto gateway = StartGateway(
      dir, fake->base_url(),
      absl::StrCat(R"("tls": {"caFile": ")", certs.ca_file, R"("},)"));
  ASSERT_NE(gateway, nullptr);
  grpc::Status status = gateway->GetImport(103);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(),
              HasSubstr("TLS connection to HubSpot failed"));
  // (The stand-in's own control calls cannot check it either: curl refuses
  // its certificate too.)
  EXPECT_THAT(status.error_message(), HasSubstr("expired"));
}

TEST(TlsTest, MinimumVersionRefusesAnOlderServer) {
  TempDir dir;
  const Certificates certs = MakeCertificates(dir, "localhost");
  FakeHubSpot::Options options;
  options.access_token = kToken;
  options.tls = &certs;
  options.tls_1_2_only = true;
  auto fake = FakeHubSpot::Start(options);
  ASSERT_NE(fake, nullptr);
  const std::string ca =
      absl::StrCat(R"("tls": {"caFile": ")", certs.ca_file, R"(")");
  // The default minimum, TLS 1.2, takes it.
  auto lenient = StartGateway(dir, fake->base_url(), ca + "},");
  ASSERT_NE(lenient, nullptr);
  grpc::Status status = lenient->GetImport(103);
  EXPECT_TRUE(status.ok()) << status.error_message();
  // TLS 1.3 at least: refused.
  auto strict = StartGateway(dir, fake->base_url(),
                             ca + R"(, "minVersion": "TLS_VERSION_1_3"},)");
  ASSERT_NE(strict, nullptr);
  status = strict->GetImport(103);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(),
              HasSubstr("TLS connection to HubSpot failed"));
}

TEST(TlsTest, PresentsTheClientCertificateForMutualTls) {
  TempDir dir;
  const Certificates certs = MakeCertificates(dir, "localhost");
  const Certificates client = MakeClientCertificate(dir, certs);
  FakeHubSpot::Options options;
  options.access_token = kToken;
  options.tls = &certs;
  options.require_client_certificate = true;
  auto fake = FakeHubSpot::Start(options);
  ASSERT_NE(fake, nullptr);

  auto with_cert = StartGateway(
      dir, fake->base_url(),
      absl::StrCat(R"("tls": {"caFile": ")", certs.ca_file,
                   R"(", "certFile": ")", client.cert_file,
                   R"(", "keyFile": ")", client.key_file, R"("},)"));
  ASSERT_NE(with_cert, nullptr);
  grpc::Status status = with_cert->GetImport(103);
  EXPECT_TRUE(status.ok()) << status.error_message();

  auto without_cert = StartGateway(
      dir, fake->base_url(),
      absl::StrCat(R"("tls": {"caFile": ")", certs.ca_file, R"("},)"));
  ASSERT_NE(without_cert, nullptr);
  status = without_cert->GetImport(103);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace hubspot_gateway::testing
