#ifndef HUBSPOT_GATEWAY_TESTS_SOAK_UNARY_WORKER_H_
#define HUBSPOT_GATEWAY_TESTS_SOAK_UNARY_WORKER_H_

#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "tests/soak/worker_context.h"

namespace hubspot_gateway::soak {

// GetImport, ListImports and ListImportErrors on imports the uploaders
// created (and now and then one that does not exist), with random
// deadlines, some far too short, and some calls cancelled by the client
// while in flight.
class UnaryWorker {
 public:
  UnaryWorker(const WorkerContext& context, uint64_t seed)
      : c_(context), rng_(seed) {}
  void Run();

 private:
  void CallOnce();
  // A deadline for the next call and, for some calls, when the client
  // cancels it.
  absl::Duration Deadline();
  std::optional<absl::Duration> CancelAfter();
  int64_t SomeImportId();

  WorkerContext c_;
  std::mt19937_64 rng_;
  std::string list_cursor_;  // paging.next.after of the last ListImports
};

}  // namespace hubspot_gateway::soak

#endif  // HUBSPOT_GATEWAY_TESTS_SOAK_UNARY_WORKER_H_
