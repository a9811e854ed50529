#ifndef HUBSPOT_EMULATOR_HTTP_TIMER_QUEUE_H_
#define HUBSPOT_EMULATOR_HTTP_TIMER_QUEUE_H_

#include <chrono>
#include <cstdint>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/time/time.h"

namespace hubspot_emulator {
namespace http_internal {

// Monotonic, so that a clock step neither fires nor stalls every timer.
using Clock = std::chrono::steady_clock;

// A past-and-future-proof sum: absurd durations (InfiniteDuration) are
// capped at a year instead of overflowing the time point.
Clock::time_point After(Clock::time_point start, absl::Duration d);

// The I/O thread's timers: a binary heap whose earliest deadline becomes
// epoll_wait's timeout. There is no cancellation; callbacks look their
// connection up by id and do nothing when it has moved on.
class TimerQueue {
 public:
  void Add(Clock::time_point when, absl::AnyInvocable<void() &&> callback);

  // Milliseconds until the earliest timer (rounded up, so that it is due on
  // waking); -1 with none.
  int TimeoutMs(Clock::time_point now) const;

  // Runs the timers due by `now`. Timers those add wait for the next call,
  // even if already due, so that a timer re-adding itself cannot spin here.
  void RunDue(Clock::time_point now);

 private:
  struct Entry {
    Clock::time_point when;
    uint64_t sequence;  // equal deadlines fire in the order they were added
    absl::AnyInvocable<void() &&> callback;
  };
  // std::push_heap keeps the largest on top; the earliest must be.
  static bool Later(const Entry& a, const Entry& b);

  std::vector<Entry> heap_;
  uint64_t next_sequence_ = 0;
};

}  // namespace http_internal
}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_HTTP_TIMER_QUEUE_H_
