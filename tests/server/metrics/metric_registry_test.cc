#include "server/metrics/metric_registry.h"

#include <cmath>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hubspot_gateway {
namespace {

using ::testing::HasSubstr;

TEST(MetricRegistryTest, RendersTheTextFormat) {
  MetricRegistry registry;
  Family<Counter>* calls =
      registry.AddCounter("calls_total", "Calls.\nSecond line \\ done.",
                          {"method", "code"});
  calls->With({"Get", "OK"})->Increment();
  calls->With({"Get", "OK"})->Increment(2);
  calls->With({"Get", "NOT_FOUND"})->Increment();
  registry.AddGauge("temperature", "Degrees.")->With({})->Set(-1.5);
  EXPECT_EQ(registry.Render(),
            "# HELP calls_total Calls.\\nSecond line \\\\ done.\n"
            "# TYPE calls_total counter\n"
            "calls_total{method=\"Get\",code=\"NOT_FOUND\"} 1\n"
            "calls_total{method=\"Get\",code=\"OK\"} 3\n"
            "# HELP temperature Degrees.\n"
            "# TYPE temperature gauge\n"
            "temperature -1.5\n");
}

TEST(MetricRegistryTest, UnlabelledFamiliesStartAtZero) {
  MetricRegistry registry;
  registry.AddCounter("errors_total", "Errors.");
  EXPECT_THAT(registry.Render(), HasSubstr("\nerrors_total 0\n"));
}

TEST(MetricRegistryTest, HistogramsAreCumulative) {
  MetricRegistry registry;
  Family<Histogram>* latency =
      registry.AddHistogram("latency_seconds", "Latency.", {"op"}, {0.1, 1});
  Histogram* h = latency->With({"get"});
  for (double v : {0.05, 0.1, 0.5, 3.0}) h->Observe(v);
  EXPECT_THAT(registry.Render(),
              HasSubstr("latency_seconds_bucket{op=\"get\",le=\"0.1\"} 2\n"
                        "latency_seconds_bucket{op=\"get\",le=\"1\"} 3\n"
                        "latency_seconds_bucket{op=\"get\",le=\"+Inf\"} 4\n"
                        "latency_seconds_sum{op=\"get\"} 3.65\n"
                        "latency_seconds_count{op=\"get\"} 4\n"));
}

TEST(MetricRegistryTest, EscapesLabelValues) {
  EXPECT_EQ(QuoteLabelValue("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
  MetricRegistry registry;
  registry.AddGauge("g", "G.", {"name"})->With({"x\"y"})->Set(1);
  EXPECT_THAT(registry.Render(), HasSubstr("g{name=\"x\\\"y\"} 1\n"));
}

TEST(MetricRegistryTest, FormatsValuesShortestFirst) {
  EXPECT_EQ(FormatSampleValue(0), "0");
  EXPECT_EQ(FormatSampleValue(42), "42");
  EXPECT_EQ(FormatSampleValue(0.005), "0.005");
  EXPECT_EQ(FormatSampleValue(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FormatSampleValue(1e300), "1e+300");
  EXPECT_EQ(FormatSampleValue(INFINITY), "+Inf");
  EXPECT_EQ(FormatSampleValue(-INFINITY), "-Inf");
  EXPECT_EQ(FormatSampleValue(NAN), "NaN");
}

TEST(MetricRegistryTest, CollectorsRunBeforeEachRendering) {
  MetricRegistry registry;
  Gauge* g = registry.AddGauge("queue", "Queue.")->With({});
  int runs = 0;
  registry.AddCollector([&] { g->Set(++runs); });
  EXPECT_THAT(registry.Render(), HasSubstr("\nqueue 1\n"));
  EXPECT_THAT(registry.Render(), HasSubstr("\nqueue 2\n"));
}

TEST(MetricRegistryTest, CountsFromManyThreads) {
  MetricRegistry registry;
  Family<Counter>* family = registry.AddCounter("n_total", "N.", {"t"});
  Histogram* h =
      registry.AddHistogram("h_seconds", "H.", {}, {1})->With({});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        family->With({"x"})->Increment();
        h->Observe(0.5);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(family->With({"x"})->value(), 40000);
  EXPECT_EQ(h->sum(), 20000);
  EXPECT_EQ(h->counts()[0], 40000u);
}

}  // namespace
}  // namespace hubspot_gateway
