#include "server/common/scheduler.h"

#include <utility>

#include "absl/time/clock.h"

namespace hubspot_gateway {

TimerThread::TimerThread() : thread_([this] { Loop(); }) {}

TimerThread::~TimerThread() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  changed_.Signal();
  thread_.join();
}

void TimerThread::RunAfter(absl::Duration delay, Task task) {
  absl::MutexLock lock(&mu_);
  tasks_.emplace(absl::Now() + delay, std::move(task));
  changed_.Signal();
}

void TimerThread::Loop() {
  while (true) {
    Task task;
    bool fired = true;
    {
      absl::MutexLock lock(&mu_);
      while (!stopping_ &&
             (tasks_.empty() || tasks_.begin()->first > absl::Now())) {
        // Woken early by a new task or by stop; either way look again.
        changed_.WaitWithDeadline(&mu_, tasks_.empty()
                                            ? absl::InfiniteFuture()
                                            : tasks_.begin()->first);
      }
      if (tasks_.empty()) return;  // stopping, nothing left
      fired = !stopping_;
      task = std::move(tasks_.begin()->second);
      tasks_.erase(tasks_.begin());
    }
    std::move(task)(fired);
  }
}

}  // namespace hubspot_gateway
