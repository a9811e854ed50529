#include "emulator/api/accounts.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/clock.h"
#include "server/common/json.h"

namespace hubspot_emulator {
namespace {

using ::testing::HasSubstr;

constexpr char kCredentials[] = R"({
  "privateAppTokens": ["pat-emulator-1"],
  "privateAppLegacyKeys": ["legacy-key-1"],
  "oauth": [{"clientId": "client-1", "clientSecret": "secret-1",
             "refreshTokens": ["refresh-1", "refresh-2"]}]})";

HttpRequest WithHeader(const std::string& name, const std::string& value) {
  HttpRequest r;
  r.method = "GET";
  r.path = "/crm/v3/imports";
  r.headers.push_back({name, value});
  return r;
}

class AccountsTest : public ::testing::Test {
 protected:
  AccountsTest()
      : accounts_(*ParseCredentials(kCredentials), &clock_,
                  absl::Minutes(30)) {}

  // The access token of a successful grant.
  std::string GrantedToken(const std::string& refresh = "refresh-1") {
    JsonAnswer a = accounts_.Grant(
        "grant_type=refresh_token&client_id=client-1&client_secret=secret-1"
        "&refresh_token=" + refresh);
    EXPECT_EQ(a.status, 200) << a.body;
    auto parsed = hubspot_gateway::ParseJsonObject(a.body);
    return parsed.ok() ? parsed->fields().at("access_token").string_value()
                       : "";
  }

  hubspot_gateway::FakeClock clock_;
  Accounts accounts_;
};

TEST(ParseCredentialsTest, NamesWhatIsWrong) {
  EXPECT_THAT(std::string(ParseCredentials("{}").status().message()),
              HasSubstr("no credentials"));
  EXPECT_THAT(
      std::string(
          ParseCredentials(R"({"privateAppTokens": "x"})").status().message()),
      HasSubstr("privateAppTokens"));
  EXPECT_THAT(std::string(ParseCredentials(R"({"oauth": [{"clientId": "a"}]})")
                              .status()
                              .message()),
              HasSubstr("oauth[0].clientId and clientSecret"));
  EXPECT_FALSE(ParseCredentials("not json").ok());
}

TEST_F(AccountsTest, MissingCredentialsGetHubSpots401) {
  HttpRequest r;
  std::optional<JsonAnswer> denied = accounts_.Authenticate(r);
  ASSERT_TRUE(denied.has_value());
  EXPECT_EQ(denied->status, 401);
  EXPECT_THAT(denied->body, HasSubstr("\"category\":\"INVALID_AUTHENTICATION\""));
  EXPECT_THAT(denied->body, HasSubstr("\"correlationId\":"));
  EXPECT_THAT(denied->body, HasSubstr("Authentication credentials not found"));
}

TEST_F(AccountsTest, PrivateAppTokenAndLegacyKeyAreChecked) {
  EXPECT_FALSE(accounts_.Authenticate(
                   WithHeader("authorization", "Bearer pat-emulator-1"))
                   .has_value());
  EXPECT_TRUE(accounts_.Authenticate(
                  WithHeader("authorization", "Bearer pat-emulator-2"))
                  .has_value());
  EXPECT_TRUE(accounts_.Authenticate(
                  WithHeader("authorization", "Basic pat-emulator-1"))
                  .has_value());
  EXPECT_FALSE(accounts_.Authenticate(
                   WithHeader("private-app-legacy", "legacy-key-1"))
                   .has_value());
  EXPECT_TRUE(accounts_.Authenticate(
                  WithHeader("private-app-legacy", "legacy-key-2"))
                  .has_value());
}

TEST_F(AccountsTest, GrantIssuesTokensThatExpire) {
  const std::string token = GrantedToken();
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(accounts_.tokens_issued(), 1);
  const HttpRequest call = WithHeader("authorization", "Bearer " + token);
  EXPECT_FALSE(accounts_.Authenticate(call).has_value());
  clock_.Advance(absl::Minutes(30) + absl::Seconds(3));
  std::optional<JsonAnswer> denied = accounts_.Authenticate(call);
  ASSERT_TRUE(denied.has_value());
  EXPECT_EQ(denied->status, 401);
  EXPECT_THAT(denied->body, HasSubstr("EXPIRED_AUTHENTICATION"));
  EXPECT_THAT(denied->body, HasSubstr("expired 3 second(s) ago"));
  // A fresh grant works again.
  EXPECT_FALSE(
      accounts_
          .Authenticate(WithHeader("authorization", "Bearer " + GrantedToken()))
          .has_value());
}

TEST_F(AccountsTest, GrantAnswersExpiresIn) {
  JsonAnswer a = accounts_.Grant(
      "grant_type=refresh_token&client_id=client-1&client_secret=secret-1"
      "&refresh_token=refresh-2");
  ASSERT_EQ(a.status, 200);
  EXPECT_THAT(a.body, HasSubstr("\"expires_in\":1800"));
  EXPECT_THAT(a.body, HasSubstr("\"token_type\":\"bearer\""));
  EXPECT_THAT(a.body, HasSubstr("\"refresh_token\":\"refresh-2\""));
}

TEST_F(AccountsTest, BadGrantsAreRefusedAsHubSpotDoes) {
  auto grant = [this](const std::string& form) {
    return accounts_.Grant(form);
  };
  JsonAnswer a = grant("grant_type=password");
  EXPECT_EQ(a.status, 400);
  EXPECT_THAT(a.body, HasSubstr("BAD_GRANT_TYPE"));
  a = grant("grant_type=refresh_token&client_id=nobody&client_secret=x"
            "&refresh_token=refresh-1");
  EXPECT_THAT(a.body, HasSubstr("BAD_CLIENT_ID"));
  a = grant("grant_type=refresh_token&client_id=client-1&client_secret=x"
            "&refresh_token=refresh-1");
  EXPECT_THAT(a.body, HasSubstr("BAD_CLIENT_SECRET"));
  a = grant("grant_type=refresh_token&client_id=client-1"
            "&client_secret=secret-1&refresh_token=unknown");
  EXPECT_EQ(a.status, 400);
  EXPECT_THAT(a.body, HasSubstr("BAD_REFRESH_TOKEN"));
  EXPECT_EQ(accounts_.tokens_issued(), 0);
}

TEST_F(AccountsTest, RevokedRefreshTokenNoLongerGrants) {
  EXPECT_TRUE(accounts_.RevokeRefreshToken("refresh-1"));
  EXPECT_FALSE(accounts_.RevokeRefreshToken("refresh-1"));
  JsonAnswer a = accounts_.Grant(
      "grant_type=refresh_token&client_id=client-1&client_secret=secret-1"
      "&refresh_token=refresh-1");
  EXPECT_THAT(a.body, HasSubstr("BAD_REFRESH_TOKEN"));
}

TEST_F(AccountsTest, FormValuesArePercentDecoded) {
  Accounts accounts(
      *ParseCredentials(R"({"oauth": [{"clientId": "a b", "clientSecret":
          "s&=", "refreshTokens": ["r/1"]}]})"),
      &clock_, absl::Minutes(30));
  JsonAnswer a = accounts.Grant(
      "grant_type=refresh_token&client_id=a+b&client_secret=s%26%3D"
      "&refresh_token=r%2F1");
  EXPECT_EQ(a.status, 200) << a.body;
}

TEST_F(AccountsTest, ExpireAccessTokensEndsThemNow) {
  const HttpRequest call =
      WithHeader("authorization", "Bearer " + GrantedToken());
  accounts_.ExpireAccessTokens();
  std::optional<JsonAnswer> denied = accounts_.Authenticate(call);
  ASSERT_TRUE(denied.has_value());
  EXPECT_THAT(denied->body, HasSubstr("EXPIRED_AUTHENTICATION"));
}

TEST(CorrelationIdTest, IsAVersion4Uuid) {
  const std::string id = NewCorrelationId();
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '4');
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);
  EXPECT_NE(NewCorrelationId(), id);
}

}  // namespace
}  // namespace hubspot_emulator
