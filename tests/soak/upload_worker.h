#ifndef HUBSPOT_GATEWAY_TESTS_SOAK_UPLOAD_WORKER_H_
#define HUBSPOT_GATEWAY_TESTS_SOAK_UPLOAD_WORKER_H_

#include <cstdint>
#include <random>

#include "tests/soak/worker_context.h"

namespace hubspot_gateway::soak {

// Uploads small contacts CSVs (600 B – 2 MiB) one after the other: most of
// them good (half with an idempotency key, retried with it after a passing
// failure; half declaring size_bytes), the rest bad on purpose (cancelled
// mid-stream, wrong SHA-256, no `end`, stalled past the deadline), none of
// which may create an import. Every upload has its own import name.
class UploadWorker {
 public:
  UploadWorker(const WorkerContext& context, uint64_t seed)
      : c_(context), rng_(seed) {}
  void Run();

 private:
  void UploadOnce();

  WorkerContext c_;
  std::mt19937_64 rng_;
};

}  // namespace hubspot_gateway::soak

#endif  // HUBSPOT_GATEWAY_TESTS_SOAK_UPLOAD_WORKER_H_
