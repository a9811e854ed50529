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

// Three accounts; "sales" is the gateway's default.
HubSpotAccountNames ThreeAccounts() {
  return HubSpotAccountNames{{"sales", "marketing", "support"}, "sales"};
}

std::unique_ptr<CallerRegistry> AccountsRegistry(const std::string& callers,
                                                 HubSpotAccountNames accounts) {
  auto registry = CallerRegistry::Create(Access(callers), std::move(accounts));
  EXPECT_TRUE(registry.ok()) << registry.status();
  return registry.ok() ? *std::move(registry) : nullptr;
}

std::string CallerWith(absl::string_view name, absl::string_view accounts) {
  return absl::StrCat(R"({"name": ")", name, R"(", "tokenSha256": [")",
                      Sha256Hex(absl::StrCat("tok-", name)),
                      R"("], "permissions": ["PERMISSION_READ"])", accounts,
                      "}");
}

TEST(CallerAccountsTest, CallersGetTheirAccountsAndDefaults) {
  auto registry = AccountsRegistry(
      absl::StrCat(R"({"callers": [)",
                   CallerWith("plain", ""), ",",
                   CallerWith("mkt", R"(, "hubspotAccounts": ["marketing"])"),
                   ",",
                   CallerWith("ops", R"(, "hubspotAccounts": ["*"],
                        "defaultHubspotAccount": "support")"),
                   ",",
                   CallerWith("two", R"(, "hubspotAccounts": ["support", "sales"])"),
                   "]}"),
      ThreeAccounts());
  ASSERT_NE(registry, nullptr);
  auto caller = [&](absl::string_view name) {
    return *registry->Identify(Bearer(absl::StrCat("tok-", name)));
  };
  // No hubspotAccounts: the gateway's default only.
  EXPECT_EQ(caller("plain")->accounts, std::vector<std::string>{"sales"});
  EXPECT_EQ(*registry->ChooseAccount(*caller("plain"), std::nullopt), "sales");
  // Its only account is its default.
  EXPECT_EQ(*registry->ChooseAccount(*caller("mkt"), std::nullopt),
            "marketing");
  EXPECT_EQ(*registry->ChooseAccount(*caller("mkt"), "marketing"),
            "marketing");
  // "*": every account, with the default it names.
  EXPECT_EQ(caller("ops")->accounts,
            (std::vector<std::string>{"marketing", "sales", "support"}));
  EXPECT_EQ(*registry->ChooseAccount(*caller("ops"), std::nullopt), "support");
  EXPECT_EQ(*registry->ChooseAccount(*caller("ops"), "marketing"), "marketing");
  // Several, the gateway's default among them.
  EXPECT_EQ(*registry->ChooseAccount(*caller("two"), std::nullopt), "sales");
  EXPECT_EQ(*registry->ChooseAccount(*caller("two"), "support"), "support");
}

TEST(CallerAccountsTest, AnotherAccountIsDenied) {
  auto registry = AccountsRegistry(
      absl::StrCat(R"({"callers": [)",
                   CallerWith("mkt", R"(, "hubspotAccounts": ["marketing"])"),
                   "]}"),
      ThreeAccounts());
  ASSERT_NE(registry, nullptr);
  const Caller* mkt = *registry->Identify(Bearer("tok-mkt"));
  auto denied = registry->ChooseAccount(*mkt, "sales");
  ASSERT_TRUE(absl::IsPermissionDenied(denied.status())) << denied.status();
  EXPECT_EQ(denied.status().message(),
            "caller \"mkt\" may not use HubSpot account \"sales\": its "
            "access.callers entry's hubspotAccounts do not list it (it may "
            "use marketing)");
  auto unknown = registry->ChooseAccount(*mkt, "nope\n\"x");
  ASSERT_TRUE(absl::IsInvalidArgument(unknown.status())) << unknown.status();
  EXPECT_EQ(unknown.status().message(),
            "x-hubspot-account: this gateway has no HubSpot account "
            "\"nope\\n\\\"x\" (caller \"mkt\" may use marketing)");
  auto empty = registry->ChooseAccount(*mkt, "");
  EXPECT_TRUE(absl::IsInvalidArgument(empty.status())) << empty.status();
  auto long_name = registry->ChooseAccount(*mkt, std::string(10000, 'a'));
  ASSERT_FALSE(long_name.ok());
  EXPECT_LT(long_name.status().message().size(), 200u);
}

TEST(CallerAccountsTest, WithoutDefaultTheCallMustNameOne) {
  auto registry = AccountsRegistry(
      absl::StrCat(R"({"callers": [)",
                   CallerWith("two", R"(, "hubspotAccounts": ["marketing", "support"])"),
                   "]}"),
      ThreeAccounts());
  ASSERT_NE(registry, nullptr);
  const Caller* two = *registry->Identify(Bearer("tok-two"));
  EXPECT_EQ(two->default_account, "");
  auto unnamed = registry->ChooseAccount(*two, std::nullopt);
  ASSERT_TRUE(absl::IsInvalidArgument(unnamed.status())) << unnamed.status();
  EXPECT_THAT(unnamed.status().message(),
              HasSubstr("name one in x-hubspot-account metadata (caller "
                        "\"two\" may use marketing, support)"));
}

TEST(CallerAccountsTest, AnonymousCallsHaveAccountsToo) {
  auto registry = AccountsRegistry(
      R"({"anonymousPermissions": ["PERMISSION_READ"],
          "anonymousHubspotAccounts": ["support"]})",
      ThreeAccounts());
  ASSERT_NE(registry, nullptr);
  const Caller* anonymous = *registry->Identify(PeerIdentity{});
  EXPECT_EQ(*registry->ChooseAccount(*anonymous, std::nullopt), "support");
  auto denied = registry->ChooseAccount(*anonymous, "sales");
  ASSERT_TRUE(absl::IsPermissionDenied(denied.status()));
  EXPECT_THAT(denied.status().message(),
              HasSubstr("calls without identity may not use HubSpot account "
                        "\"sales\": access.anonymousHubspotAccounts does not "
                        "list it"));
}

TEST(CallerAccountsTest, MisconfiguredAccountsAreRefused) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {CallerWith("a", R"(, "hubspotAccounts": ["sales", "hr"])"),
       "access.callers[0].hubspotAccounts[1]: no HubSpot account \"hr\"; the "
       "gateway has marketing, sales, support (or \"*\": every one)"},
      {CallerWith("a", R"(, "hubspotAccounts": ["marketing"],
                          "defaultHubspotAccount": "sales")"),
       "access.callers[0].defaultHubspotAccount: \"sales\" is not among the "
       "accounts it may use (marketing)"},
  };
  for (const auto& [caller, want] : cases) {
    auto registry = CallerRegistry::Create(
        Access(absl::StrCat(R"({"callers": [)", caller, "]}")),
        ThreeAccounts());
    ASSERT_FALSE(registry.ok()) << caller;
    EXPECT_EQ(registry.status().message(), want);
  }
  // Several accounts and no gateway default: a caller must list its own.
  auto registry = CallerRegistry::Create(
      Access(absl::StrCat(R"({"callers": [)", CallerWith("a", ""), "]}")),
      HubSpotAccountNames{{"sales", "marketing"}, ""});
  ASSERT_FALSE(registry.ok());
  EXPECT_THAT(registry.status().message(),
              HasSubstr("access.callers[0].hubspotAccounts: empty, and the "
                        "gateway has several HubSpot accounts and no "
                        "defaultHubspotAccount"));
  auto anonymous = CallerRegistry::Create(
      Access(R"({"anonymousPermissions": ["PERMISSION_READ"],
                 "anonymousHubspotAccounts": ["hr"]})"),
      ThreeAccounts());
  ASSERT_FALSE(anonymous.ok());
  EXPECT_THAT(anonymous.status().message(),
              HasSubstr("access.anonymousHubspotAccounts[0]: no HubSpot "
                        "account \"hr\""));
}

}  // namespace
}  // namespace hubspot_gateway
