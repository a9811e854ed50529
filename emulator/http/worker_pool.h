#ifndef HUBSPOT_EMULATOR_HTTP_WORKER_POOL_H_
#define HUBSPOT_EMULATOR_HTTP_WORKER_POOL_H_

#include <deque>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace hubspot_emulator {
namespace http_internal {

// The threads handlers run on. Unlike a pool that drains its queue on the
// way out, this one drops what has not started: a stopping server has no
// connection left to answer on.
class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  // Drops queued tasks, waits for running ones.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Run(absl::AnyInvocable<void() &&> task);

 private:
  void Work();

  absl::Mutex mu_;
  absl::CondVar wake_;
  std::deque<absl::AnyInvocable<void() &&>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace http_internal
}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_HTTP_WORKER_POOL_H_
