#ifndef HUBSPOT_GATEWAY_COMMON_SCHEDULER_H_
#define HUBSPOT_GATEWAY_COMMON_SCHEDULER_H_

#include <map>
#include <thread>

#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace hubspot_gateway {

// Runs work later (a retry after its back-off). Injected, so that tests
// decide when "later" is instead of sleeping.
class Scheduler {
 public:
  // `fired` is false when the scheduler shut down before the delay passed:
  // the task must then give up rather than start new work.
  using Task = absl::AnyInvocable<void(bool fired) &&>;

  virtual ~Scheduler() = default;
  // Runs `task` exactly once, on a thread of the scheduler's, never inside
  // RunAfter.
  virtual void RunAfter(absl::Duration delay, Task task) = 0;
};

// One thread sleeping until the earliest task is due.
class TimerThread final : public Scheduler {
 public:
  TimerThread();
  // Runs every pending task with fired=false, then joins.
  ~TimerThread() override;

  void RunAfter(absl::Duration delay, Task task) override;

 private:
  void Loop();

  absl::Mutex mu_;
  absl::CondVar changed_;
  std::multimap<absl::Time, Task> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_COMMON_SCHEDULER_H_
