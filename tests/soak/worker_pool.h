#ifndef HUBSPOT_GATEWAY_TESTS_SOAK_WORKER_POOL_H_
#define HUBSPOT_GATEWAY_TESTS_SOAK_WORKER_POOL_H_

#include <cstdint>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "tests/soak/worker_context.h"

namespace hubspot_gateway::soak {

// The soak's load: upload workers, unary workers and one cancel worker,
// each on its own thread, until StopAndJoin.
class WorkerPool {
 public:
  struct Sizes {
    int uploaders = 3;
    int readers = 4;
    // Imports younger than this are cancelled (while STARTED).
    absl::Duration cancel_fresh_for = absl::Seconds(15);
  };
  WorkerPool(WorkerContext context, uint64_t seed, const Sizes& sizes);
  ~WorkerPool();
  // Stops the workers and waits for each to finish the call in hand.
  void StopAndJoin();

 private:
  absl::Notification stop_;
  std::vector<std::thread> threads_;
};

}  // namespace hubspot_gateway::soak

#endif  // HUBSPOT_GATEWAY_TESTS_SOAK_WORKER_POOL_H_
