#include "server/common/scheduler.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hubspot_gateway {
namespace {

using ::testing::ElementsAre;

// Bounds every wait, so that a broken scheduler fails the test instead of
// hanging it. Nothing here waits that long when the scheduler works.
constexpr absl::Duration kPatience = absl::Seconds(10);

// What the tasks did, in order, for the test to wait on.
class Journal {
 public:
  void Add(std::string entry) {
    absl::MutexLock lock(&mu_);
    entries_.push_back(std::move(entry));
  }
  // True once there are `n` entries.
  bool WaitFor(size_t n) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, n]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return entries_.size() >= n;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), kPatience);
  }
  std::vector<std::string> entries() const {
    absl::MutexLock lock(&mu_);
    return entries_;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<std::string> entries_ ABSL_GUARDED_BY(mu_);
};

Scheduler::Task Record(Journal* journal, std::string name) {
  return [journal, name = std::move(name)](bool fired) {
    journal->Add(name + (fired ? ":fired" : ":shutdown"));
  };
}

TEST(TimerThreadTest, ZeroDelayTaskRunsFired) {
  TimerThread timers;
  absl::Notification ran;
  bool fired = false;
  timers.RunAfter(absl::ZeroDuration(), [&](bool f) {
    fired = f;
    ran.Notify();
  });
  ASSERT_TRUE(ran.WaitForNotificationWithTimeout(kPatience));
  EXPECT_TRUE(fired);
}

TEST(TimerThreadTest, TaskRunsOnTheTimerThreadNotTheCaller) {
  TimerThread timers;
  absl::Notification ran;
  std::thread::id runner;
  timers.RunAfter(absl::ZeroDuration(), [&](bool) {
    runner = std::this_thread::get_id();
    ran.Notify();
  });
  ASSERT_TRUE(ran.WaitForNotificationWithTimeout(kPatience));
  EXPECT_NE(runner, std::this_thread::get_id());
}

TEST(TimerThreadTest, TaskDoesNotRunBeforeItsDelay) {
  TimerThread timers;
  absl::Notification ran;
  absl::Time ran_at;
  const absl::Duration delay = absl::Milliseconds(30);
  const absl::Time scheduled = absl::Now();
  timers.RunAfter(delay, [&](bool) {
    ran_at = absl::Now();
    ran.Notify();
  });
  ASSERT_TRUE(ran.WaitForNotificationWithTimeout(kPatience));
  EXPECT_GE(ran_at - scheduled, delay);
}

// The thread must wake for a task due before the one it is sleeping towards.
TEST(TimerThreadTest, ShortTaskOvertakesLongOneAndLongOneRunsAtShutdown) {
  Journal journal;
  {
    TimerThread timers;
    timers.RunAfter(absl::Hours(1), Record(&journal, "long"));
    timers.RunAfter(absl::ZeroDuration(), Record(&journal, "short"));
    ASSERT_TRUE(journal.WaitFor(1));
    EXPECT_THAT(journal.entries(), ElementsAre("short:fired"));
  }
  EXPECT_THAT(journal.entries(), ElementsAre("short:fired", "long:shutdown"));
}

// Three tasks scheduled while the thread is busy run by due time, whatever
// the order they were scheduled in.
TEST(TimerThreadTest, DueTasksRunInDueOrder) {
  Journal journal;
  TimerThread timers;
  absl::Notification busy;
  absl::Notification release;
  timers.RunAfter(absl::ZeroDuration(), [&](bool) {
    busy.Notify();
    release.WaitForNotification();
  });
  ASSERT_TRUE(busy.WaitForNotificationWithTimeout(kPatience));
  // Already due when the thread gets to them; their due times decide.
  timers.RunAfter(absl::Seconds(-1), Record(&journal, "c"));
  timers.RunAfter(absl::Seconds(-3), Record(&journal, "a"));
  timers.RunAfter(absl::Seconds(-2), Record(&journal, "b"));
  release.Notify();
  ASSERT_TRUE(journal.WaitFor(3));
  EXPECT_THAT(journal.entries(), ElementsAre("a:fired", "b:fired", "c:fired"));
}

TEST(TimerThreadTest, TasksDueTogetherRunInTheOrderScheduled) {
  Journal journal;
  TimerThread timers;
  absl::Notification busy;
  absl::Notification release;
  timers.RunAfter(absl::ZeroDuration(), [&](bool) {
    busy.Notify();
    release.WaitForNotification();
  });
  ASSERT_TRUE(busy.WaitForNotificationWithTimeout(kPatience));
  for (const char* name : {"1", "2", "3", "4"}) {
    timers.RunAfter(-absl::InfiniteDuration(), Record(&journal, name));
  }
  release.Notify();
  ASSERT_TRUE(journal.WaitFor(4));
  EXPECT_THAT(journal.entries(),
              ElementsAre("1:fired", "2:fired", "3:fired", "4:fired"));
}

TEST(TimerThreadTest, DestructionRunsEveryPendingTaskOnceWithFiredFalse) {
  Journal journal;
  {
    TimerThread timers;
    timers.RunAfter(absl::Hours(2), Record(&journal, "b"));
    timers.RunAfter(absl::Hours(1), Record(&journal, "a"));
    timers.RunAfter(absl::InfiniteDuration(), Record(&journal, "c"));
  }
  EXPECT_THAT(journal.entries(),
              ElementsAre("a:shutdown", "b:shutdown", "c:shutdown"));
}

TEST(TimerThreadTest, DestructionWithPendingTasksDoesNotHang) {
  // Shared with the destroying thread, which may outlive a failed test.
  struct State {
    Journal journal;
    std::unique_ptr<TimerThread> timers = std::make_unique<TimerThread>();
    absl::Notification destroyed;
  };
  auto state = std::make_shared<State>();
  for (int i = 0; i < 100; ++i) {
    state->timers->RunAfter(absl::Hours(1 + i), Record(&state->journal, "t"));
  }
  std::thread destroyer([state] {
    state->timers.reset();
    state->destroyed.Notify();
  });
  if (!state->destroyed.WaitForNotificationWithTimeout(kPatience)) {
    destroyer.detach();
    FAIL() << "~TimerThread did not return";
  }
  destroyer.join();
  EXPECT_EQ(state->journal.entries().size(), 100u);
}

TEST(TimerThreadTest, DestructionWithNothingScheduledReturns) {
  TimerThread timers;
}

// A retry schedules its next attempt from inside a task; the task runs on the
// timer thread, so RunAfter must not need the lock the thread holds.
TEST(TimerThreadTest, TaskMaySchedule) {
  Journal journal;
  TimerThread timers;
  timers.RunAfter(absl::ZeroDuration(), [&](bool) {
    journal.Add("outer");
    timers.RunAfter(absl::ZeroDuration(), Record(&journal, "inner"));
  });
  ASSERT_TRUE(journal.WaitFor(2));
  EXPECT_THAT(journal.entries(), ElementsAre("outer", "inner:fired"));
}

// A task scheduled by a task that runs at shutdown still runs (unfired)
// before the destructor returns, so that nothing waits for it for ever.
TEST(TimerThreadTest, TaskScheduledDuringShutdownRunsUnfired) {
  Journal journal;
  {
    TimerThread timers;
    timers.RunAfter(absl::Hours(1), [&](bool fired) {
      journal.Add(fired ? "outer:fired" : "outer:shutdown");
      timers.RunAfter(absl::ZeroDuration(), Record(&journal, "inner"));
    });
  }
  EXPECT_THAT(journal.entries(), ElementsAre("outer:shutdown", "inner:shutdown"));
}

TEST(TimerThreadTest, TasksFromManyThreadsAllRunOnce) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  Journal journal;
  TimerThread timers;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&timers, &journal] {
      for (int i = 0; i < kPerThread; ++i) {
        timers.RunAfter(absl::ZeroDuration(), Record(&journal, "t"));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_TRUE(journal.WaitFor(kThreads * kPerThread));
  for (const std::string& e : journal.entries()) EXPECT_EQ(e, "t:fired");
  EXPECT_EQ(journal.entries().size(), size_t{kThreads * kPerThread});
}

}  // namespace
}  // namespace hubspot_gateway
