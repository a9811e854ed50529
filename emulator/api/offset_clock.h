#ifndef HUBSPOT_EMULATOR_API_OFFSET_CLOCK_H_
#define HUBSPOT_EMULATOR_API_OFFSET_CLOCK_H_

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "server/common/clock.h"

namespace hubspot_emulator {

// Real time, plus however far a test has moved it on (POST
// /__emulator/advance): imports finish and tokens expire without waiting.
class OffsetClock final : public hubspot_gateway::Clock {
 public:
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return absl::Now() + offset_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    offset_ += d;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Duration offset_ ABSL_GUARDED_BY(mu_) = absl::ZeroDuration();
};

}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_API_OFFSET_CLOCK_H_
