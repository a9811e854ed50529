#include "emulator/api/faults.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hubspot_emulator {
namespace {

using ::testing::HasSubstr;

HttpRequest Get(const std::string& path) {
  HttpRequest r;
  r.method = "GET";
  r.path = path;
  return r;
}

FaultPlan Plan(absl::string_view json) {
  absl::StatusOr<FaultPlan> plan = ParseFaultPlan(json);
  EXPECT_TRUE(plan.ok()) << plan.status();
  return plan.ok() ? *plan : FaultPlan();
}

TEST(ParseFaultPlanTest, NamesTheFieldAtFault) {
  EXPECT_THAT(std::string(ParseFaultPlan(R"({"errorRatio": 2})").status().message()),
              HasSubstr("errorRatio"));
  EXPECT_THAT(std::string(ParseFaultPlan(R"({"errorStatus": 404})").status().message()),
              HasSubstr("errorStatus"));
  EXPECT_THAT(std::string(ParseFaultPlan(R"({"latency": "soon"})").status().message()),
              HasSubstr("latency"));
  EXPECT_THAT(std::string(ParseFaultPlan(R"({"slowBytes": 10})").status().message()),
              HasSubstr("slowInterval"));
  EXPECT_THAT(std::string(ParseFaultPlan(R"({"explode": true})").status().message()),
              HasSubstr("explode: unknown fault setting"));
}

TEST(ParseFaultPlanTest, RoundTripsThroughJson) {
  const FaultPlan plan = Plan(
      R"({"pathPrefix": "/crm/v3/imports", "latency": "0.25s", "jitter": "0.5s",
          "errorRatio": 0.5, "errorStatus": 502, "dropRatio": 0.25,
          "loseAnswerRatio": 0.125, "truncateRatio": 1, "slowBytes": 10,
          "slowInterval": "0.1s"})");
  const FaultPlan again = Plan(FaultPlanJson(plan));
  EXPECT_EQ(again.path_prefix, "/crm/v3/imports");
  EXPECT_EQ(again.latency, absl::Milliseconds(250));
  EXPECT_EQ(again.jitter, absl::Milliseconds(500));
  EXPECT_EQ(again.error_ratio, 0.5);
  EXPECT_EQ(again.error_status, 502);
  EXPECT_EQ(again.drop_ratio, 0.25);
  EXPECT_EQ(again.lose_answer_ratio, 0.125);
  EXPECT_EQ(again.truncate_ratio, 1);
  EXPECT_EQ(again.slow_bytes, 10u);
  EXPECT_EQ(again.slow_interval, absl::Milliseconds(100));
}

TEST(FaultsTest, NoPlanNoFault) {
  Faults faults(FaultPlan(), 1);
  Faults::Decision d = faults.Decide(Get("/crm/v3/imports"));
  EXPECT_FALSE(d.instead.has_value());
  EXPECT_FALSE(d.lose_answer);
  EXPECT_FALSE(d.truncate);
  EXPECT_EQ(d.delay, absl::ZeroDuration());
  EXPECT_EQ(faults.injected(), 0);
}

TEST(FaultsTest, ErrorsAreHubSpotShaped) {
  Faults faults(Plan(R"({"errorRatio": 1, "errorStatus": 502})"), 1);
  Faults::Decision d = faults.Decide(Get("/crm/v3/imports/1"));
  ASSERT_TRUE(d.instead.has_value());
  EXPECT_EQ(d.instead->status, 502);
  EXPECT_THAT(d.instead->body, HasSubstr("\"correlationId\""));
  EXPECT_EQ(faults.injected(), 1);
}

TEST(FaultsTest, OnlyPathsUnderThePrefix) {
  Faults faults(Plan(R"({"pathPrefix": "/crm/", "dropRatio": 1})"), 1);
  EXPECT_FALSE(faults.Decide(Get("/oauth/v1/token")).instead.has_value());
  Faults::Decision d = faults.Decide(Get("/crm/v3/imports"));
  ASSERT_TRUE(d.instead.has_value());
  EXPECT_TRUE(d.instead->drop);
}

TEST(FaultsTest, ShapingLosesTruncatesAndSlowsTheAnswer) {
  Faults lose(Plan(R"({"loseAnswerRatio": 1})"), 1);
  HttpResponse r;
  r.body = "0123456789";
  Faults::Shape(lose.Decide(Get("/crm/v3/imports")), &r);
  EXPECT_TRUE(r.drop);

  Faults truncate(Plan(R"({"truncateRatio": 1, "latency": "0.2s",
                           "slowBytes": 3, "slowInterval": "0.01s"})"),
                  1);
  HttpResponse t;
  t.body = "0123456789";
  Faults::Shape(truncate.Decide(Get("/crm/v3/imports")), &t);
  EXPECT_FALSE(t.drop);
  EXPECT_EQ(t.truncate_body_at, 5);
  EXPECT_EQ(t.delay, absl::Milliseconds(200));
  EXPECT_EQ(t.slow_chunk_bytes, 3u);
  EXPECT_EQ(t.slow_interval, absl::Milliseconds(10));
}

TEST(FaultsTest, SameSeedSameFaults) {
  const FaultPlan plan = Plan(R"({"errorRatio": 0.5})");
  Faults a(plan, 42), b(plan, 42);
  int errors = 0;
  for (int i = 0; i < 200; ++i) {
    const bool ea = a.Decide(Get("/crm/v3/imports")).instead.has_value();
    EXPECT_EQ(ea, b.Decide(Get("/crm/v3/imports")).instead.has_value());
    errors += ea;
  }
  // A ratio, not all or nothing.
  EXPECT_GT(errors, 50);
  EXPECT_LT(errors, 150);
}

}  // namespace
}  // namespace hubspot_emulator
