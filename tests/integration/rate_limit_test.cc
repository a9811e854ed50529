// hubspot.rateLimit: two gateways sharing one budget through a real
// redis-server stay within it together in front of one emulated HubSpot;
// with budgets of their own they would not; without Redis each replica
// falls back on its own bucket.

#include <thread>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "tests/support/emulator.h"
#include "tests/support/test_env.h"

namespace hubspot_gateway::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kToken[] = "pat-rate-limit-test-token";
constexpr char kRedisPassword[] = "redis-secret-for-the-test";
// The budget: 20 calls per 10 s, so a burst of 2 and 1.8 per second.
constexpr int kBudget = 20;

class RateLimitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Emulator::Options options;
    options.private_app_tokens = {kToken};
    options.flags = {absl::StrCat("--ten_secondly_limit=", kBudget)};
    emulator_ = Emulator::Start(dir_, options);
    ASSERT_NE(emulator_, nullptr);
  }

  void StartRedis() {
    redis_port_ = FreePort();
    // The password goes in a 0600 file, not on the command line.
    const std::string conf = dir_.Write(
        "redis.conf",
        absl::StrCat("port ", redis_port_, "\nbind 127.0.0.1\nsave \"\"\n"
                     "appendonly no\nrequirepass ", kRedisPassword, "\n"));
    auto redis = Subprocess::Start({"/usr/bin/redis-server", conf});
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
    ASSERT_TRUE(redis_->WaitForOutput("Ready to accept connections",
                                      absl::Seconds(30)))
        << redis_->Output();
  }

  // A gateway with the budget; shared through Redis at `redis_port` when
  // it is not 0.
  std::unique_ptr<Gateway> StartGateway(int redis_port) {
    std::string limit = absl::StrCat(R"("rateLimit": {"requestsPerInterval": )",
                                     kBudget, R"(, "maxWait": "0s")");
    if (redis_port != 0) {
      absl::StrAppend(&limit, R"(, "redis": {"address": "127.0.0.1:)",
                      redis_port, R"(", "password": {"file": ")",
                      dir_.Write("redis-password", kRedisPassword), R"("}})");
    }
    limit += "},";
    return StartGatewayFor(dir_, *emulator_, kToken,
                           absl::StrCat(R"("retry": {"count": 0}, )", limit));
  }

  struct Tally {
    int passed = 0;  // reached HubSpot (which has no import 1: NOT_FOUND)
    int shed = 0;
    double seconds = 0;
  };
  // 30 GetImports on each gateway, all in flight at once.
  Tally Burst(Gateway& a, Gateway& b) {
    const std::vector<int64_t> ids(30, 1);
    std::vector<Gateway::GetResult> ra, rb;
    const absl::Time start = absl::Now();
    std::thread other([&] { rb = b.ConcurrentGetImports(ids); });
    ra = a.ConcurrentGetImports(ids);
    other.join();
    Tally t;
    t.seconds = absl::ToDoubleSeconds(absl::Now() - start);
    for (const auto* results : {&ra, &rb}) {
      for (const Gateway::GetResult& r : *results) {
        if (r.status.error_code() == grpc::StatusCode::NOT_FOUND) {
          ++t.passed;
        } else {
          EXPECT_EQ(r.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
              << r.status.error_message();
          EXPECT_THAT(r.status.error_message(), HasSubstr("hubspot.rateLimit"));
          ++t.shed;
        }
      }
    }
    return t;
  }

  TempDir dir_;
  std::unique_ptr<Emulator> emulator_;
  std::unique_ptr<Subprocess> redis_;
  int redis_port_ = 0;
};

TEST_F(RateLimitTest, TwoGatewaysShareOneBudgetThroughRedis) {
  StartRedis();
  auto a = StartGateway(redis_port_);
  auto b = StartGateway(redis_port_);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  const Tally t = Burst(*a, *b);
  // One bucket for both: its burst of 2, plus what refilled meanwhile.
  EXPECT_GE(t.passed, 2);
  EXPECT_LE(t.passed, 2 + static_cast<int>(1.8 * t.seconds) + 1)
      << "in " << t.seconds << " s";
  EXPECT_EQ(t.passed + t.shed, 60);
  // HubSpot never had to say 429.
  EXPECT_EQ(emulator_->State().fields().at("rateLimited").number_value(), 0);
  for (Gateway* g : {a.get(), b.get()}) {
    EXPECT_THAT(g->Log(), Not(HasSubstr(kRedisPassword)));
    EXPECT_THAT(g->Log(), Not(HasSubstr("shared rate limit store failing")));
  }
}

TEST_F(RateLimitTest, SeparateBudgetsLetTwiceAsMuchThrough) {
  // The control: the same two gateways without Redis each spend a burst.
  auto a = StartGateway(0);
  auto b = StartGateway(0);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  const Tally t = Burst(*a, *b);
  EXPECT_GE(t.passed, 4);
}

TEST_F(RateLimitTest, ShedCallsCarryRetryInfo) {
  auto a = StartGateway(0);
  ASSERT_NE(a, nullptr);
  grpc::Status shed;
  for (int i = 0; i < 10 && shed.ok(); ++i) {
    grpc::Status s = a->GetImport(1);
    if (s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) shed = s;
  }
  ASSERT_EQ(shed.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(shed.error_details()));
  google::rpc::RetryInfo retry;
  bool found = false;
  for (const auto& any : details.details()) found |= any.UnpackTo(&retry);
  ASSERT_TRUE(found);
  EXPECT_GT(retry.retry_delay().seconds() * 1000 +
                retry.retry_delay().nanos() / 1000000,
            0);
}

TEST_F(RateLimitTest, UnreachableRedisFallsBackOnTheLocalBucket) {
  auto a = StartGateway(FreePort());
  ASSERT_NE(a, nullptr);
  grpc::Status status = a->GetImport(1);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND)
      << status.error_message();
  EXPECT_TRUE(a->process()
                  .WaitForOutput("shared rate limit store failing",
                                 absl::Seconds(10))
                  .has_value());
}

}  // namespace
}  // namespace hubspot_gateway::testing
