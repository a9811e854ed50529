#include "server/access/caller_registry.h"

#include <openssl/sha.h>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace hubspot_gateway {
namespace {

namespace cfg = ::hubspot::crm::imports::gateway::v1;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Sha256Hex(absl::string_view token) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(),
         digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<char*>(digest), sizeof(digest)));
}

cfg::AccessConfig Access(const std::string& json) {
  cfg::AccessConfig config;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &config).ok())
      << json;
  return config;
}

std::unique_ptr<CallerRegistry> Registry(const std::string& json) {
  auto registry = CallerRegistry::Create(Access(json));
  EXPECT_TRUE(registry.ok()) << registry.status();
  return registry.ok() ? *std::move(registry) : nullptr;
}

PeerIdentity Bearer(absl::string_view token) {
  PeerIdentity peer;
  peer.authorization = absl::StrCat("Bearer ", token);
  return peer;
}

PeerIdentity Certificate(std::vector<std::string> names) {
  PeerIdentity peer;
  peer.certificate_names = std::move(names);
  return peer;
}

class CallerRegistryTest : public ::testing::Test {
 protected:
  CallerRegistryTest()
      : registry_(Registry(absl::StrCat(
            R"({"callers": [
                {"name": "reporting", "tokenSha256": [")",
            Sha256Hex("tok-reporting"), R"("],
                 "permissions": ["PERMISSION_READ"]},
                {"name": "loader",
                 "certificateNames": ["spiffe://cluster.local/ns/etl/sa/loader"],
                 "tokenSha256": [")",
            absl::AsciiStrToUpper(Sha256Hex("tok-loader")), R"("],
                 "permissions": ["PERMISSION_READ", "PERMISSION_START"]},
                {"name": "operator", "certificateNames": ["ops.example.com"],
                 "permissions": ["PERMISSION_READ", "PERMISSION_START",
                                 "PERMISSION_CANCEL"]}]})"))) {}

  std::unique_ptr<CallerRegistry> registry_;
};

TEST_F(CallerRegistryTest, TokenIdentifiesItsCaller) {
  auto caller = registry_->Identify(Bearer("tok-reporting"));
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ((*caller)->name, "reporting");
  // Hashes are compared case-insensitively as given in the configuration.
  caller = registry_->Identify(Bearer("tok-loader"));
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ((*caller)->name, "loader");
}

TEST_F(CallerRegistryTest, UnknownTokenIsUnauthenticatedWithoutEchoingIt) {
  auto caller = registry_->Identify(Bearer("tok-stolen-guess"));
  ASSERT_TRUE(absl::IsUnauthenticated(caller.status()));
  EXPECT_THAT(caller.status().message(), HasSubstr("bearer token"));
  EXPECT_THAT(caller.status().message(), Not(HasSubstr("tok-stolen-guess")));
}

TEST_F(CallerRegistryTest, MalformedAuthorizationIsUnauthenticated) {
  PeerIdentity peer;
  peer.authorization = "Basic dXNlcjpwYXNz";
  auto caller = registry_->Identify(peer);
  ASSERT_TRUE(absl::IsUnauthenticated(caller.status()));
  EXPECT_THAT(caller.status().message(), HasSubstr("Bearer <token>"));
  peer.authorization = "Bearer ";
  EXPECT_TRUE(absl::IsUnauthenticated(registry_->Identify(peer).status()));
}

TEST_F(CallerRegistryTest, CertificateNameIdentifiesItsCaller) {
  auto caller = registry_->Identify(Certificate(
      {"spiffe://cluster.local/ns/etl/sa/loader", "loader.etl.svc"}));
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ((*caller)->name, "loader");
  caller = registry_->Identify(Certificate({"ops.example.com"}));
  ASSERT_TRUE(caller.ok());
  EXPECT_EQ((*caller)->name, "operator");
}

TEST_F(CallerRegistryTest, UnknownCertificateIsUnauthenticatedNamingIt) {
  auto caller = registry_->Identify(
      Certificate({"spiffe://cluster.local/ns/other/sa/x"}));
  ASSERT_TRUE(absl::IsUnauthenticated(caller.status()));
  EXPECT_THAT(caller.status().message(),
              HasSubstr("spiffe://cluster.local/ns/other/sa/x"));
}

TEST_F(CallerRegistryTest, CertificateAndTokenMustAgree) {
  PeerIdentity peer = Certificate({"ops.example.com"});
  peer.authorization = "Bearer tok-reporting";
  auto caller = registry_->Identify(peer);
  ASSERT_TRUE(absl::IsUnauthenticated(caller.status()));
  EXPECT_THAT(caller.status().message(), HasSubstr("one identity"));
  peer = Certificate({"spiffe://cluster.local/ns/etl/sa/loader"});
  peer.authorization = "Bearer tok-loader";
  EXPECT_TRUE(registry_->Identify(peer).ok());
}

TEST_F(CallerRegistryTest, NoIdentityIsUnauthenticatedWithoutAnonymousRights) {
  auto caller = registry_->Identify(PeerIdentity());
  ASSERT_TRUE(absl::IsUnauthenticated(caller.status()));
  EXPECT_THAT(caller.status().message(), HasSubstr("no identity"));
}

TEST(CallerRegistryAnonymousTest, AnonymousGetsOnlyItsPermissions) {
  auto registry =
      Registry(R"({"anonymousPermissions": ["PERMISSION_READ"]})");
  auto caller = registry->Identify(PeerIdentity());
  ASSERT_TRUE(caller.ok());
  EXPECT_TRUE((*caller)->anonymous);
  EXPECT_TRUE(CallerRegistry::Authorize(**caller, cfg::PERMISSION_READ,
                                        "GetImport")
                  .ok());
  const absl::Status denied = CallerRegistry::Authorize(
      **caller, cfg::PERMISSION_START, "StartImport");
  EXPECT_TRUE(absl::IsPermissionDenied(denied));
  EXPECT_THAT(denied.message(), HasSubstr("anonymousPermissions"));
  // A wrong token is not anonymous.
  EXPECT_TRUE(absl::IsUnauthenticated(registry->Identify(Bearer("x")).status()));
}

TEST_F(CallerRegistryTest, EachPermissionIsChecked) {
  const Caller* reporting = *registry_->Identify(Bearer("tok-reporting"));
  const Caller* loader = *registry_->Identify(Bearer("tok-loader"));
  const Caller* ops = *registry_->Identify(Certificate({"ops.example.com"}));
  EXPECT_TRUE(
      CallerRegistry::Authorize(*reporting, cfg::PERMISSION_READ, "GetImport")
          .ok());
  absl::Status s = CallerRegistry::Authorize(*reporting, cfg::PERMISSION_START,
                                             "StartImport");
  EXPECT_TRUE(absl::IsPermissionDenied(s));
  EXPECT_THAT(s.message(), HasSubstr("caller \"reporting\" may not call "
                                     "StartImport: it needs PERMISSION_START"));
  EXPECT_TRUE(
      CallerRegistry::Authorize(*loader, cfg::PERMISSION_START, "StartImport")
          .ok());
  s = CallerRegistry::Authorize(*loader, cfg::PERMISSION_CANCEL,
                                "CancelImport");
  EXPECT_THAT(s.message(), HasSubstr("PERMISSION_CANCEL"));
  EXPECT_TRUE(
      CallerRegistry::Authorize(*ops, cfg::PERMISSION_CANCEL, "CancelImport")
          .ok());
}

TEST(CallerRegistryConfigTest, MistakesNameTheField) {
  const std::string hash = Sha256Hex("t");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"callers": [{"tokenSha256": [")" + hash +
           R"("], "permissions": ["PERMISSION_READ"]}]})",
       "access.callers[0].name"},
      {R"({"callers": [{"name": "a", "permissions": ["PERMISSION_READ"]}]})",
       "nothing identifies"},
      {R"({"callers": [{"name": "a", "tokenSha256": ["abc"],
            "permissions": ["PERMISSION_READ"]}]})",
       "access.callers[0].tokenSha256[0]: must be a SHA-256"},
      {R"({"callers": [{"name": "a", "tokenSha256": [")" + hash + R"("]}]})",
       "access.callers[0].permissions: empty"},
      {R"({"callers": [{"name": "a", "tokenSha256": [")" + hash +
           R"("], "permissions": ["PERMISSION_UNSPECIFIED"]}]})",
       "access.callers[0].permissions"},
      {R"({"callers": [
            {"name": "a", "tokenSha256": [")" + hash +
           R"("], "permissions": ["PERMISSION_READ"]},
            {"name": "a", "certificateNames": ["x"], "permissions": ["PERMISSION_READ"]}]})",
       "access.callers[1].name: \"a\" is used twice"},
      {R"({"callers": [
            {"name": "a", "tokenSha256": [")" + hash +
           R"("], "permissions": ["PERMISSION_READ"]},
            {"name": "b", "tokenSha256": [")" + hash +
           R"("], "permissions": ["PERMISSION_READ"]}]})",
       "access.callers[1].tokenSha256[0]: the same token"},
      {R"({"callers": [
            {"name": "a", "certificateNames": ["x"], "permissions": ["PERMISSION_READ"]},
            {"name": "b", "certificateNames": ["x"], "permissions": ["PERMISSION_READ"]}]})",
       "access.callers[1].certificateNames[0]"},
  };
  for (const auto& [json, want] : cases) {
    auto registry = CallerRegistry::Create(Access(json));
    ASSERT_FALSE(registry.ok()) << json;
    EXPECT_THAT(registry.status().message(), HasSubstr(want)) << json;
  }
}

TEST(CallerTicketTest, LimitsCallsAndUploadsPerCaller) {
  auto registry = Registry(absl::StrCat(
      R"({"callers": [{"name": "etl", "tokenSha256": [")", Sha256Hex("t"),
      R"("], "permissions": ["PERMISSION_START"],
          "maxConcurrentCalls": 3, "maxConcurrentUploads": 1}]})"));
  const Caller* etl = *registry->Identify(Bearer("t"));
  auto upload = CallerTicket::Take(*etl, /*upload=*/true);
  ASSERT_TRUE(upload.ok());
  auto second_upload = CallerTicket::Take(*etl, /*upload=*/true);
  ASSERT_TRUE(absl::IsResourceExhausted(second_upload.status()));
  EXPECT_THAT(second_upload.status().message(),
              HasSubstr("caller \"etl\" already has 1 uploads in progress "
                        "(access.callers[].maxConcurrentUploads)"));
  {
    auto read = CallerTicket::Take(*etl, /*upload=*/false);
    auto another = CallerTicket::Take(*etl, /*upload=*/false);
    ASSERT_TRUE(read.ok() && another.ok());
    auto over = CallerTicket::Take(*etl, /*upload=*/false);
    ASSERT_TRUE(absl::IsResourceExhausted(over.status()));
    EXPECT_THAT(over.status().message(), HasSubstr("3 calls in progress"));
  }
  // Tickets give their place back when they go, moved or not.
  CallerTicket moved = *std::move(upload);
  EXPECT_EQ(etl->uploads.load(), 1);
  { CallerTicket gone = std::move(moved); }
  EXPECT_EQ(etl->uploads.load(), 0);
  EXPECT_EQ(etl->calls.load(), 0);
  EXPECT_TRUE(CallerTicket::Take(*etl, /*upload=*/true).ok());
}

}  // namespace
}  // namespace hubspot_gateway
