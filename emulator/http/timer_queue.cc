#include "emulator/http/timer_queue.h"

#include <algorithm>
#include <climits>
#include <utility>

namespace hubspot_emulator {
namespace http_internal {

Clock::time_point After(Clock::time_point start, absl::Duration d) {
  d = std::clamp(d, absl::ZeroDuration(), absl::Hours(24 * 365));
  return start + std::chrono::duration_cast<Clock::duration>(
                     absl::ToChronoNanoseconds(d));
}

bool TimerQueue::Later(const Entry& a, const Entry& b) {
  if (a.when != b.when) return a.when > b.when;
  return a.sequence > b.sequence;
}

void TimerQueue::Add(Clock::time_point when,
                     absl::AnyInvocable<void() &&> callback) {
  heap_.push_back(Entry{when, next_sequence_++, std::move(callback)});
  std::push_heap(heap_.begin(), heap_.end(), Later);
}

int TimerQueue::TimeoutMs(Clock::time_point now) const {
  if (heap_.empty()) return -1;
  const Clock::time_point when = heap_.front().when;
  if (when <= now) return 0;
  const auto ms =
      std::chrono::ceil<std::chrono::milliseconds>(when - now).count();
  return static_cast<int>(std::min<decltype(ms)>(ms, INT_MAX));
}

void TimerQueue::RunDue(Clock::time_point now) {
  const uint64_t limit = next_sequence_;
  while (!heap_.empty() && heap_.front().when <= now &&
         heap_.front().sequence < limit) {
    std::pop_heap(heap_.begin(), heap_.end(), Later);
    absl::AnyInvocable<void()&&> callback = std::move(heap_.back().callback);
    heap_.pop_back();
    std::move(callback)();
  }
}

}  // namespace http_internal
}  // namespace hubspot_emulator
