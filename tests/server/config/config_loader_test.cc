#include "server/config/config_loader.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/fake_env.h"

namespace hubspot_gateway {
namespace {

namespace cfg = ::hubspot::crm::imports::gateway::v1;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

EnvLookup Env(std::map<std::string, std::string> vars = {}) {
  return testing::FakeEnv(std::move(vars));
}

EnvLookup TokenEnv() { return Env({{"HUBSPOT_ACCESS_TOKEN", "pat-na1-tok"}}); }

EnvLookup OAuthEnv() {
  return Env({{"HUBSPOT_CLIENT_ID", "client-id-1"},
              {"HUBSPOT_CLIENT_SECRET", "client-secret-1"},
              {"HUBSPOT_REFRESH_TOKEN", "refresh-token-1"}});
}

// A directory of files that lives as long as the test.
class TempFiles {
 public:
  TempFiles() {
    std::string pattern = ::testing::TempDir() + "config_loader_test.XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed";
    }
    dir_ = pattern;
  }
  ~TempFiles() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = dir_ + "/" + name;
    {
      std::ofstream out(path, std::ios::binary);
      out << content;
    }
    std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                           std::filesystem::perms::owner_write);
    return path;
  }
  std::string Missing(const std::string& name) const {
    return dir_ + "/" + name;
  }

 private:
  std::string dir_;
};

int64_t Seconds(const google::protobuf::Duration& d) { return d.seconds(); }

void ExpectErrorNaming(const absl::StatusOr<GatewayConfig>& config,
                       const std::string& field) {
  ASSERT_FALSE(config.ok()) << "expected an error naming " << field;
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()), HasSubstr(field));
}

// --- Defaults --------------------------------------------------------------

TEST(ParseConfigTest, DefaultsWithTokenFromEnvironment) {
  absl::StatusOr<GatewayConfig> config = ParseConfig("", TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->listen_address(), "127.0.0.1:50051");
  EXPECT_EQ(Seconds(config->shutdown_grace_period()), 20);
  EXPECT_EQ(config->hubspot().base_url(), "https://api.hubapi.com");
  EXPECT_EQ(Seconds(config->hubspot().timeout()), 30);
  EXPECT_EQ(config->hubspot().timeout().nanos(), 0);
  EXPECT_EQ(config->hubspot().http_version(), cfg::HTTP_VERSION_2);
  EXPECT_EQ(config->hubspot().max_connections(), 32u);
  EXPECT_EQ(config->hubspot().proxy_url(), "");
  ASSERT_TRUE(config->hubspot().credentials().has_private_app_token());
  EXPECT_EQ(config->hubspot().credentials().private_app_token().env(),
            "HUBSPOT_ACCESS_TOKEN");
}

TEST(ParseConfigTest, EmptyObjectGetsDefaults) {
  absl::StatusOr<GatewayConfig> config = ParseConfig("{}", TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->listen_address(), "127.0.0.1:50051");
  EXPECT_EQ(config->hubspot().base_url(), "https://api.hubapi.com");
}

TEST(ParseConfigTest, OAuthDefaults) {
  absl::StatusOr<GatewayConfig> config = ParseConfig("", OAuthEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_TRUE(config->hubspot().credentials().has_oauth());
  const cfg::OAuthRefreshToken& oauth = config->hubspot().credentials().oauth();
  EXPECT_EQ(oauth.token_url(), "https://api.hubapi.com/oauth/v1/token");
  EXPECT_EQ(Seconds(oauth.refresh_margin()), 300);
  EXPECT_EQ(oauth.client_id().env(), "HUBSPOT_CLIENT_ID");
  EXPECT_EQ(oauth.client_secret().env(), "HUBSPOT_CLIENT_SECRET");
  EXPECT_EQ(oauth.refresh_token().env(), "HUBSPOT_REFRESH_TOKEN");
}

TEST(ParseConfigTest, ExplicitValuesAreKept) {
  TempFiles files;
  const std::string ca = files.Write("ca.pem", "ca");
  const std::string cert = files.Write("cert.pem", "cert");
  const std::string key = files.Write("key.pem", "key");
  const std::string token = files.Write("token", "pat-file\n");
  absl::StatusOr<GatewayConfig> config = ParseConfig(
      absl::StrCat(R"({
        "listenAddress": "0.0.0.0:6000",
        "shutdownGracePeriod": "5s",
        "hubspot": {
          "baseUrl": "http://localhost:8080",
          "timeout": "10.5s",
          "httpVersion": "HTTP_VERSION_1_1",
          "maxConnections": 8,
          "proxyUrl": "http://proxy:3128",
          "tls": {"caFile": ")",
                   ca, R"(", "certFile": ")", cert, R"(", "keyFile": ")", key,
                   R"("},
          "credentials": {"privateAppToken": {"file": ")",
                   token, R"("}}
        }})"),
      Env());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->listen_address(), "0.0.0.0:6000");
  EXPECT_EQ(Seconds(config->shutdown_grace_period()), 5);
  EXPECT_EQ(config->hubspot().base_url(), "http://localhost:8080");
  EXPECT_EQ(Seconds(config->hubspot().timeout()), 10);
  EXPECT_EQ(config->hubspot().timeout().nanos(), 500000000);
  EXPECT_EQ(config->hubspot().http_version(), cfg::HTTP_VERSION_1_1);
  EXPECT_EQ(config->hubspot().max_connections(), 8u);
  EXPECT_EQ(config->hubspot().proxy_url(), "http://proxy:3128");
  EXPECT_EQ(config->hubspot().tls().ca_file(), ca);
  EXPECT_EQ(config->hubspot().tls().cert_file(), cert);
  EXPECT_EQ(config->hubspot().tls().key_file(), key);
  EXPECT_EQ(config->hubspot().credentials().private_app_token().file(), token);
}

TEST(ParseConfigTest, SnakeCaseFieldNamesAreAccepted) {
  absl::StatusOr<GatewayConfig> config = ParseConfig(
      R"({"listen_address": "127.0.0.1:7000",
          "hubspot": {"base_url": "https://eu.example.test"}})",
      TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->listen_address(), "127.0.0.1:7000");
  EXPECT_EQ(config->hubspot().base_url(), "https://eu.example.test");
}

TEST(ParseConfigTest, TrailingSlashesAreStrippedFromBaseUrl) {
  absl::StatusOr<GatewayConfig> config = ParseConfig(
      R"({"hubspot": {"baseUrl": "https://api.hubapi.com//"}})", TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->hubspot().base_url(), "https://api.hubapi.com");
}

TEST(ParseConfigTest, TrailingSlashIsStrippedFromEnvBaseUrl) {
  absl::StatusOr<GatewayConfig> config =
      ParseConfig("", Env({{"HUBSPOT_ACCESS_TOKEN", "t"},
                           {"HUBSPOT_BASE_URL", "http://127.0.0.1:9000/"}}));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->hubspot().base_url(), "http://127.0.0.1:9000");
}

// --- Environment overrides ---------------------------------------------------

TEST(ParseConfigTest, EnvBaseUrlOverridesFile) {
  absl::StatusOr<GatewayConfig> config =
      ParseConfig(R"({"hubspot": {"baseUrl": "https://from-file.test"}})",
                  Env({{"HUBSPOT_ACCESS_TOKEN", "t"},
                       {"HUBSPOT_BASE_URL", "https://from-env.test"}}));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->hubspot().base_url(), "https://from-env.test");
}

TEST(ParseConfigTest, EnvListenAddressOverridesFile) {
  absl::StatusOr<GatewayConfig> config =
      ParseConfig(R"({"listenAddress": "127.0.0.1:1"})",
                  Env({{"HUBSPOT_ACCESS_TOKEN", "t"},
                       {"HUBSPOT_GATEWAY_LISTEN_ADDRESS", "[::]:50052"}}));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->listen_address(), "[::]:50052");
}

TEST(ParseConfigTest, EnvListenAddressIsValidated) {
  ExpectErrorNaming(
      ParseConfig("", Env({{"HUBSPOT_ACCESS_TOKEN", "t"},
                           {"HUBSPOT_GATEWAY_LISTEN_ADDRESS", "localhost"}})),
      "listenAddress");
}

TEST(ParseConfigTest, EnvAccessTokenOverridesFileCredentials) {
  absl::StatusOr<GatewayConfig> config = ParseConfig(
      R"({"hubspot": {"credentials": {"privateAppLegacyKey": {"file": "/nonexistent"}}}})",
      TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_TRUE(config->hubspot().credentials().has_private_app_token());
  EXPECT_EQ(config->hubspot().credentials().private_app_token().env(),
            "HUBSPOT_ACCESS_TOKEN");
}

TEST(ParseConfigTest, EnvLegacyKey) {
  absl::StatusOr<GatewayConfig> config =
      ParseConfig("", Env({{"HUBSPOT_PRIVATE_APP_LEGACY_KEY", "legacy"}}));
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_TRUE(config->hubspot().credentials().has_private_app_legacy_key());
  EXPECT_EQ(config->hubspot().credentials().private_app_legacy_key().env(),
            "HUBSPOT_PRIVATE_APP_LEGACY_KEY");
}

TEST(ParseConfigTest, EnvOAuthReplacesFileCredentials) {
  absl::StatusOr<GatewayConfig> config = ParseConfig(
      R"({"hubspot": {"credentials": {"privateAppToken": {"env": "NOT_SET"}}}})",
      OAuthEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(config->hubspot().credentials().has_oauth());
}

TEST(ParseConfigTest, EnvTokenUrlOverridesOAuthTokenUrl) {
  absl::StatusOr<GatewayConfig> config = ParseConfig(
      "", Env({{"HUBSPOT_CLIENT_ID", "a"},
               {"HUBSPOT_CLIENT_SECRET", "b"},
               {"HUBSPOT_REFRESH_TOKEN", "c"},
               {"HUBSPOT_TOKEN_URL", "http://127.0.0.1:9000/oauth/v1/token"}}));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->hubspot().credentials().oauth().token_url(),
            "http://127.0.0.1:9000/oauth/v1/token");
}

TEST(ParseConfigTest, EnvOAuthKeepsTokenUrlFromFile) {
  absl::StatusOr<GatewayConfig> config = ParseConfig(
      R"({"hubspot": {"credentials": {"oauth": {"tokenUrl": "https://file.test/token"}}}})",
      OAuthEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->hubspot().credentials().oauth().token_url(),
            "https://file.test/token");
}

TEST(ParseConfigTest, EnvTokenUrlOverridesFileOAuth) {
  TempFiles files;
  const std::string id = files.Write("id", "client");
  const std::string secret = files.Write("secret", "s3cr3t");
  const std::string refresh = files.Write("refresh", "r3fr3sh");
  absl::StatusOr<GatewayConfig> config =
      ParseConfig(absl::StrCat(R"({"hubspot": {"credentials": {"oauth": {
          "tokenUrl": "https://file.test/token",
          "refreshMargin": "60s",
          "clientId": {"file": ")",
                               id, R"("},
          "clientSecret": {"file": ")",
                               secret, R"("},
          "refreshToken": {"file": ")",
                               refresh, R"("}}}}})"),
                  Env({{"HUBSPOT_TOKEN_URL", "https://env.test/token"}}));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->hubspot().credentials().oauth().token_url(),
            "https://env.test/token");
  EXPECT_EQ(Seconds(config->hubspot().credentials().oauth().refresh_margin()),
            60);
}

TEST(ParseConfigTest, EnvTokenUrlIsIgnoredWithoutOAuth) {
  absl::StatusOr<GatewayConfig> config =
      ParseConfig("", Env({{"HUBSPOT_ACCESS_TOKEN", "t"},
                           {"HUBSPOT_TOKEN_URL", "https://env.test/token"}}));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(config->hubspot().credentials().has_private_app_token());
}

// --- Errors ------------------------------------------------------------------

TEST(ParseConfigTest, UnknownFieldIsNamed) {
  ExpectErrorNaming(
      ParseConfig(
          R"({"hubspot": {"baseUrl": "https://x.test", "baseUlr": "y"}})",
          TokenEnv()),
      "baseUlr");
}

TEST(ParseConfigTest, UnknownTopLevelFieldIsNamed) {
  ExpectErrorNaming(ParseConfig(R"({"listen": "0.0.0.0:1"})", TokenEnv()),
                    "listen");
}

TEST(ParseConfigTest, InvalidJsonFails) {
  absl::StatusOr<GatewayConfig> config =
      ParseConfig(R"({"hubspot": {"baseUrl": )", TokenEnv());
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()),
              HasSubstr("not a valid gateway configuration"));
}

TEST(ParseConfigTest, WrongFieldTypeFails) {
  ExpectErrorNaming(ParseConfig(R"({"hubspot": {"timeout": 30}})", TokenEnv()),
                    "timeout");
}

TEST(ParseConfigTest, NoCredentialsFails) {
  ExpectErrorNaming(ParseConfig("", Env()), "hubspot.credentials");
}

TEST(ParseConfigTest, TwoEnvCredentialKindsFail) {
  absl::StatusOr<GatewayConfig> config =
      ParseConfig("", Env({{"HUBSPOT_ACCESS_TOKEN", "t"},
                           {"HUBSPOT_PRIVATE_APP_LEGACY_KEY", "k"}}));
  ExpectErrorNaming(config, "environment");
  EXPECT_THAT(std::string(config.status().message()),
              HasSubstr("HUBSPOT_ACCESS_TOKEN"));
}

TEST(ParseConfigTest, TokenAndOAuthEnvFail) {
  ExpectErrorNaming(ParseConfig("", Env({{"HUBSPOT_ACCESS_TOKEN", "t"},
                                         {"HUBSPOT_REFRESH_TOKEN", "r"}})),
                    "environment");
}

TEST(ParseConfigTest, PartialOAuthEnvNamesTheMissingVariable) {
  absl::StatusOr<GatewayConfig> config = ParseConfig(
      "", Env({{"HUBSPOT_CLIENT_ID", "id"}, {"HUBSPOT_REFRESH_TOKEN", "r"}}));
  ExpectErrorNaming(config, "HUBSPOT_CLIENT_SECRET");
  EXPECT_THAT(std::string(config.status().message()),
              StartsWith("environment"));
}

TEST(ParseConfigTest, MissingSecretFileFails) {
  TempFiles files;
  const std::string missing = files.Missing("no-such-token");
  absl::StatusOr<GatewayConfig> config = ParseConfig(
      absl::StrCat(
          R"({"hubspot": {"credentials": {"privateAppToken": {"file": ")",
          missing, R"("}}}})"),
      Env());
  ExpectErrorNaming(config, "hubspot.credentials.privateAppToken");
  EXPECT_THAT(std::string(config.status().message()), HasSubstr(missing));
}

TEST(ParseConfigTest, EmptySecretFileFails) {
  TempFiles files;
  const std::string path = files.Write("token", "  \n");
  absl::StatusOr<GatewayConfig> config = ParseConfig(
      absl::StrCat(
          R"({"hubspot": {"credentials": {"privateAppLegacyKey": {"file": ")",
          path, R"("}}}})"),
      Env());
  ExpectErrorNaming(config, "hubspot.credentials.privateAppLegacyKey");
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("empty"));
}

TEST(ParseConfigTest, EmptyEnvSecretFails) {
  ExpectErrorNaming(ParseConfig("", Env({{"HUBSPOT_ACCESS_TOKEN", ""}})),
                    "HUBSPOT_ACCESS_TOKEN");
}

TEST(ParseConfigTest, SecretWithNewlineInsideFailsWithoutEchoingIt) {
  TempFiles files;
  const std::string path =
      files.Write("token", "pat-na1-FIRSTHALF\nSECONDHALF-xyz\n");
  absl::StatusOr<GatewayConfig> config = ParseConfig(
      absl::StrCat(
          R"({"hubspot": {"credentials": {"privateAppToken": {"file": ")", path,
          R"("}}}})"),
      Env());
  ExpectErrorNaming(config, "hubspot.credentials.privateAppToken");
  const std::string message(config.status().message());
  EXPECT_THAT(message, Not(HasSubstr("FIRSTHALF")));
  EXPECT_THAT(message, Not(HasSubstr("SECONDHALF")));
}

TEST(ParseConfigTest, EnvSecretWithNewlineFailsWithoutEchoingIt) {
  absl::StatusOr<GatewayConfig> config = ParseConfig(
      "", Env({{"HUBSPOT_CLIENT_ID", "id"},
               {"HUBSPOT_CLIENT_SECRET", "TOPSECRET\r\nInjected: header"},
               {"HUBSPOT_REFRESH_TOKEN", "r"}}));
  ExpectErrorNaming(config, "hubspot.credentials.oauth.clientSecret");
  const std::string message(config.status().message());
  EXPECT_THAT(message, Not(HasSubstr("TOPSECRET")));
  EXPECT_THAT(message, Not(HasSubstr("Injected")));
}

TEST(ParseConfigTest, UnsetSecretEnvVarFails) {
  absl::StatusOr<GatewayConfig> config = ParseConfig(
      R"({"hubspot": {"credentials": {"privateAppToken": {"env": "MY_HS_TOKEN"}}}})",
      Env());
  ExpectErrorNaming(config, "hubspot.credentials.privateAppToken");
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("MY_HS_TOKEN"));
}

TEST(ParseConfigTest, SecretWithoutSourceFails) {
  ExpectErrorNaming(
      ParseConfig(R"({"hubspot": {"credentials": {"privateAppToken": {}}}})",
                  Env()),
      "hubspot.credentials.privateAppToken");
}

TEST(ParseConfigTest, OAuthMissingClientSecretFails) {
  ExpectErrorNaming(ParseConfig(R"({"hubspot": {"credentials": {"oauth": {
                        "clientId": {"env": "ID"},
                        "refreshToken": {"env": "RT"}}}}})",
                                Env({{"ID", "id"}, {"RT", "rt"}})),
                    "hubspot.credentials.oauth.clientSecret");
}

TEST(ParseConfigTest, OAuthBadTokenUrlFails) {
  ExpectErrorNaming(
      ParseConfig("", Env({{"HUBSPOT_CLIENT_ID", "a"},
                           {"HUBSPOT_CLIENT_SECRET", "b"},
                           {"HUBSPOT_REFRESH_TOKEN", "c"},
                           {"HUBSPOT_TOKEN_URL", "api.hubapi.com/oauth"}})),
      "hubspot.credentials.oauth.tokenUrl");
}

constexpr char kOAuthFromEnvVars[] = R"({"hubspot": {"credentials": {"oauth": {
    "clientId": {"env": "ID"}, "clientSecret": {"env": "CS"},
    "refreshToken": {"env": "RT"}, "refreshMargin": "%s"}}}})";

EnvLookup OAuthVarsEnv() {
  return Env({{"ID", "id"}, {"CS", "cs"}, {"RT", "rt"}});
}

std::string OAuthWithMargin(const std::string& margin) {
  std::string json = kOAuthFromEnvVars;
  json.replace(json.find("%s"), 2, margin);
  return json;
}

TEST(ParseConfigTest, OAuthRefreshMarginFromFile) {
  absl::StatusOr<GatewayConfig> config =
      ParseConfig(OAuthWithMargin("90s"), OAuthVarsEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(Seconds(config->hubspot().credentials().oauth().refresh_margin()),
            90);
  EXPECT_EQ(config->hubspot().credentials().oauth().token_url(),
            "https://api.hubapi.com/oauth/v1/token");
}

TEST(ParseConfigTest, OAuthZeroRefreshMarginFails) {
  ExpectErrorNaming(ParseConfig(OAuthWithMargin("0s"), OAuthVarsEnv()),
                    "hubspot.credentials.oauth.refreshMargin");
}

TEST(ParseConfigTest, OAuthRefreshMarginAboveTwelveHoursFails) {
  ExpectErrorNaming(ParseConfig(OAuthWithMargin("43201s"), OAuthVarsEnv()),
                    "hubspot.credentials.oauth.refreshMargin");
}

// The OAuth variables replace the file's secrets, not its other OAuth
// settings: tokenUrl is kept (EnvOAuthKeepsTokenUrlFromFile), and so should
// refreshMargin be.
TEST(ParseConfigTest, EnvOAuthKeepsRefreshMarginFromFile) {
  absl::StatusOr<GatewayConfig> config = ParseConfig(
      R"({"hubspot": {"credentials": {"oauth": {"refreshMargin": "600s"}}}})",
      OAuthEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(Seconds(config->hubspot().credentials().oauth().refresh_margin()),
            600);
}

TEST(ParseConfigTest, BadBaseUrlSchemeFails) {
  for (const char* url : {"ftp://api.hubapi.com", "api.hubapi.com",
                          "https://api.hubapi.com?x=1"}) {
    SCOPED_TRACE(url);
    ExpectErrorNaming(
        ParseConfig(absl::StrCat(R"({"hubspot": {"baseUrl": ")", url, R"("}})"),
                    TokenEnv()),
        "hubspot.baseUrl");
  }
}

TEST(ParseConfigTest, BadEnvBaseUrlFails) {
  ExpectErrorNaming(
      ParseConfig("", Env({{"HUBSPOT_ACCESS_TOKEN", "t"},
                           {"HUBSPOT_BASE_URL", "localhost:80"}})),
      "hubspot.baseUrl");
}

TEST(ParseConfigTest, BadListenAddressFails) {
  for (const char* addr : {"localhost", "localhost:", "localhost:http",
                           "0.0.0.0:65536", "0.0.0.0:-1"}) {
    SCOPED_TRACE(addr);
    ExpectErrorNaming(
        ParseConfig(absl::StrCat(R"({"listenAddress": ")", addr, R"("})"),
                    TokenEnv()),
        "listenAddress");
  }
}

TEST(ParseConfigTest, ZeroTimeoutFails) {
  ExpectErrorNaming(
      ParseConfig(R"({"hubspot": {"timeout": "0s"}})", TokenEnv()),
      "hubspot.timeout");
}

TEST(ParseConfigTest, NegativeTimeoutFails) {
  ExpectErrorNaming(
      ParseConfig(R"({"hubspot": {"timeout": "-1s"}})", TokenEnv()),
      "hubspot.timeout");
}

TEST(ParseConfigTest, TimeoutAboveTenMinutesFails) {
  ExpectErrorNaming(
      ParseConfig(R"({"hubspot": {"timeout": "600.001s"}})", TokenEnv()),
      "hubspot.timeout");
}

TEST(ParseConfigTest, TimeoutOfTenMinutesIsAccepted) {
  absl::StatusOr<GatewayConfig> config =
      ParseConfig(R"({"hubspot": {"timeout": "600s"}})", TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(Seconds(config->hubspot().timeout()), 600);
}

TEST(ParseConfigTest, ZeroShutdownGracePeriodFails) {
  ExpectErrorNaming(ParseConfig(R"({"shutdownGracePeriod": "0s"})", TokenEnv()),
                    "shutdownGracePeriod");
}

TEST(ParseConfigTest, TooManyConnectionsFails) {
  ExpectErrorNaming(
      ParseConfig(R"({"hubspot": {"maxConnections": 1025}})", TokenEnv()),
      "hubspot.maxConnections");
}

TEST(ParseConfigTest, CertFileWithoutKeyFileFails) {
  TempFiles files;
  const std::string cert = files.Write("cert.pem", "cert");
  absl::StatusOr<GatewayConfig> config = ParseConfig(
      absl::StrCat(R"({"hubspot": {"tls": {"certFile": ")", cert, R"("}}})"),
      TokenEnv());
  ExpectErrorNaming(config, "hubspot.tls");
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("keyFile"));
}

TEST(ParseConfigTest, KeyFileWithoutCertFileFails) {
  TempFiles files;
  const std::string key = files.Write("key.pem", "key");
  absl::StatusOr<GatewayConfig> config = ParseConfig(
      absl::StrCat(R"({"hubspot": {"tls": {"keyFile": ")", key, R"("}}})"),
      TokenEnv());
  ExpectErrorNaming(config, "hubspot.tls");
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("certFile"));
}

TEST(ParseConfigTest, UnreadableCaFileFails) {
  TempFiles files;
  const std::string ca = files.Missing("ca.pem");
  absl::StatusOr<GatewayConfig> config = ParseConfig(
      absl::StrCat(R"({"hubspot": {"tls": {"caFile": ")", ca, R"("}}})"),
      TokenEnv());
  ExpectErrorNaming(config, "hubspot.tls.caFile");
  EXPECT_THAT(std::string(config.status().message()), HasSubstr(ca));
}

TEST(ParseConfigTest, UnreadableCertFileFails) {
  TempFiles files;
  const std::string key = files.Write("key.pem", "key");
  ExpectErrorNaming(
      ParseConfig(absl::StrCat(R"({"hubspot": {"tls": {"certFile": ")",
                               files.Missing("cert.pem"), R"(", "keyFile": ")",
                               key, R"("}}})"),
                  TokenEnv()),
      "hubspot.tls.certFile");
}

TEST(ParseConfigTest, BadProxyUrlFails) {
  ExpectErrorNaming(
      ParseConfig(R"({"hubspot": {"proxyUrl": "socks5://proxy:1080"}})",
                  TokenEnv()),
      "hubspot.proxyUrl");
}

TEST(ParseConfigTest, InlineSecretIsRefusedWithoutEchoingIt) {
  // A common mistake: the token itself instead of {"file": ...}/{"env": ...}.
  absl::StatusOr<GatewayConfig> config = ParseConfig(
      R"({"hubspot": {"credentials": {"privateAppToken": "pat-na1-INLINESECRET"}}})",
      Env());
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()),
              Not(HasSubstr("INLINESECRET")));
}

TEST(ParseConfigTest, InlineSecretValueFieldIsRefusedWithoutEchoingIt) {
  absl::StatusOr<GatewayConfig> config = ParseConfig(
      R"({"hubspot": {"credentials": {"privateAppToken": {"value": "pat-na1-INLINESECRET"}}}})",
      Env());
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(std::string(config.status().message()),
              Not(HasSubstr("INLINESECRET")));
}

// --- ReadSecret --------------------------------------------------------------

cfg::Secret FileSecret(const std::string& path) {
  cfg::Secret s;
  s.set_file(path);
  return s;
}

cfg::Secret EnvSecret(const std::string& var) {
  cfg::Secret s;
  s.set_env(var);
  return s;
}

TEST(ReadSecretTest, ReadsFileAndTrimsWhitespace) {
  TempFiles files;
  absl::StatusOr<std::string> value = ReadSecret(
      FileSecret(files.Write("s", "\n  pat-na1-abc \r\n")), "f", Env());
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(*value, "pat-na1-abc");
}

TEST(ReadSecretTest, ReadsEnvAndTrimsWhitespace) {
  absl::StatusOr<std::string> value =
      ReadSecret(EnvSecret("TOKEN"), "f", Env({{"TOKEN", " tok\t"}}));
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(*value, "tok");
}

TEST(ReadSecretTest, KeepsInnerSpaces) {
  absl::StatusOr<std::string> value =
      ReadSecret(EnvSecret("TOKEN"), "f", Env({{"TOKEN", "a b"}}));
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(*value, "a b");
}

TEST(ReadSecretTest, MissingFileNamesFieldAndPath) {
  TempFiles files;
  const std::string path = files.Missing("nope");
  absl::StatusOr<std::string> value =
      ReadSecret(FileSecret(path), "my.field", Env());
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(value.status().message()), StartsWith("my.field:"));
  EXPECT_THAT(std::string(value.status().message()), HasSubstr(path));
}

TEST(ReadSecretTest, UnsetEnvNamesFieldAndVariable) {
  absl::StatusOr<std::string> value =
      ReadSecret(EnvSecret("NOT_THERE"), "my.field", Env());
  ASSERT_FALSE(value.ok());
  EXPECT_THAT(std::string(value.status().message()), StartsWith("my.field:"));
  EXPECT_THAT(std::string(value.status().message()), HasSubstr("NOT_THERE"));
}

TEST(ReadSecretTest, EmptyFileFails) {
  TempFiles files;
  absl::StatusOr<std::string> value =
      ReadSecret(FileSecret(files.Write("s", "")), "my.field", Env());
  ASSERT_FALSE(value.ok());
  EXPECT_THAT(std::string(value.status().message()), StartsWith("my.field:"));
  EXPECT_THAT(std::string(value.status().message()), HasSubstr("empty"));
}

TEST(ReadSecretTest, WhitespaceOnlyEnvFails) {
  absl::StatusOr<std::string> value =
      ReadSecret(EnvSecret("T"), "my.field", Env({{"T", " \n "}}));
  ASSERT_FALSE(value.ok());
  EXPECT_THAT(std::string(value.status().message()), HasSubstr("empty"));
}

TEST(ReadSecretTest, NoSourceFails) {
  absl::StatusOr<std::string> value =
      ReadSecret(cfg::Secret(), "my.field", Env());
  ASSERT_FALSE(value.ok());
  EXPECT_THAT(std::string(value.status().message()), StartsWith("my.field:"));
}

TEST(ReadSecretTest, ControlCharactersFailWithoutEchoingTheValue) {
  for (const std::string& secret : {std::string("SECRETAAA\nSECRETBBB"),
                                    std::string("SECRETAAA\rSECRETBBB"),
                                    std::string("SECRETAAA\tSECRETBBB"),
                                    std::string("SECRETAAA\x7fSECRETBBB"),
                                    std::string("SECRETAAA\0SECRETBBB", 19)}) {
    TempFiles files;
    for (const cfg::Secret& source :
         {FileSecret(files.Write("s", secret)), EnvSecret("S")}) {
      absl::StatusOr<std::string> value =
          ReadSecret(source, "my.field", Env({{"S", secret}}));
      ASSERT_FALSE(value.ok());
      const std::string message(value.status().message());
      EXPECT_THAT(message, StartsWith("my.field:"));
      EXPECT_THAT(message, Not(HasSubstr("SECRETAAA")));
      EXPECT_THAT(message, Not(HasSubstr("SECRETBBB")));
    }
  }
}

// --- LoadConfig --------------------------------------------------------------

TEST(LoadConfigTest, ReadsFile) {
  TempFiles files;
  const std::string path =
      files.Write("gateway.json", R"({"listenAddress": "127.0.0.1:7777"})");
  absl::StatusOr<GatewayConfig> config = LoadConfig(path, TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->listen_address(), "127.0.0.1:7777");
  EXPECT_EQ(config->hubspot().base_url(), "https://api.hubapi.com");
}

TEST(LoadConfigTest, EmptyPathGivesDefaults) {
  absl::StatusOr<GatewayConfig> config = LoadConfig("", TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->listen_address(), "127.0.0.1:50051");
}

TEST(LoadConfigTest, EmptyFileGivesDefaults) {
  TempFiles files;
  absl::StatusOr<GatewayConfig> config =
      LoadConfig(files.Write("empty.json", "\n"), TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->listen_address(), "127.0.0.1:50051");
}

TEST(LoadConfigTest, MissingFileFails) {
  TempFiles files;
  const std::string path = files.Missing("gateway.json");
  absl::StatusOr<GatewayConfig> config = LoadConfig(path, TokenEnv());
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("--config"));
  EXPECT_THAT(std::string(config.status().message()), HasSubstr(path));
}

TEST(LoadConfigTest, ErrorsArePrefixedWithThePath) {
  TempFiles files;
  const std::string path =
      files.Write("gateway.json", R"({"hubspot": {"proxyUrl": "ftp://p"}})");
  absl::StatusOr<GatewayConfig> config = LoadConfig(path, TokenEnv());
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(std::string(config.status().message()), StartsWith(path + ": "));
  EXPECT_THAT(std::string(config.status().message()),
              HasSubstr("hubspot.proxyUrl"));
}

TEST(LoadConfigTest, InvalidJsonFileFails) {
  TempFiles files;
  const std::string path = files.Write("gateway.json", "{ not json");
  absl::StatusOr<GatewayConfig> config = LoadConfig(path, TokenEnv());
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(std::string(config.status().message()), StartsWith(path + ": "));
}

TEST(UploadConfigTest, Defaults) {
  absl::StatusOr<GatewayConfig> config = ParseConfig("", TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->upload().spool_directory(), "/tmp");
  EXPECT_EQ(config->upload().max_files(), 10u);
  EXPECT_EQ(config->upload().max_file_bytes(), int64_t{4} << 30);
  EXPECT_EQ(Seconds(config->upload().timeout()), 3600);
  EXPECT_EQ(Seconds(config->upload().idempotency_window()), 24 * 3600);
  EXPECT_EQ(config->upload().max_idempotency_keys(), 10000u);
  EXPECT_EQ(config->upload().spool_window_bytes(), int64_t{64} << 20);
}

TEST(UploadConfigTest, SpoolWindowIsZeroOrAtLeastTwoChunks) {
  absl::StatusOr<GatewayConfig> whole =
      ParseConfig(R"({"upload": {"spoolWindowBytes": "0"}})", TokenEnv());
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_EQ(whole->upload().spool_window_bytes(), 0);
  ExpectErrorNaming(
      ParseConfig(R"({"upload": {"spoolWindowBytes": "1048576"}})",
                  TokenEnv()),
      "upload.spoolWindowBytes");
  ExpectErrorNaming(
      ParseConfig(R"({"upload": {"spoolWindowBytes": "-1"}})", TokenEnv()),
      "upload.spoolWindowBytes");
}

TEST(UploadConfigTest, SpoolDirectoryMustBeWritable) {
  TempFiles files;
  ExpectErrorNaming(ParseConfig(R"({"upload": {"spoolDirectory": ")" +
                                    files.Missing("nowhere") + R"("}})",
                                TokenEnv()),
                    "upload.spoolDirectory");
}

TEST(UploadConfigTest, LimitsAreChecked) {
  ExpectErrorNaming(
      ParseConfig(R"({"upload": {"maxFiles": 5000}})", TokenEnv()),
      "upload.maxFiles");
  ExpectErrorNaming(
      ParseConfig(R"({"upload": {"maxFileBytes": "-1"}})", TokenEnv()),
      "upload.maxFileBytes");
  ExpectErrorNaming(ParseConfig(R"({"upload": {"timeout": "0s"}})", TokenEnv()),
                    "upload.timeout");
}

TEST(UploadConfigTest, IdempotencySettingsAreChecked) {
  ExpectErrorNaming(
      ParseConfig(R"({"upload": {"idempotencyWindow": "0s"}})", TokenEnv()),
      "upload.idempotencyWindow");
  ExpectErrorNaming(
      ParseConfig(R"({"upload": {"idempotencyWindow": "700000s"}})",
                  TokenEnv()),
      "upload.idempotencyWindow");
  ExpectErrorNaming(
      ParseConfig(R"({"upload": {"maxIdempotencyKeys": 2000000}})",
                  TokenEnv()),
      "upload.maxIdempotencyKeys");
}

TEST(RetryConfigTest, Defaults) {
  absl::StatusOr<GatewayConfig> config = ParseConfig("", TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  const auto& retry = config->hubspot().retry();
  EXPECT_EQ(retry.count(), 3u);
  EXPECT_EQ(retry.interval().nanos(), 500000000);
  EXPECT_EQ(retry.backoff_factor(), 2);
  EXPECT_EQ(Seconds(retry.max_wait_interval()), 20);
  EXPECT_THAT(retry.status_codes(),
              ::testing::ElementsAre(429, 500, 502, 503, 504));
  EXPECT_EQ(retry.budget_max_tokens(), 10u);
  EXPECT_DOUBLE_EQ(retry.budget_token_ratio(), 0.1);
}

TEST(RetryConfigTest, ZeroCountIsKept) {
  absl::StatusOr<GatewayConfig> config =
      ParseConfig(R"({"hubspot": {"retry": {"count": 0}}})", TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->hubspot().retry().count(), 0u);
}

TEST(RetryConfigTest, BadValuesAreNamed) {
  for (const auto& [json, field] :
       std::vector<std::pair<std::string, std::string>>{
           {R"({"count": 11})", "hubspot.retry.count"},
           {R"({"interval": "0s"})", "hubspot.retry.interval"},
           {R"({"maxWaitInterval": "3600s"})",
            "hubspot.retry.maxWaitInterval"},
           {R"({"backoffFactor": 0.5})", "hubspot.retry.backoffFactor"},
           {R"({"statusCodes": [200]})", "hubspot.retry.statusCodes"},
           {R"({"budgetMaxTokens": 5000})", "hubspot.retry.budgetMaxTokens"},
           {R"({"budgetTokenRatio": 2})", "hubspot.retry.budgetTokenRatio"},
       }) {
    ExpectErrorNaming(
        ParseConfig(R"({"hubspot": {"retry": )" + json + "}}", TokenEnv()),
        field);
  }
}

}  // namespace
}  // namespace hubspot_gateway

namespace hubspot_gateway {
namespace {

TEST(CircuitBreakerConfigTest, Defaults) {
  absl::StatusOr<GatewayConfig> config = ParseConfig("", TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  const auto& b = config->hubspot().circuit_breaker();
  EXPECT_TRUE(b.enabled());
  EXPECT_EQ(Seconds(b.rolling_window().time_window()), 60);
  EXPECT_EQ(Seconds(b.rolling_window().bucket_size()), 10);
  EXPECT_EQ(b.rolling_window().request_volume_threshold(), 10u);
  EXPECT_EQ(b.failure_threshold(), 0.5);
  EXPECT_EQ(Seconds(b.reset_time()), 30);
  EXPECT_EQ(b.status_codes_size(), 5);
}

TEST(CircuitBreakerConfigTest, CanBeTurnedOff) {
  absl::StatusOr<GatewayConfig> config = ParseConfig(
      R"({"hubspot": {"circuitBreaker": {"enabled": false}}})", TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_FALSE(config->hubspot().circuit_breaker().enabled());
}

TEST(CircuitBreakerConfigTest, BadValuesAreNamed) {
  ExpectErrorNaming(
      ParseConfig(R"({"hubspot": {"circuitBreaker": {"failureThreshold": 1.5}}})",
                  TokenEnv()),
      "hubspot.circuitBreaker.failureThreshold");
  ExpectErrorNaming(
      ParseConfig(R"({"hubspot": {"circuitBreaker": {"resetTime": "0s"}}})",
                  TokenEnv()),
      "hubspot.circuitBreaker.resetTime");
  ExpectErrorNaming(
      ParseConfig(R"({"hubspot": {"circuitBreaker": {"rollingWindow":
                      {"timeWindow": "10s", "bucketSize": "20s"}}}})",
                  TokenEnv()),
      "hubspot.circuitBreaker.rollingWindow.bucketSize");
  ExpectErrorNaming(
      ParseConfig(R"({"hubspot": {"circuitBreaker": {"statusCodes": [42]}}})",
                  TokenEnv()),
      "hubspot.circuitBreaker.statusCodes");
}

}  // namespace
}  // namespace hubspot_gateway

namespace hubspot_gateway {
namespace {

TEST(ProxyConfigTest, CredentialsNeedAProxyAndStayOutOfTheUrl) {
  ExpectErrorNaming(
      ParseConfig(R"({"hubspot": {"proxyCredentials": {"env": "P"}}})",
                  TokenEnv()),
      "hubspot.proxyCredentials");
  ExpectErrorNaming(
      ParseConfig(R"({"hubspot": {"proxyUrl": "http://u:p@proxy:3128"}})",
                  TokenEnv()),
      "hubspot.proxyUrl");
}

TEST(TlsConfigTest, MinimumVersionDefaultsToTls12) {
  absl::StatusOr<GatewayConfig> config = ParseConfig("", TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_NE(config->hubspot().tls().min_version(), cfg::TLS_VERSION_1_3);
  config = ParseConfig(
      R"({"hubspot": {"tls": {"minVersion": "TLS_VERSION_1_3"}}})", TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->hubspot().tls().min_version(), cfg::TLS_VERSION_1_3);
}

}  // namespace
}  // namespace hubspot_gateway

namespace hubspot_gateway {
namespace {

TEST(RateLimitConfigTest, OnByDefaultAtHubSpotsLowestLimit) {
  absl::StatusOr<GatewayConfig> config = ParseConfig("", TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  const auto& l = config->hubspot().rate_limit();
  EXPECT_EQ(l.requests_per_interval(), 100u);
  EXPECT_EQ(Seconds(l.interval()), 10);
  EXPECT_EQ(Seconds(l.max_wait()), 1);
  EXPECT_FALSE(l.has_redis());
  config = ParseConfig(R"({"hubspot": {"rateLimit": {"requestsPerInterval": 0}}})",
                       TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->hubspot().rate_limit().requests_per_interval(), 0u);
}

TEST(RateLimitConfigTest, BadValuesAreNamed) {
  ExpectErrorNaming(
      ParseConfig(R"({"hubspot": {"rateLimit": {"maxWait": "300s"}}})", TokenEnv()),
      "hubspot.rateLimit.maxWait");
  ExpectErrorNaming(
      ParseConfig(R"({"hubspot": {"rateLimit": {"redis": {"address": "redis"}}}})",
                  TokenEnv()),
      "hubspot.rateLimit.redis.address");
  ExpectErrorNaming(
      ParseConfig(R"({"hubspot": {"rateLimit": {"requestsPerInterval": 0,
                      "redis": {"address": "redis:6379"}}}})",
                  TokenEnv()),
      "hubspot.rateLimit.redis");
  absl::StatusOr<GatewayConfig> ok = ParseConfig(
      R"({"hubspot": {"rateLimit": {"redis": {"address": "redis:6379"}}}})",
      TokenEnv());
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->hubspot().rate_limit().redis().key(),
            "hubspot-imports-gateway:rate-limit");
}

TEST(ReadSecretTest, WorldReadableFileIsRefused) {
  TempFiles files;
  const std::string path = files.Write("s", "pat-world-readable");
  std::filesystem::permissions(path, std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  cfg::Secret secret;
  secret.set_file(path);
  auto value = ReadSecret(secret, "my.field", Env({}));
  ASSERT_FALSE(value.ok());
  EXPECT_THAT(std::string(value.status().message()),
              HasSubstr("my.field: secret file"));
  EXPECT_THAT(std::string(value.status().message()),
              HasSubstr("readable by every user"));
  EXPECT_THAT(std::string(value.status().message()),
              Not(HasSubstr("pat-world-readable")));
}

TEST(ExposureTest, PlaintextMustBeAskedFor) {
  auto config = ParseConfig(R"({"access": {"anonymousPermissions": ["PERMISSION_READ"]}})",
                            TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  const absl::Status status = ValidateExposure(*config);
  EXPECT_THAT(std::string(status.message()), HasSubstr("listenerTls"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("allowPlaintext"));
}

TEST(ExposureTest, SomeoneMustBeAllowedToCall) {
  auto config = ParseConfig(R"({"allowPlaintext": true})", TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  const absl::Status status = ValidateExposure(*config);
  EXPECT_THAT(std::string(status.message()), HasSubstr("access: no callers"));
}

TEST(ExposureTest, LocalSetupIsAccepted) {
  auto config = ParseConfig(
      R"({"allowPlaintext": true,
          "access": {"anonymousPermissions": ["PERMISSION_READ"]}})",
      TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(ValidateExposure(*config).ok());
  EXPECT_TRUE(config->access().open_health());
  EXPECT_TRUE(config->access().open_reflection());
}

TEST(ExposureTest, ListenerTlsDefaultsAndConflicts) {
  TempFiles files;
  const std::string tls = absl::StrCat(
      R"("listenerTls": {"certFile": ")", files.Write("c", "x"),
      R"(", "keyFile": ")", files.Write("k", "x"), R"(", "clientCaFile": ")",
      files.Write("ca", "x"), R"("})");
  auto config = ParseConfig(absl::StrCat("{", tls, "}"), TokenEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(config->listener_tls().require_client_certificate());
  EXPECT_EQ(config->listener_tls().reload_interval().seconds(), 60);

  auto both = ParseConfig(absl::StrCat("{", tls, R"(, "allowPlaintext": true})"),
                          TokenEnv());
  ASSERT_FALSE(both.ok());
  EXPECT_THAT(std::string(both.status().message()),
              HasSubstr("allowPlaintext: contradicts listenerTls"));

  auto no_key = ParseConfig(R"({"listenerTls": {"certFile": "/c"}})", TokenEnv());
  ASSERT_FALSE(no_key.ok());
  EXPECT_THAT(std::string(no_key.status().message()),
              HasSubstr("listenerTls: certFile and keyFile"));

  auto closed = ParseConfig(
      R"({"allowPlaintext": true, "access": {"openHealth": false}})",
      TokenEnv());
  ASSERT_FALSE(closed.ok());
  EXPECT_THAT(std::string(closed.status().message()),
              HasSubstr("needs listenerTls"));
}

TEST(ConfigErrorTest, IsOneLineWhateverTheValue) {
  auto config = ParseConfig(
      R"({"listenAddress": "0.0.0.0:1\nFAKE LOG LINE"})", TokenEnv());
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(std::string(config.status().message()), Not(HasSubstr("\n")));
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("listenAddress"));
}

TEST(ConfigErrorTest, SecretPastedAsAFilePathIsNotShown) {
  auto config = ParseConfig(
      R"({"hubspot": {"credentials": {"privateAppToken":
           {"file": "pat-na1-pasted-by-mistake-1234"}}}})",
      Env({}));
  ASSERT_FALSE(config.ok());
  const std::string message(config.status().message());
  EXPECT_THAT(message, HasSubstr("hubspot.credentials.privateAppToken"));
  EXPECT_THAT(message, Not(HasSubstr("pasted-by-mistake")));
  EXPECT_THAT(message, HasSubstr("did a secret go into"));
}

}  // namespace
}  // namespace hubspot_gateway
