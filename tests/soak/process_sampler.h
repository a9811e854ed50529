#ifndef HUBSPOT_GATEWAY_TESTS_SOAK_PROCESS_SAMPLER_H_
#define HUBSPOT_GATEWAY_TESTS_SOAK_PROCESS_SAMPLER_H_

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace hubspot_gateway::soak {

struct ProcessSample {
  absl::Time at;
  int64_t rss_kib = 0;
  int fds = 0;
  int threads = 0;
};

// Samples a process's VmRSS, fds and threads every second on its own thread.
class ProcessSampler {
 public:
  explicit ProcessSampler(pid_t pid);
  ~ProcessSampler();  // stops
  void Stop();
  std::vector<ProcessSample> samples() const;

 private:
  void Loop();

  const pid_t pid_;
  absl::Notification stop_;
  mutable absl::Mutex mu_;
  std::vector<ProcessSample> samples_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

// Mean VmRSS of each quarter of [from, to) (0 for a quarter without
// samples).
std::array<double, 4> RssQuarterMeans(const std::vector<ProcessSample>& samples,
                                      absl::Time from, absl::Time to);

}  // namespace hubspot_gateway::soak

#endif  // HUBSPOT_GATEWAY_TESTS_SOAK_PROCESS_SAMPLER_H_
