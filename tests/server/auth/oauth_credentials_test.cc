#include "server/auth/oauth_credentials.h"

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/clock.h"
#include "server/common/log.h"
#include "server/http/http_upstream.h"
#include "tests/support/secret_volume.h"
#include "tests/support/test_env.h"

namespace hubspot_gateway {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kTokenUrl[] = "https://auth.example.test/oauth/v1/token";
constexpr char kClientId[] = "client-id-123";
constexpr char kClientSecret[] = "CLIENT-SECRET-9f8e7d";
constexpr char kRefreshToken[] = "REFRESH-TOKEN-a1b2c3";

// Records each request and keeps its callback; the test answers by hand.
class FakeHttp final : public HttpUpstream {
 public:
  void Send(HttpRequest request, HttpCallback done) override {
    requests_.push_back(std::move(request));
    pending_.push_back(std::move(done));
  }

  const std::vector<HttpRequest>& requests() const { return requests_; }
  size_t pending() const { return pending_.size(); }

  // Completes the oldest pending request.
  void Complete(absl::StatusOr<HttpResponse> response) {
    ASSERT_FALSE(pending_.empty()) << "no request to answer";
    HttpCallback done = std::move(pending_.front());
    pending_.pop_front();
    TransferFacts facts;
    facts.request_issued = true;
    facts.body_sent_whole = true;
    std::move(done)(std::move(response), facts);
  }
  void Answer(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    Complete(std::move(r));
  }

 private:
  std::vector<HttpRequest> requests_;
  std::deque<HttpCallback> pending_;
};

std::string TokenBody(const std::string& access_token, int expires_in,
                      const std::string& refresh_token = "") {
  std::string body = "{\"access_token\": \"" + access_token +
                     "\", \"token_type\": \"bearer\", \"expires_in\": " +
                     std::to_string(expires_in);
  if (!refresh_token.empty()) {
    body += ", \"refresh_token\": \"" + refresh_token + "\"";
  }
  return body + "}";
}

std::string PercentDecode(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    int byte = 0;
    if (s[i] == '%' && i + 2 < s.size() &&
        absl::SimpleHexAtoi(s.substr(i + 1, 2), &byte)) {
      out += static_cast<char>(byte);
      i += 2;
    } else if (s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

std::map<std::string, std::string> FormFields(const std::string& body) {
  std::map<std::string, std::string> fields;
  for (absl::string_view pair : absl::StrSplit(body, '&', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    fields[PercentDecode(kv.first)] = PercentDecode(kv.second);
  }
  return fields;
}

// What one GetAuthHeader call got, and whether it got it already.
struct Result {
  bool done = false;
  absl::StatusOr<AuthHeader> header;
};

class OAuthCredentialsTest : public ::testing::Test {
 protected:
  OAuthCredentialsTest() {
    SetMinLogLevel(LogLevel::kError);
    settings_.token_url = kTokenUrl;
    settings_.client_id = FixedSecret(kClientId);
    settings_.client_secret = FixedSecret(kClientSecret);
    settings_.refresh_token = FixedSecret(kRefreshToken);
    settings_.refresh_margin = absl::Minutes(5);
    settings_.rejection_backoff = absl::Seconds(5);
  }

  OAuthCredentials& credentials() {
    if (credentials_ == nullptr) {
      credentials_ =
          std::make_unique<OAuthCredentials>(settings_, &http_, &clock_);
    }
    return *credentials_;
  }

  std::shared_ptr<Result> Get() {
    auto result = std::make_shared<Result>();
    credentials().GetAuthHeader([result](absl::StatusOr<AuthHeader> h) {
      EXPECT_FALSE(result->done) << "callback ran twice";
      result->done = true;
      result->header = std::move(h);
    });
    return result;
  }

  // A token fetched and cached: one request answered with `expires_in`.
  AuthHeader Prime(const std::string& token = "at-1", int expires_in = 1800) {
    auto r = Get();
    http_.Answer(200, TokenBody(token, expires_in));
    EXPECT_TRUE(r->done);
    EXPECT_TRUE(r->header.ok()) << r->header.status();
    return r->header.ok() ? *r->header : AuthHeader();
  }

  std::map<std::string, std::string> LastForm() const {
    return FormFields(http_.requests().back().body);
  }

  OAuthSettings settings_;
  FakeHttp http_;
  FakeClock clock_;
  std::unique_ptr<OAuthCredentials> credentials_;
};

// --- The token request -----------------------------------------------------

TEST_F(OAuthCredentialsTest, FirstCallSendsOneFormEncodedRefreshRequest) {
  auto r = Get();
  EXPECT_FALSE(r->done);
  ASSERT_EQ(http_.requests().size(), 1u);
  const HttpRequest& request = http_.requests()[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, kTokenUrl);
  EXPECT_THAT(request.headers,
              Contains("Content-Type: application/x-www-form-urlencoded"));
  EXPECT_NE(request.deadline, absl::InfiniteFuture());
  const std::map<std::string, std::string> form = FormFields(request.body);
  EXPECT_EQ(form.size(), 4u);
  EXPECT_EQ(form.at("grant_type"), "refresh_token");
  EXPECT_EQ(form.at("client_id"), kClientId);
  EXPECT_EQ(form.at("client_secret"), kClientSecret);
  EXPECT_EQ(form.at("refresh_token"), kRefreshToken);
}

TEST_F(OAuthCredentialsTest, SecretsWithReservedCharactersArePercentEncoded) {
  settings_.client_secret = FixedSecret("a+b/c=d&e f");
  settings_.refresh_token = FixedSecret("r%t");
  Get();
  ASSERT_EQ(http_.requests().size(), 1u);
  EXPECT_THAT(http_.requests()[0].body,
              HasSubstr("client_secret=a%2Bb%2Fc%3Dd%26e%20f"));
  EXPECT_THAT(http_.requests()[0].body, HasSubstr("refresh_token=r%25t"));
  EXPECT_EQ(LastForm().at("client_secret"), "a+b/c=d&e f");
}

TEST_F(OAuthCredentialsTest, AnswerDeliversBearerHeader) {
  auto r = Get();
  http_.Answer(200, TokenBody("at-1", 1800));
  ASSERT_TRUE(r->done);
  ASSERT_TRUE(r->header.ok()) << r->header.status();
  EXPECT_EQ(r->header->line, "Authorization: Bearer at-1");
}

TEST_F(OAuthCredentialsTest, KindIsOAuth) {
  EXPECT_EQ(credentials().kind(), "oauth");
}

TEST_F(OAuthCredentialsTest, ConcurrentCallersShareOneTokenRequest) {
  std::vector<std::shared_ptr<Result>> results;
  for (int i = 0; i < 200; ++i) results.push_back(Get());
  ASSERT_EQ(http_.requests().size(), 1u);
  for (const auto& r : results) EXPECT_FALSE(r->done);

  http_.Answer(200, TokenBody("shared-token", 1800));

  EXPECT_EQ(http_.requests().size(), 1u);
  for (const auto& r : results) {
    ASSERT_TRUE(r->done);
    ASSERT_TRUE(r->header.ok()) << r->header.status();
    EXPECT_EQ(r->header->line, "Authorization: Bearer shared-token");
    EXPECT_EQ(r->header->generation, results[0]->header->generation);
  }
}

TEST_F(OAuthCredentialsTest, CachedTokenIsServedInlineWithoutARequest) {
  const AuthHeader first = Prime("at-1", 1800);
  clock_.Advance(absl::Minutes(10));
  auto r = Get();
  ASSERT_TRUE(r->done);
  ASSERT_TRUE(r->header.ok());
  EXPECT_EQ(r->header->line, "Authorization: Bearer at-1");
  EXPECT_EQ(r->header->generation, first.generation);
  EXPECT_EQ(http_.requests().size(), 1u);
}

// --- Refreshing ------------------------------------------------------------

TEST_F(OAuthCredentialsTest, NoRefreshBeforeTheRefreshPoint) {
  Prime("at-1", 1800);  // Refresh point: 1800s - 5m = 1500s.
  clock_.Advance(absl::Seconds(1499));
  auto r = Get();
  EXPECT_TRUE(r->done);
  EXPECT_EQ(http_.requests().size(), 1u);
}

TEST_F(OAuthCredentialsTest,
       PastRefreshPointServesCurrentTokenAndRefreshesOnce) {
  Prime("at-1", 1800);
  clock_.Advance(absl::Seconds(1500));

  std::vector<std::shared_ptr<Result>> results;
  for (int i = 0; i < 10; ++i) results.push_back(Get());

  for (const auto& r : results) {
    ASSERT_TRUE(r->done);
    ASSERT_TRUE(r->header.ok());
    EXPECT_EQ(r->header->line, "Authorization: Bearer at-1");
  }
  EXPECT_EQ(http_.requests().size(), 2u);
  EXPECT_EQ(http_.pending(), 1u);

  http_.Answer(200, TokenBody("at-2", 1800));
  auto after = Get();
  ASSERT_TRUE(after->done);
  EXPECT_EQ(after->header->line, "Authorization: Bearer at-2");
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(OAuthCredentialsTest, RefreshMarginIsCappedAtHalfTheLifetime) {
  Prime("at-1", 120);  // 5m margin > 60s: refresh at 60s.
  clock_.Advance(absl::Seconds(59));
  Get();
  EXPECT_EQ(http_.requests().size(), 1u);
  clock_.Advance(absl::Seconds(1));
  auto r = Get();
  EXPECT_TRUE(r->done);
  EXPECT_EQ(r->header->line, "Authorization: Bearer at-1");
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(OAuthCredentialsTest, ConfiguredMarginBelowHalfLifetimeIsUsed) {
  settings_.refresh_margin = absl::Seconds(30);
  Prime("at-1", 1800);  // Refresh at 1770s.
  clock_.Advance(absl::Seconds(1769));
  Get();
  EXPECT_EQ(http_.requests().size(), 1u);
  clock_.Advance(absl::Seconds(1));
  Get();
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(OAuthCredentialsTest, AfterExpiryCallersWaitForTheNewToken) {
  Prime("at-1", 1800);
  clock_.Advance(absl::Seconds(1800));
  auto a = Get();
  auto b = Get();
  EXPECT_FALSE(a->done);
  EXPECT_FALSE(b->done);
  ASSERT_EQ(http_.requests().size(), 2u);

  http_.Answer(200, TokenBody("at-2", 1800));
  for (const auto& r : {a, b}) {
    ASSERT_TRUE(r->done);
    ASSERT_TRUE(r->header.ok());
    EXPECT_EQ(r->header->line, "Authorization: Bearer at-2");
  }
}

TEST_F(OAuthCredentialsTest, ExpiryDuringBackgroundRefreshWaitsForThatRefresh) {
  Prime("at-1", 1800);
  clock_.Advance(absl::Seconds(1500));
  Get();  // Starts the background refresh.
  ASSERT_EQ(http_.requests().size(), 2u);
  clock_.Advance(absl::Seconds(300));
  auto waiting = Get();
  EXPECT_FALSE(waiting->done);
  EXPECT_EQ(http_.requests().size(), 2u);

  http_.Answer(200, TokenBody("at-2", 1800));
  ASSERT_TRUE(waiting->done);
  EXPECT_EQ(waiting->header->line, "Authorization: Bearer at-2");
}

TEST_F(OAuthCredentialsTest, EachNewTokenHasANewGeneration) {
  const AuthHeader first = Prime("at-1", 1800);
  clock_.Advance(absl::Seconds(1800));
  const AuthHeader second = Prime("at-2", 1800);
  EXPECT_NE(first.generation, second.generation);
}

// --- Invalidate ------------------------------------------------------------

TEST_F(OAuthCredentialsTest, InvalidateCurrentGenerationForcesARefresh) {
  const AuthHeader used = Prime("at-1", 1800);
  EXPECT_TRUE(credentials().Invalidate(used));
  auto r = Get();
  EXPECT_FALSE(r->done);
  ASSERT_EQ(http_.requests().size(), 2u);
  http_.Answer(200, TokenBody("at-2", 1800));
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->header->line, "Authorization: Bearer at-2");
  EXPECT_NE(r->header->generation, used.generation);
}

TEST_F(OAuthCredentialsTest, InvalidateOldGenerationKeepsTheNewerToken) {
  const AuthHeader old = Prime("at-1", 1800);
  ASSERT_TRUE(credentials().Invalidate(old));
  const AuthHeader current = Prime("at-2", 1800);
  ASSERT_EQ(http_.requests().size(), 2u);

  credentials().Invalidate(old);  // A late 401 on the old token.
  auto r = Get();
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->header->line, "Authorization: Bearer at-2");
  EXPECT_EQ(r->header->generation, current.generation);
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(OAuthCredentialsTest, ManyInvalidationsOfOneTokenCauseOneRefresh) {
  const AuthHeader used = Prime("at-1", 1800);
  for (int i = 0; i < 5; ++i) credentials().Invalidate(used);
  auto a = Get();
  for (int i = 0; i < 5; ++i) credentials().Invalidate(used);
  auto b = Get();
  EXPECT_EQ(http_.requests().size(), 2u);
  http_.Answer(200, TokenBody("at-2", 1800));
  EXPECT_TRUE(a->done);
  EXPECT_TRUE(b->done);
}

// --- Refresh token rotation ------------------------------------------------

TEST_F(OAuthCredentialsTest, RotatedRefreshTokenIsUsedInTheNextRequest) {
  auto r = Get();
  http_.Answer(200, TokenBody("at-1", 1800, "ROTATED-REFRESH-2"));
  ASSERT_TRUE(r->done);
  credentials().Invalidate(*r->header);
  Get();
  ASSERT_EQ(http_.requests().size(), 2u);
  EXPECT_EQ(LastForm().at("refresh_token"), "ROTATED-REFRESH-2");
}

TEST_F(OAuthCredentialsTest, RefreshTokenIsKeptWhenTheAnswerHasNone) {
  const AuthHeader used = Prime("at-1", 1800);
  credentials().Invalidate(used);
  Get();
  ASSERT_EQ(http_.requests().size(), 2u);
  EXPECT_EQ(LastForm().at("refresh_token"), kRefreshToken);
}

// --- Rejection -------------------------------------------------------------

constexpr char kBadRefreshToken[] =
    R"({"status": "BAD_REFRESH_TOKEN", "message": "missing or unknown refresh token",
        "correlationId": "corr-77", "requestId": "req-1"})";

void ExpectNoSecrets(const std::string& message) {
  EXPECT_THAT(message, Not(HasSubstr(kClientSecret)));
  EXPECT_THAT(message, Not(HasSubstr(kRefreshToken)));
}

TEST_F(OAuthCredentialsTest, RejectedRefreshTokenFailsAllWaitersActionably) {
  std::vector<std::shared_ptr<Result>> results;
  for (int i = 0; i < 3; ++i) results.push_back(Get());
  http_.Answer(400, kBadRefreshToken);
  for (const auto& r : results) {
    ASSERT_TRUE(r->done);
    ASSERT_FALSE(r->header.ok());
    EXPECT_EQ(r->header.status().code(), absl::StatusCode::kUnauthenticated);
    const std::string message(r->header.status().message());
    EXPECT_THAT(message, HasSubstr("BAD_REFRESH_TOKEN"));
    EXPECT_THAT(message, HasSubstr("corr-77"));
    EXPECT_THAT(message, HasSubstr("re-authorize"));
    ExpectNoSecrets(message);
  }
}

TEST_F(OAuthCredentialsTest, RejectionMessageRedactsSecretsHubSpotEchoes) {
  auto r = Get();
  http_.Answer(
      400, std::string(R"({"status": "BAD_CLIENT", "message": "client )") +
               kClientSecret + " or token " + kRefreshToken + R"( rejected"})");
  ASSERT_TRUE(r->done);
  ASSERT_FALSE(r->header.ok());
  ExpectNoSecrets(std::string(r->header.status().message()));
}

TEST_F(OAuthCredentialsTest, Unauthorized401And403AreRejectionsToo) {
  for (int status : {401, 403}) {
    SCOPED_TRACE(status);
    credentials_.reset();
    auto r = Get();
    http_.Answer(status, R"({"status": "UNAUTHORIZED", "message": "no"})");
    ASSERT_TRUE(r->done);
    EXPECT_EQ(r->header.status().code(), absl::StatusCode::kUnauthenticated);
  }
}

TEST_F(OAuthCredentialsTest, RejectionIsRepeatedWithoutRequestsDuringBackoff) {
  Get();
  http_.Answer(400, kBadRefreshToken);
  ASSERT_EQ(http_.requests().size(), 1u);

  clock_.Advance(absl::Seconds(4));
  auto r = Get();
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->header.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(r->header.status().message()),
              HasSubstr("BAD_REFRESH_TOKEN"));
  EXPECT_EQ(http_.requests().size(), 1u);
}

TEST_F(OAuthCredentialsTest, AfterBackoffANewRequestIsSent) {
  Get();
  http_.Answer(400, kBadRefreshToken);
  clock_.Advance(absl::Seconds(5));
  auto r = Get();
  EXPECT_FALSE(r->done);
  ASSERT_EQ(http_.requests().size(), 2u);
  http_.Answer(200, TokenBody("at-1", 1800));
  ASSERT_TRUE(r->done);
  ASSERT_TRUE(r->header.ok());
  EXPECT_EQ(r->header->line, "Authorization: Bearer at-1");
}

TEST_F(OAuthCredentialsTest, SuccessClearsTheRejection) {
  Get();
  http_.Answer(400, kBadRefreshToken);
  clock_.Advance(absl::Seconds(5));
  const AuthHeader fresh = Prime("at-1", 1800);
  credentials().Invalidate(fresh);
  auto r = Get();
  EXPECT_FALSE(r->done) << "a cleared rejection must not answer";
  EXPECT_EQ(http_.requests().size(), 3u);
}

// The rejection backoff exists so that a rejected refresh token does not
// cause one token request after another. While the old access token is still
// valid, a rejected background refresh must not be retried on every call.
TEST_F(OAuthCredentialsTest,
       RejectedBackgroundRefreshIsNotRetriedDuringBackoff) {
  Prime("at-1", 1800);
  clock_.Advance(absl::Seconds(1500));
  Get();
  ASSERT_EQ(http_.requests().size(), 2u);
  http_.Answer(400, kBadRefreshToken);

  auto r = Get();  // Well within the 5s backoff.
  ASSERT_TRUE(r->done);
  EXPECT_TRUE(r->header.ok());
  EXPECT_EQ(http_.requests().size(), 2u)
      << "a token request was sent again right after HubSpot rejected the "
         "refresh token";
}

// --- Other failures ----------------------------------------------------------

TEST_F(OAuthCredentialsTest, ServerErrorGivesUnavailableAndNoBackoff) {
  auto r = Get();
  http_.Answer(503, R"({"status": "error", "message": "try later"})");
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->header.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(r->header.status().message()), HasSubstr("503"));
  ExpectNoSecrets(std::string(r->header.status().message()));

  auto again = Get();
  EXPECT_FALSE(again->done);
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(OAuthCredentialsTest, NonJson5xxGivesUnavailable) {
  auto r = Get();
  http_.Answer(502, "<html>Bad Gateway</html>");
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->header.status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(OAuthCredentialsTest, TransportErrorGivesUnavailable) {
  auto a = Get();
  auto b = Get();
  http_.Complete(absl::UnavailableError("connection refused"));
  for (const auto& r : {a, b}) {
    ASSERT_TRUE(r->done);
    EXPECT_EQ(r->header.status().code(), absl::StatusCode::kUnavailable);
    EXPECT_THAT(std::string(r->header.status().message()),
                HasSubstr("connection refused"));
  }
}

TEST_F(OAuthCredentialsTest, TransportDeadlineGivesUnavailable) {
  auto r = Get();
  http_.Complete(absl::DeadlineExceededError("timed out"));
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->header.status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(OAuthCredentialsTest, TransportErrorMessageIsRedacted) {
  auto r = Get();
  http_.Complete(absl::UnavailableError(std::string("failed posting ") +
                                        kClientSecret + "&" + kRefreshToken));
  ASSERT_TRUE(r->done);
  ExpectNoSecrets(std::string(r->header.status().message()));
}

TEST_F(OAuthCredentialsTest, AnswerWithoutAccessTokenGivesUnavailable) {
  auto r = Get();
  http_.Answer(200, R"({"token_type": "bearer", "expires_in": 1800})");
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->header.status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(OAuthCredentialsTest, AnswerWithNonPositiveExpiresInGivesUnavailable) {
  for (const char* expires : {"0", "-30", "\"1800\"", "null"}) {
    SCOPED_TRACE(expires);
    credentials_.reset();
    auto r = Get();
    http_.Answer(200, std::string(R"({"access_token": "at", "expires_in": )") +
                          expires + "}");
    ASSERT_TRUE(r->done);
    EXPECT_EQ(r->header.status().code(), absl::StatusCode::kUnavailable);
  }
}

TEST_F(OAuthCredentialsTest, AnswerWithoutExpiresInGivesUnavailable) {
  auto r = Get();
  http_.Answer(200, R"({"access_token": "at"})");
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->header.status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(OAuthCredentialsTest, NonJson200GivesUnavailable) {
  auto r = Get();
  http_.Answer(200, "access_token=at&expires_in=1800");
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->header.status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(OAuthCredentialsTest, FailedAnswerLeavesNoToken) {
  auto r = Get();
  http_.Answer(200, R"({"access_token": "at", "expires_in": 0})");
  auto again = Get();
  EXPECT_FALSE(again->done);
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(OAuthCredentialsTest, FailedBackgroundRefreshKeepsServingTheToken) {
  Prime("at-1", 1800);
  clock_.Advance(absl::Seconds(1500));
  Get();
  http_.Answer(500, "");
  auto r = Get();
  ASSERT_TRUE(r->done);
  ASSERT_TRUE(r->header.ok());
  EXPECT_EQ(r->header->line, "Authorization: Bearer at-1");
}

TEST_F(OAuthCredentialsTest, WaiterMayCallAgainFromItsCallback) {
  std::shared_ptr<Result> inner;
  bool outer_done = false;
  credentials().GetAuthHeader([&](absl::StatusOr<AuthHeader> h) {
    outer_done = true;
    EXPECT_TRUE(h.ok());
    inner = Get();
  });
  http_.Answer(200, TokenBody("at-1", 1800));
  ASSERT_TRUE(outer_done);
  ASSERT_NE(inner, nullptr);
  ASSERT_TRUE(inner->done);
  EXPECT_EQ(inner->header->line, "Authorization: Bearer at-1");
  EXPECT_EQ(http_.requests().size(), 1u);
}

// --- Secrets rotated on disk ------------------------------------------------

class OAuthRotationTest : public OAuthCredentialsTest {
 protected:
  OAuthRotationTest() : volume_(dir_.path()) {
    volume_.Publish({{"refresh-token", "rt-first"}});
    auto source = FileSecret::Open(volume_.PathOf("refresh-token"),
                                   "refreshToken", &clock_, absl::Seconds(1));
    EXPECT_TRUE(source.ok());
    settings_.refresh_token = *source;
  }

  testing::TempDir dir_;
  testing::SecretVolume volume_;
};

TEST_F(OAuthRotationTest, NewRefreshTokenFileBringsANewAccessTokenAtOnce) {
  const AuthHeader first = Prime("at-1");
  EXPECT_EQ(LastForm().at("refresh_token"), "rt-first");
  volume_.Publish({{"refresh-token", "rt-second"}});
  clock_.Advance(absl::Seconds(1));
  // The current token still serves while the new credentials fetch another.
  auto r = Get();
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->header->line, first.line);
  ASSERT_EQ(http_.requests().size(), 2u);
  EXPECT_EQ(LastForm().at("refresh_token"), "rt-second");
  http_.Answer(200, TokenBody("at-2", 1800));
  EXPECT_EQ(Get()->header->line, "Authorization: Bearer at-2");
}

TEST_F(OAuthRotationTest, RejectedRefreshTokenIsReplacedWithoutWaiting) {
  auto r = Get();
  http_.Answer(400, kBadRefreshToken);
  ASSERT_TRUE(r->done);
  EXPECT_TRUE(absl::IsUnauthenticated(r->header.status()));
  // While rejected, calls hear so without asking HubSpot again...
  EXPECT_TRUE(absl::IsUnauthenticated(Get()->header.status()));
  EXPECT_EQ(http_.requests().size(), 1u);
  // ...until the operator puts a new refresh token in place: no restart,
  // no waiting out the back-off.
  volume_.Publish({{"refresh-token", "rt-second"}});
  auto next = Get();
  ASSERT_EQ(http_.requests().size(), 2u);
  EXPECT_EQ(LastForm().at("refresh_token"), "rt-second");
  http_.Answer(200, TokenBody("at-2", 1800));
  ASSERT_TRUE(next->done);
  EXPECT_EQ(next->header->line, "Authorization: Bearer at-2");
}

}  // namespace
}  // namespace hubspot_gateway
