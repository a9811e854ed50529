#include "emulator/api/faults.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hubspot_emulator {
namespace {

using ::testing::HasSubstr;

HttpRequest Request(const std::string& method, const std::string& path) {
  HttpRequest r;
  r.method = method;
  r.path = path;
  return r;
}

HttpRequest Get(const std::string& path) { return Request("GET", path); }
HttpRequest Post(const std::string& path) { return Request("POST", path); }

std::string ErrorOf(absl::string_view json) {
  return std::string(ParseFaultPlan(json).status().message());
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
  EXPECT_THAT(ErrorOf(R"({"method": "post"})"), HasSubstr("method: "));
  EXPECT_THAT(ErrorOf(R"({"method": 1})"), HasSubstr("method: "));
  EXPECT_THAT(ErrorOf(R"({"pathSuffix": "/cancel?x=1"})"),
              HasSubstr("pathSuffix: "));
  EXPECT_THAT(ErrorOf(R"({"exactPath": "yes"})"), HasSubstr("exactPath: "));
  EXPECT_THAT(ErrorOf(R"({"maxFaults": -1})"), HasSubstr("maxFaults: "));
  EXPECT_THAT(ErrorOf(R"({"maxFaults": 1.5})"), HasSubstr("maxFaults: "));
  EXPECT_THAT(ErrorOf(R"({"dropBeforeBodyRatio": 1.5})"),
              HasSubstr("dropBeforeBodyRatio: "));
  // Together they could never match anything.
  EXPECT_THAT(ErrorOf(R"({"exactPath": true, "pathSuffix": "/cancel"})"),
              HasSubstr("pathSuffix: cannot be combined with exactPath"));
}

TEST(ParseFaultPlanTest, RoundTripsThroughJson) {
  const FaultPlan plan = Plan(
      R"({"pathPrefix": "/crm/v3/imports", "latency": "0.25s", "jitter": "0.5s",
          "errorRatio": 0.5, "errorStatus": 502, "dropRatio": 0.25,
          "loseAnswerRatio": 0.125, "truncateRatio": 1, "slowBytes": 10,
          "slowInterval": "0.1s", "method": "POST", "pathSuffix": "/cancel",
          "maxFaults": 3, "dropBeforeBodyRatio": 0.75})");
  const FaultPlan again = Plan(FaultPlanJson(plan));
  EXPECT_EQ(again.path_prefix, "/crm/v3/imports");
  EXPECT_EQ(again.path_suffix, "/cancel");
  EXPECT_FALSE(again.exact_path);
  EXPECT_EQ(again.method, "POST");
  EXPECT_EQ(again.max_faults, 3);
  EXPECT_EQ(again.drop_before_body_ratio, 0.75);
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

TEST(ParseFaultPlanTest, EchoesEveryField) {
  const std::string json = FaultPlanJson(
      Plan(R"({"pathPrefix": "/crm/v3/imports", "exactPath": true})"));
  for (const char* field :
       {"\"pathPrefix\":\"/crm/v3/imports\"", "\"pathSuffix\":\"\"",
        "\"exactPath\":true", "\"method\":\"\"", "\"maxFaults\":0",
        "\"dropBeforeBodyRatio\":0", "\"dropRatio\":0"}) {
    EXPECT_THAT(json, HasSubstr(field));
  }
  EXPECT_TRUE(Plan(json).exact_path);
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

TEST(FaultsTest, MethodAndSuffixSelectRequests) {
  Faults faults(Plan(R"({"pathPrefix": "/crm/v3/imports", "method": "POST",
                         "errorRatio": 1})"),
                1);
  // Without a suffix the prefix takes uploads and cancels alike.
  EXPECT_TRUE(faults.Decide(Post("/crm/v3/imports")).instead.has_value());
  EXPECT_TRUE(
      faults.Decide(Post("/crm/v3/imports/7/cancel")).instead.has_value());
  EXPECT_FALSE(faults.Decide(Get("/crm/v3/imports")).instead.has_value());

  faults.Set(Plan(R"({"pathPrefix": "/crm/v3/imports", "method": "POST",
                      "pathSuffix": "/cancel", "errorRatio": 1})"));
  EXPECT_TRUE(
      faults.Decide(Post("/crm/v3/imports/7/cancel")).instead.has_value());
  EXPECT_FALSE(faults.Decide(Post("/crm/v3/imports")).instead.has_value());
  EXPECT_FALSE(
      faults.Decide(Get("/crm/v3/imports/7/cancel")).instead.has_value());
}

TEST(FaultsTest, ExactPathTargetsOnlyUploads) {
  Faults faults(Plan(R"({"pathPrefix": "/crm/v3/imports", "exactPath": true,
                         "method": "POST", "errorRatio": 1})"),
                1);
  EXPECT_TRUE(faults.Decide(Post("/crm/v3/imports")).instead.has_value());
  EXPECT_FALSE(
      faults.Decide(Post("/crm/v3/imports/7/cancel")).instead.has_value());
  EXPECT_FALSE(faults.Decide(Post("/crm/v3/imports/")).instead.has_value());
  EXPECT_FALSE(faults.Decide(Get("/crm/v3/imports")).instead.has_value());
}

TEST(FaultsTest, MaxFaultsStopsThePlanUntilTheNextOne) {
  Faults faults(Plan(R"({"pathSuffix": "/cancel", "loseAnswerRatio": 1,
                         "maxFaults": 1})"),
                1);
  // Requests the plan does not select use none of its faults.
  EXPECT_FALSE(faults.Decide(Post("/crm/v3/imports")).lose_answer);
  EXPECT_TRUE(faults.Decide(Post("/crm/v3/imports/7/cancel")).lose_answer);
  EXPECT_FALSE(faults.Decide(Post("/crm/v3/imports/7/cancel")).lose_answer);
  EXPECT_EQ(faults.injected(), 1);
  EXPECT_EQ(faults.injected_by_plan(), 1);

  // A new plan, even the same one, starts counting again.
  faults.Set(faults.Get());
  EXPECT_EQ(faults.injected_by_plan(), 0);
  EXPECT_TRUE(faults.Decide(Post("/crm/v3/imports/7/cancel")).lose_answer);
  EXPECT_EQ(faults.injected(), 2);

  faults.Set(Plan(R"({"errorRatio": 1})"));  // no limit
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(faults.Decide(Get("/crm/v3/imports")).instead.has_value());
  }
}

TEST(FaultsTest, DropBeforeBodySelectsAndCountsLikeTheOthers) {
  Faults faults(Plan(R"({"pathPrefix": "/crm/v3/imports", "exactPath": true,
                         "method": "POST", "dropBeforeBodyRatio": 1,
                         "maxFaults": 2})"),
                1);
  EXPECT_FALSE(faults.DropBeforeBody(Post("/crm/v3/imports/7/cancel")));
  EXPECT_FALSE(faults.DropBeforeBody(Request("PUT", "/crm/v3/imports")));
  EXPECT_TRUE(faults.DropBeforeBody(Post("/crm/v3/imports")));
  EXPECT_EQ(faults.injected(), 1);
  // The head's drop is the plan's only fault: the rest of it is no fault.
  const Faults::Decision d = faults.Decide(Post("/crm/v3/imports"));
  EXPECT_FALSE(d.instead.has_value());
  EXPECT_FALSE(d.lose_answer);
  EXPECT_TRUE(faults.DropBeforeBody(Post("/crm/v3/imports")));
  EXPECT_FALSE(faults.DropBeforeBody(Post("/crm/v3/imports")));  // maxFaults
  EXPECT_EQ(faults.injected(), 2);
}

TEST(FaultsTest, HeadsDoNotDrawForPlansWithoutDropBeforeBody) {
  // A seed replays the same faults whether or not the server asks about
  // heads: without a dropBeforeBodyRatio, asking draws nothing.
  const FaultPlan plan = Plan(R"({"errorRatio": 0.5, "dropRatio": 0.2})");
  Faults asked(plan, 7), not_asked(plan, 7);
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(asked.DropBeforeBody(Post("/crm/v3/imports")));
    EXPECT_EQ(asked.Decide(Post("/crm/v3/imports")).instead.has_value(),
              not_asked.Decide(Post("/crm/v3/imports")).instead.has_value());
  }
}

TEST(FaultsTest, SameSeedSameFaultsWithDropsBeforeBodies) {
  const FaultPlan plan = Plan(R"({"dropBeforeBodyRatio": 0.3,
                                  "loseAnswerRatio": 0.3})");
  // What one request meets: dropped at its head, its answer lost, or none.
  auto outcome = [](Faults& f) {
    if (f.DropBeforeBody(Post("/crm/v3/imports"))) return 2;
    return f.Decide(Post("/crm/v3/imports")).lose_answer ? 1 : 0;
  };
  Faults a(plan, 3), b(plan, 3);
  int seen[3] = {0, 0, 0};
  for (int i = 0; i < 300; ++i) {
    const int oa = outcome(a);
    EXPECT_EQ(oa, outcome(b)) << "request " << i;
    ++seen[oa];
  }
  for (int n : seen) EXPECT_GT(n, 30);
  EXPECT_EQ(a.injected(), b.injected());
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
