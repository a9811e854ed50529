#include "server/metrics/metric_registry.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"

namespace hubspot_gateway {
namespace {

std::string EscapeHelp(absl::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// name{a="x",b="y"[,extra]} — or the bare name without labels.
std::string SampleName(absl::string_view name,
                       const std::vector<std::string>& labels,
                       const LabelValues& values,
                       absl::string_view extra_label = "",
                       absl::string_view extra_value = "") {
  std::string out(name);
  if (labels.empty() && extra_label.empty()) return out;
  out += '{';
  for (size_t i = 0; i < labels.size() && i < values.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "" : ",", labels[i], "=",
                    QuoteLabelValue(values[i]));
  }
  if (!extra_label.empty()) {
    absl::StrAppend(&out, labels.empty() ? "" : ",", extra_label, "=",
                    QuoteLabelValue(extra_value));
  }
  out += '}';
  return out;
}

void AppendHeader(std::string* out, absl::string_view name,
                  absl::string_view help, absl::string_view type) {
  absl::StrAppend(out, "# HELP ", name, " ", EscapeHelp(help), "\n# TYPE ",
                  name, " ", type, "\n");
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      counts_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0);
}

void Histogram::Observe(double v) {
  size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  AtomicAdd(sum_, v);
}

std::vector<uint64_t> Histogram::counts() const {
  std::vector<uint64_t> out(bounds_.size() + 1);
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = counts_[i].load(std::memory_order_relaxed);
  }
  return out;
}

const std::vector<double>& LatencyBuckets() {
  static const auto* const buckets = new std::vector<double>{
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
      900, 3600};
  return *buckets;
}

std::string FormatSampleValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(v));
  }
  // The shortest form that reads back as the same double: 0.005, not
  // 0.0050000000000000001.
  char buffer[32];
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", precision, v);
    if (std::strtod(buffer, nullptr) == v) break;
  }
  return buffer;
}

std::string QuoteLabelValue(absl::string_view v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

Family<Counter>* MetricRegistry::AddCounter(std::string name, std::string help,
                                            std::vector<std::string> labels) {
  auto family = std::make_unique<Family<Counter>>(
      std::move(name), std::move(help), std::move(labels),
      [] { return std::make_unique<Counter>(); });
  if (family->labels().empty()) family->With({});
  absl::MutexLock lock(&mu_);
  Family<Counter>* raw = family.get();
  counters_.push_back(std::move(family));
  order_.push_back({MetricType::kCounter, raw, nullptr, nullptr});
  return raw;
}

Family<Gauge>* MetricRegistry::AddGauge(std::string name, std::string help,
                                        std::vector<std::string> labels) {
  auto family = std::make_unique<Family<Gauge>>(
      std::move(name), std::move(help), std::move(labels),
      [] { return std::make_unique<Gauge>(); });
  if (family->labels().empty()) family->With({});
  absl::MutexLock lock(&mu_);
  Family<Gauge>* raw = family.get();
  gauges_.push_back(std::move(family));
  order_.push_back({MetricType::kGauge, nullptr, raw, nullptr});
  return raw;
}

Family<Histogram>* MetricRegistry::AddHistogram(std::string name,
                                                std::string help,
                                                std::vector<std::string> labels,
                                                std::vector<double> bounds) {
  auto family = std::make_unique<Family<Histogram>>(
      std::move(name), std::move(help), std::move(labels),
      [bounds = std::move(bounds)] {
        return std::make_unique<Histogram>(bounds);
      });
  if (family->labels().empty()) family->With({});
  absl::MutexLock lock(&mu_);
  Family<Histogram>* raw = family.get();
  histograms_.push_back(std::move(family));
  order_.push_back({MetricType::kHistogram, nullptr, nullptr, raw});
  return raw;
}

void MetricRegistry::AddCollector(std::function<void()> collect) {
  absl::MutexLock lock(&mu_);
  collectors_.push_back(std::move(collect));
}

std::string MetricRegistry::Render() const {
  std::vector<std::function<void()>> collectors;
  std::vector<Entry> order;
  {
    absl::MutexLock lock(&mu_);
    collectors = collectors_;
    order = order_;
  }
  for (const auto& collect : collectors) collect();
  std::string out;
  for (const Entry& e : order) {
    switch (e.type) {
      case MetricType::kCounter:
        AppendHeader(&out, e.counter->name(), e.counter->help(), "counter");
        e.counter->ForEach([&](const LabelValues& values, const Counter& c) {
          absl::StrAppend(&out,
                          SampleName(e.counter->name(), e.counter->labels(),
                                     values),
                          " ", FormatSampleValue(c.value()), "\n");
        });
        break;
      case MetricType::kGauge:
        AppendHeader(&out, e.gauge->name(), e.gauge->help(), "gauge");
        e.gauge->ForEach([&](const LabelValues& values, const Gauge& g) {
          absl::StrAppend(
              &out, SampleName(e.gauge->name(), e.gauge->labels(), values),
              " ", FormatSampleValue(g.value()), "\n");
        });
        break;
      case MetricType::kHistogram: {
        const Family<Histogram>& f = *e.histogram;
        AppendHeader(&out, f.name(), f.help(), "histogram");
        f.ForEach([&](const LabelValues& values, const Histogram& h) {
          const std::vector<uint64_t> counts = h.counts();
          uint64_t cumulative = 0;
          const std::string bucket = absl::StrCat(f.name(), "_bucket");
          for (size_t i = 0; i < counts.size(); ++i) {
            cumulative += counts[i];
            absl::StrAppend(
                &out,
                SampleName(bucket, f.labels(), values, "le",
                           i < h.bounds().size()
                               ? FormatSampleValue(h.bounds()[i])
                               : std::string("+Inf")),
                " ", cumulative, "\n");
          }
          absl::StrAppend(
              &out,
              SampleName(absl::StrCat(f.name(), "_sum"), f.labels(), values),
              " ", FormatSampleValue(h.sum()), "\n",
              SampleName(absl::StrCat(f.name(), "_count"), f.labels(), values),
              " ", cumulative, "\n");
        });
        break;
      }
    }
  }
  return out;
}

}  // namespace hubspot_gateway
