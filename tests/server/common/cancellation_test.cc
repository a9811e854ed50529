#include "server/common/cancellation.h"

#include <memory>
#include <utility>

#include "gtest/gtest.h"

namespace hubspot_gateway {
namespace {

TEST(CancellationSignalTest, StartsNotCancelled) {
  CancellationSignal signal;
  EXPECT_FALSE(signal.cancelled());
}

TEST(CancellationSignalTest, CancelMarksCancelled) {
  CancellationSignal signal;
  signal.Cancel();
  EXPECT_TRUE(signal.cancelled());
}

TEST(CancellationSignalTest, CancelWithoutHookIsFine) {
  CancellationSignal signal;
  signal.Cancel();
  signal.Cancel();
  EXPECT_TRUE(signal.cancelled());
}

TEST(CancellationSignalTest, CancelRunsHook) {
  CancellationSignal signal;
  int runs = 0;
  ASSERT_TRUE(signal.SetHook([&] { ++runs; }));
  signal.Cancel();
  EXPECT_EQ(runs, 1);
}

TEST(CancellationSignalTest, SecondCancelDoesNotRunHookAgain) {
  CancellationSignal signal;
  int runs = 0;
  ASSERT_TRUE(signal.SetHook([&] { ++runs; }));
  signal.Cancel();
  signal.Cancel();
  EXPECT_EQ(runs, 1);
}

TEST(CancellationSignalTest, SetHookDoesNotRunIt) {
  CancellationSignal signal;
  int runs = 0;
  ASSERT_TRUE(signal.SetHook([&] { ++runs; }));
  EXPECT_EQ(runs, 0);
  EXPECT_FALSE(signal.cancelled());
}

TEST(CancellationSignalTest, SetHookReplacesEarlierHook) {
  CancellationSignal signal;
  int first = 0;
  int second = 0;
  ASSERT_TRUE(signal.SetHook([&] { ++first; }));
  ASSERT_TRUE(signal.SetHook([&] { ++second; }));
  signal.Cancel();
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 1);
}

TEST(CancellationSignalTest, SetHookAfterCancelIsRefusedAndNotRun) {
  CancellationSignal signal;
  signal.Cancel();
  int runs = 0;
  EXPECT_FALSE(signal.SetHook([&] { ++runs; }));
  signal.Cancel();
  EXPECT_EQ(runs, 0);
}

TEST(CancellationSignalTest, ClearHookPreventsHookFromRunning) {
  CancellationSignal signal;
  int runs = 0;
  ASSERT_TRUE(signal.SetHook([&] { ++runs; }));
  signal.ClearHook();
  signal.Cancel();
  EXPECT_EQ(runs, 0);
  EXPECT_TRUE(signal.cancelled());
}

TEST(CancellationSignalTest, ClearHookWithoutHookIsFine) {
  CancellationSignal signal;
  signal.ClearHook();
  signal.Cancel();
  EXPECT_TRUE(signal.cancelled());
}

TEST(CancellationSignalTest, HookCanBeSetAgainAfterClear) {
  CancellationSignal signal;
  int runs = 0;
  ASSERT_TRUE(signal.SetHook([] {}));
  signal.ClearHook();
  ASSERT_TRUE(signal.SetHook([&] { ++runs; }));
  signal.Cancel();
  EXPECT_EQ(runs, 1);
}

TEST(CancellationSignalTest, HookRunsOutsideTheLock) {
  // The hook may use the signal itself; it would deadlock under the lock.
  CancellationSignal signal;
  bool seen_cancelled = false;
  bool set_hook_result = true;
  ASSERT_TRUE(signal.SetHook([&] {
    seen_cancelled = signal.cancelled();
    set_hook_result = signal.SetHook([] {});
    signal.ClearHook();
  }));
  signal.Cancel();
  EXPECT_TRUE(seen_cancelled);
  EXPECT_FALSE(set_hook_result);
}

TEST(CancellationSignalTest, HookIsReleasedAfterCancel) {
  CancellationSignal signal;
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> weak = token;
  ASSERT_TRUE(signal.SetHook([token = std::move(token)] { ++*token; }));
  EXPECT_FALSE(weak.expired());
  signal.Cancel();
  EXPECT_TRUE(weak.expired());
}

TEST(CancellationSignalTest, ClearHookReleasesHookOutsideTheLock) {
  CancellationSignal signal;
  // Destroying the old hook uses the signal; under the lock it would
  // deadlock.
  struct OnDestroy {
    OnDestroy(CancellationSignal* s, bool* d) : signal(s), destroyed(d) {}
    ~OnDestroy() { *destroyed = !signal->cancelled(); }
    CancellationSignal* signal;
    bool* destroyed;
  };
  bool destroyed_outside_lock = false;
  auto guard = std::make_shared<OnDestroy>(&signal, &destroyed_outside_lock);
  ASSERT_TRUE(signal.SetHook([guard = std::move(guard)] {}));
  signal.ClearHook();
  EXPECT_TRUE(destroyed_outside_lock);
}

}  // namespace
}  // namespace hubspot_gateway
