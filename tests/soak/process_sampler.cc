#include "tests/soak/process_sampler.h"

#include "tests/soak/process_census.h"

namespace hubspot_gateway::soak {

ProcessSampler::ProcessSampler(pid_t pid)
    : pid_(pid), thread_([this] { Loop(); }) {}

ProcessSampler::~ProcessSampler() { Stop(); }

void ProcessSampler::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void ProcessSampler::Loop() {
  do {
    absl::StatusOr<ProcessCensus> c = TakeCensus(pid_, 0, "");
    if (!c.ok()) continue;  // gone: the checks will say so
    absl::MutexLock lock(&mu_);
    samples_.push_back({absl::Now(), c->rss_kib, c->fds, c->threads});
  } while (!stop_.WaitForNotificationWithTimeout(absl::Seconds(1)));
}

std::vector<ProcessSample> ProcessSampler::samples() const {
  absl::MutexLock lock(&mu_);
  return samples_;
}

std::array<double, 4> RssQuarterMeans(const std::vector<ProcessSample>& samples,
                                      absl::Time from, absl::Time to) {
  std::array<double, 4> sum{}, count{};
  const absl::Duration quarter = (to - from) / 4;
  if (quarter <= absl::ZeroDuration()) return sum;
  for (const ProcessSample& s : samples) {
    if (s.at < from || s.at >= to) continue;
    const int q = std::min<int64_t>(3, (s.at - from) / quarter);
    sum[q] += static_cast<double>(s.rss_kib);
    ++count[q];
  }
  for (int q = 0; q < 4; ++q) sum[q] = count[q] > 0 ? sum[q] / count[q] : 0;
  return sum;
}

}  // namespace hubspot_gateway::soak
