#include "server/common/trace_context.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hubspot_gateway {
namespace {

using ::testing::MatchesRegex;

constexpr char kTraceId[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kParent[] = "00f067aa0ba902b7";

bool IsNewTrace(const TraceContext& t) {
  return t.caller_span_id.empty() && t.trace_id != kTraceId &&
         t.trace_id.size() == 32;
}

TEST(TraceContextTest, ContinuesTheCallersTrace) {
  TraceContext t = ContinueOrStartTrace(
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "congo=t61rcWkgMzE");
  EXPECT_EQ(t.trace_id, kTraceId);
  EXPECT_EQ(t.caller_span_id, kParent);
  EXPECT_EQ(t.flags, "01");
  EXPECT_EQ(t.tracestate, "congo=t61rcWkgMzE");
  // The HubSpot request's parent is the gateway's own span.
  EXPECT_NE(t.span_id, kParent);
  EXPECT_THAT(t.Traceparent(),
              MatchesRegex("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01"));
}

TEST(TraceContextTest, KeepsOnlyTheSampledFlag) {
  EXPECT_EQ(ContinueOrStartTrace(
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
                std::nullopt)
                .flags,
            "00");
  EXPECT_EQ(ContinueOrStartTrace(
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff",
                std::nullopt)
                .flags,
            "01");
}

TEST(TraceContextTest, AcceptsLaterVersionsReadAsVersionZero) {
  TraceContext t = ContinueOrStartTrace(
      "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-ever",
      std::nullopt);
  EXPECT_EQ(t.trace_id, kTraceId);
  EXPECT_THAT(t.Traceparent(), MatchesRegex("00-.*"));
}

TEST(TraceContextTest, StartsANewTraceForMalformedOnes) {
  for (const char* bad : {
           "",
           "garbage",
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
           "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1x",
       }) {
    TraceContext t = ContinueOrStartTrace(bad, "k=v");
    EXPECT_TRUE(IsNewTrace(t)) << bad;
    // The tracestate goes with the traceparent it came with.
    EXPECT_EQ(t.tracestate, "") << bad;
    EXPECT_EQ(t.flags, "00");
  }
  EXPECT_TRUE(IsNewTrace(ContinueOrStartTrace(std::nullopt, std::nullopt)));
}

TEST(TraceContextTest, DropsTracestateThatCannotTravel) {
  const std::string parent =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  EXPECT_EQ(ContinueOrStartTrace(parent, std::string(513, 'a')).tracestate, "");
  EXPECT_EQ(ContinueOrStartTrace(parent, "a=b\r\nX-Injected: 1").tracestate,
            "");
}

TEST(TraceContextTest, IdsAreRandomAndNeverZero) {
  EXPECT_NE(RandomHexId(8), RandomHexId(8));
  EXPECT_THAT(RandomHexId(16), MatchesRegex("[0-9a-f]{32}"));
}

}  // namespace
}  // namespace hubspot_gateway
