#ifndef HUBSPOT_GATEWAY_COMMON_THREAD_POOL_H_
#define HUBSPOT_GATEWAY_COMMON_THREAD_POOL_H_

#include <deque>
#include <thread>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace hubspot_gateway {

// Runs closures on a fixed set of threads. The HTTP loop hands completed
// transfers here so that parsing answers and finishing RPCs never holds up
// the loop that drives every other transfer.
class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  // Runs what was queued, then joins.
  ~ThreadPool();

  void Run(absl::AnyInvocable<void() &&> task);

 private:
  void Work();

  absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void() &&>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_COMMON_THREAD_POOL_H_
