// Several HubSpot accounts in one configuration (hubspotAccounts): each is
// defaulted and validated as `hubspot` is, errors name the account's field,
// and the environment's credentials, meant for `hubspot`, are refused.

#include <map>
#include <optional>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/fake_env.h"
#include "server/config/config_loader.h"

namespace hubspot_gateway {
namespace {

namespace cfg = ::hubspot::crm::imports::gateway::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

EnvLookup Env(std::map<std::string, std::string> vars = {}) {
  return testing::FakeEnv(std::move(vars));
}

const EnvLookup kEnv =
    Env({{"SALES_TOKEN", "pat-sales"}, {"MARKETING_TOKEN", "pat-marketing"}});

// Two accounts, `extra_sales` spliced into the first.
std::string TwoAccounts(absl::string_view extra_sales = "",
                        absl::string_view extra_top = "") {
  return absl::StrCat(
      R"({)", extra_top, R"("hubspotAccounts": {
        "sales": {)", extra_sales,
      R"("credentials": {"privateAppToken": {"env": "SALES_TOKEN"}}},
        "marketing": {"baseUrl": "https://eu1.api.hubapi.com/",
          "credentials": {"privateAppToken": {"env": "MARKETING_TOKEN"}}}}})");
}

std::vector<std::string> Names(const GatewayConfig& config) {
  std::vector<std::string> names;
  for (const HubSpotAccountConfig& a : HubSpotAccountsOf(config)) {
    names.push_back(absl::StrCat(a.name, "@", a.field));
  }
  return names;
}

TEST(HubSpotAccountsTest, OneHubSpotIsTheAccountDefault) {
  auto config = ParseConfig(
      R"({"hubspot": {"credentials": {"privateAppToken": {"env": "SALES_TOKEN"}}}})",
      kEnv);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_THAT(Names(*config), ElementsAre("default@hubspot"));
  EXPECT_EQ(DefaultHubSpotAccount(*config), "default");
}

TEST(HubSpotAccountsTest, EachAccountGetsTheDefaultsInNameOrder) {
  auto config = ParseConfig(TwoAccounts(), kEnv);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_THAT(Names(*config), ElementsAre("marketing@hubspotAccounts.marketing",
                                          "sales@hubspotAccounts.sales"));
  EXPECT_FALSE(config->has_hubspot());
  const cfg::HubSpotUpstream& sales = config->hubspot_accounts().at("sales");
  const cfg::HubSpotUpstream& marketing =
      config->hubspot_accounts().at("marketing");
  EXPECT_EQ(sales.base_url(), "https://api.hubapi.com");
  EXPECT_EQ(marketing.base_url(), "https://eu1.api.hubapi.com");
  for (const cfg::HubSpotUpstream* hs : {&sales, &marketing}) {
    EXPECT_EQ(hs->timeout().seconds(), 30);
    EXPECT_EQ(hs->retry().count(), 3);
    EXPECT_EQ(hs->rate_limit().requests_per_interval(), 100u);
    EXPECT_TRUE(hs->circuit_breaker().enabled());
  }
  // Several accounts and no defaultHubspotAccount: calls must name one.
  EXPECT_EQ(DefaultHubSpotAccount(*config), "");
}

TEST(HubSpotAccountsTest, OneNamedAccountIsTheDefault) {
  auto config = ParseConfig(
      R"({"hubspotAccounts": {"sales": {"credentials": {"privateAppToken":
          {"env": "SALES_TOKEN"}}}}})",
      kEnv);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(DefaultHubSpotAccount(*config), "sales");
}

TEST(HubSpotAccountsTest, DefaultAccountMustBeOneOfThem) {
  auto config =
      ParseConfig(TwoAccounts("", R"("defaultHubspotAccount": "marketing",)"),
                  kEnv);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(DefaultHubSpotAccount(*config), "marketing");

  auto unknown = ParseConfig(
      TwoAccounts("", R"("defaultHubspotAccount": "support",)"), kEnv);
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(std::string(unknown.status().message()),
              StartsWith("defaultHubspotAccount: \"support\" is not one of "
                         "hubspotAccounts"));

  auto single = ParseConfig(
      R"({"defaultHubspotAccount": "sales", "hubspot": {"credentials":
          {"privateAppToken": {"env": "SALES_TOKEN"}}}})",
      kEnv);
  ASSERT_FALSE(single.ok());
  EXPECT_THAT(std::string(single.status().message()),
              HasSubstr("needs hubspotAccounts"));
}

TEST(HubSpotAccountsTest, ErrorsNameTheAccountsField) {
  for (const auto& [extra, field] : std::vector<std::pair<std::string, std::string>>{
           {R"("timeout": "0s",)", "hubspotAccounts.sales.timeout: "},
           {R"("retry": {"count": 11},)", "hubspotAccounts.sales.retry.count: "},
           {R"("circuitBreaker": {"failureThreshold": 2},)",
            "hubspotAccounts.sales.circuitBreaker.failureThreshold: "},
           {R"("rateLimit": {"maxWait": "300s"},)",
            "hubspotAccounts.sales.rateLimit.maxWait: "},
           {R"("proxyUrl": "socks://x",)", "hubspotAccounts.sales.proxyUrl: "},
           {R"("tls": {"caFile": "/nonexistent/ca.pem"},)",
            "hubspotAccounts.sales.tls.caFile: "},
       }) {
    auto config = ParseConfig(TwoAccounts(extra), kEnv);
    ASSERT_FALSE(config.ok()) << extra;
    EXPECT_THAT(std::string(config.status().message()), StartsWith(field))
        << extra;
  }
  auto missing = ParseConfig(
      R"({"hubspotAccounts": {"sales": {"credentials": {"privateAppToken":
          {"env": "NOT_SET"}}}}})",
      kEnv);
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(
      std::string(missing.status().message()),
      StartsWith("hubspotAccounts.sales.credentials.privateAppToken: "
                 "environment variable NOT_SET is not set"));
  auto none = ParseConfig(R"({"hubspotAccounts": {"sales": {}}})", kEnv);
  ASSERT_FALSE(none.ok());
  EXPECT_THAT(std::string(none.status().message()),
              StartsWith("hubspotAccounts.sales.credentials: none configured"));
}

TEST(HubSpotAccountsTest, AccountNamesAreShortLowercaseWords) {
  for (absl::string_view name :
       {"Sales", "sales team", "-sales", "", "a23456789012345678901234567890123",
        "sales/eu", "s\nx"}) {
    auto config = ParseConfig(
        absl::StrCat(R"({"hubspotAccounts": {")", absl::CEscape(name),
                     R"(": {"credentials": {"privateAppToken":
                        {"env": "SALES_TOKEN"}}}}})"),
        kEnv);
    ASSERT_FALSE(config.ok()) << name;
    EXPECT_THAT(std::string(config.status().message()),
                StartsWith("hubspotAccounts: \""))
        << name;
    EXPECT_THAT(std::string(config.status().message()),
                HasSubstr("is not an account name"));
    EXPECT_EQ(std::string(config.status().message()).find('\n'),
              std::string::npos);
  }
  auto fine = ParseConfig(
      R"({"hubspotAccounts": {"eu-2": {"credentials": {"privateAppToken":
          {"env": "SALES_TOKEN"}}}}})",
      kEnv);
  EXPECT_TRUE(fine.ok()) << fine.status();
}

TEST(HubSpotAccountsTest, HubSpotAndAccountsAreExclusive) {
  auto config = ParseConfig(
      absl::StrCat(R"({"hubspot": {"timeout": "5s"},)",
                   TwoAccounts().substr(1)),
      kEnv);
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(std::string(config.status().message()),
              StartsWith("hubspot: set either hubspot (one HubSpot account) "
                         "or hubspotAccounts (several), not both"));
}

TEST(HubSpotAccountsTest, EnvironmentCredentialsAreHubSpotsOnly) {
  for (absl::string_view var :
       {"HUBSPOT_ACCESS_TOKEN", "HUBSPOT_PRIVATE_APP_LEGACY_KEY",
        "HUBSPOT_REFRESH_TOKEN"}) {
    auto config = ParseConfig(
        TwoAccounts(), Env({{"SALES_TOKEN", "a"},
                            {"MARKETING_TOKEN", "b"},
                            {std::string(var), "pat-from-environment"}}));
    ASSERT_FALSE(config.ok()) << var;
    EXPECT_THAT(std::string(config.status().message()),
                StartsWith(absl::StrCat("environment: ", var)));
    EXPECT_THAT(std::string(config.status().message()),
                Not(HasSubstr("pat-from-environment")));
  }
}

TEST(HubSpotAccountsTest, BaseUrlFromTheEnvironmentIsEveryAccounts) {
  auto config = ParseConfig(
      TwoAccounts(), Env({{"SALES_TOKEN", "a"},
                          {"MARKETING_TOKEN", "b"},
                          {"HUBSPOT_BASE_URL", "http://127.0.0.1:8089"}}));
  ASSERT_TRUE(config.ok()) << config.status();
  for (const HubSpotAccountConfig& a : HubSpotAccountsOf(*config)) {
    EXPECT_EQ(a.upstream->base_url(), "http://127.0.0.1:8089") << a.name;
  }
}

TEST(HubSpotAccountsTest, EachAccountHasItsOwnSharedBudget) {
  const std::string redis = R"("rateLimit": {"redis": {"address": "redis:6379"}},)";
  auto config = ParseConfig(
      absl::StrCat(R"({"hubspotAccounts": {
        "sales": {)", redis, R"("credentials": {"privateAppToken": {"env": "SALES_TOKEN"}}},
        "marketing": {)", redis, R"("credentials": {"privateAppToken": {"env": "MARKETING_TOKEN"}}}}})"),
      kEnv);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->hubspot_accounts().at("sales").rate_limit().redis().key(),
            "hubspot-imports-gateway:rate-limit:sales");
  EXPECT_EQ(
      config->hubspot_accounts().at("marketing").rate_limit().redis().key(),
      "hubspot-imports-gateway:rate-limit:marketing");

  const std::string same_key =
      R"("rateLimit": {"redis": {"address": "redis:6379", "key": "k"}},)";
  auto shared = ParseConfig(
      absl::StrCat(R"({"hubspotAccounts": {
        "sales": {)", same_key, R"("credentials": {"privateAppToken": {"env": "SALES_TOKEN"}}},
        "marketing": {)", same_key, R"("credentials": {"privateAppToken": {"env": "MARKETING_TOKEN"}}}}})"),
      kEnv);
  ASSERT_FALSE(shared.ok());
  EXPECT_THAT(std::string(shared.status().message()),
              StartsWith("hubspotAccounts.sales.rateLimit.redis.key: is "
                         "account \"marketing\"'s too"));
}

TEST(HubSpotAccountsTest, SingleAccountKeepsItsRedisKey) {
  auto config = ParseConfig(
      R"({"hubspot": {"rateLimit": {"redis": {"address": "redis:6379"}},
          "credentials": {"privateAppToken": {"env": "SALES_TOKEN"}}}})",
      kEnv);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->hubspot().rate_limit().redis().key(),
            "hubspot-imports-gateway:rate-limit");
}

}  // namespace
}  // namespace hubspot_gateway
