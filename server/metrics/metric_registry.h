#ifndef HUBSPOT_GATEWAY_METRICS_METRIC_REGISTRY_H_
#define HUBSPOT_GATEWAY_METRICS_METRIC_REGISTRY_H_

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

// Prometheus metrics, kept by the gateway itself: counters, gauges and
// histograms in families with fixed label names, rendered in the text
// exposition format. Label values come from the code and the configuration
// (method names, account names, HTTP statuses), never from callers, so that
// every family stays small.
namespace hubspot_gateway {

using LabelValues = std::vector<std::string>;

// Adds `delta` to `value` (std::atomic<double> has no fetch_add in C++17).
inline void AtomicAdd(std::atomic<double>& value, double delta) {
  double current = value.load(std::memory_order_relaxed);
  while (!value.compare_exchange_weak(current, current + delta,
                                      std::memory_order_relaxed)) {
  }
}

class Counter {
 public:
  void Increment(double by = 1) { AtomicAdd(value_, by); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double by) { AtomicAdd(value_, by); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  // `bounds`: the buckets' upper bounds, ascending; +Inf is implied.
  explicit Histogram(std::vector<double> bounds);
  void Observe(double v);

  const std::vector<double>& bounds() const { return bounds_; }
  // Per bucket (not cumulative), the last one +Inf's.
  std::vector<uint64_t> counts() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;
  std::atomic<double> sum_{0};
};

// Bounds for latencies in seconds, 5 ms to an hour (uploads take long).
const std::vector<double>& LatencyBuckets();

enum class MetricType { kCounter, kGauge, kHistogram };

// The metrics of one name, one per combination of label values.
template <typename Metric>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> labels,
         std::function<std::unique_ptr<Metric>()> make)
      : name_(std::move(name)),
        help_(std::move(help)),
        labels_(std::move(labels)),
        make_(std::move(make)) {}

  // The metric of these values (as many as the family's label names),
  // created on first use; the pointer stays valid as long as the family.
  Metric* With(const LabelValues& values) {
    absl::MutexLock lock(&mu_);
    std::unique_ptr<Metric>& metric = metrics_[values];
    if (metric == nullptr) metric = make_();
    return metric.get();
  }

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& labels() const { return labels_; }
  // Calls `fn(values, metric)` for each metric, in label order.
  template <typename Fn>
  void ForEach(Fn fn) const {
    absl::MutexLock lock(&mu_);
    for (const auto& [values, metric] : metrics_) fn(values, *metric);
  }

 private:
  const std::string name_;
  const std::string help_;
  const std::vector<std::string> labels_;
  const std::function<std::unique_ptr<Metric>()> make_;
  mutable absl::Mutex mu_;
  std::map<LabelValues, std::unique_ptr<Metric>> metrics_ ABSL_GUARDED_BY(mu_);
};

// Every metric of the process. Families are added at start-up and live as
// long as the registry; metrics are updated from any thread.
class MetricRegistry {
 public:
  // Names follow Prometheus' rules ([a-zA-Z_:][a-zA-Z0-9_:]*; counters end
  // in _total). A family without labels has its one metric from the start,
  // so that it shows 0 before anything happens.
  Family<Counter>* AddCounter(std::string name, std::string help,
                              std::vector<std::string> labels = {});
  Family<Gauge>* AddGauge(std::string name, std::string help,
                          std::vector<std::string> labels = {});
  Family<Histogram>* AddHistogram(std::string name, std::string help,
                                  std::vector<std::string> labels,
                                  std::vector<double> bounds = LatencyBuckets());

  // Runs before every rendering: for gauges read from elsewhere (a circuit
  // breaker's state, the spool's file system).
  void AddCollector(std::function<void()> collect);

  // The text exposition format, version 0.0.4.
  std::string Render() const;

 private:
  struct Entry {
    MetricType type;
    Family<Counter>* counter = nullptr;
    Family<Gauge>* gauge = nullptr;
    Family<Histogram>* histogram = nullptr;
  };

  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Family<Counter>>> counters_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<Family<Gauge>>> gauges_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<Family<Histogram>>> histograms_
      ABSL_GUARDED_BY(mu_);
  std::vector<Entry> order_ ABSL_GUARDED_BY(mu_);
  std::vector<std::function<void()>> collectors_ ABSL_GUARDED_BY(mu_);
};

// The value as the exposition format writes it: integers without exponent,
// "+Inf", "-Inf", "NaN".
std::string FormatSampleValue(double v);
// A label value in quotes, with \, " and line feeds escaped.
std::string QuoteLabelValue(absl::string_view v);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_METRICS_METRIC_REGISTRY_H_
