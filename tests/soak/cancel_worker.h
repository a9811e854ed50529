#ifndef HUBSPOT_GATEWAY_TESTS_SOAK_CANCEL_WORKER_H_
#define HUBSPOT_GATEWAY_TESTS_SOAK_CANCEL_WORKER_H_

#include <cstdint>
#include <random>

#include "tests/soak/worker_context.h"

namespace hubspot_gateway::soak {

// Cancels some of the imports the uploaders created while they are still
// STARTED (the emulator keeps them so for --started_for), each at most once
// and by nobody else: so a cancel's answer can be held against the import's
// final state (check 9).
class CancelWorker {
 public:
  // Imports younger than `fresh_for` are cancelled (a share of them); older
  // ones are passed over.
  CancelWorker(const WorkerContext& context, uint64_t seed,
               absl::Duration fresh_for)
      : c_(context), rng_(seed), fresh_for_(fresh_for) {}
  void Run();

 private:
  void Cancel(int64_t import_id);

  WorkerContext c_;
  std::mt19937_64 rng_;
  absl::Duration fresh_for_;
};

}  // namespace hubspot_gateway::soak

#endif  // HUBSPOT_GATEWAY_TESTS_SOAK_CANCEL_WORKER_H_
