#include "tests/soak/worker_pool.h"

#include "tests/soak/cancel_worker.h"
#include "tests/soak/unary_worker.h"
#include "tests/soak/upload_worker.h"

namespace hubspot_gateway::soak {

WorkerPool::WorkerPool(WorkerContext context, uint64_t seed,
                       const Sizes& sizes) {
  context.stop = &stop_;
  // Each worker its own stream of choices, replayable from the seed.
  uint64_t stream = seed * 1000;
  for (int i = 0; i < sizes.uploaders; ++i) {
    threads_.emplace_back(
        [context, s = stream++] { UploadWorker(context, s).Run(); });
  }
  for (int i = 0; i < sizes.readers; ++i) {
    threads_.emplace_back(
        [context, s = stream++] { UnaryWorker(context, s).Run(); });
  }
  threads_.emplace_back(
      [context, s = stream++, fresh = sizes.cancel_fresh_for] {
        CancelWorker(context, s, fresh).Run();
      });
}

WorkerPool::~WorkerPool() { StopAndJoin(); }

void WorkerPool::StopAndJoin() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

}  // namespace hubspot_gateway::soak
