#ifndef HUBSPOT_GATEWAY_TESTS_SOAK_FAULT_DRIVER_H_
#define HUBSPOT_GATEWAY_TESTS_SOAK_FAULT_DRIVER_H_

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "tests/support/emulator.h"

namespace hubspot_gateway::soak {

// One step of the emulator's bad weather.
struct FaultPhase {
  std::string name;
  // Body of POST /__emulator/faults ("{}" clears the plan).
  std::string plan = "{}";
  // > 0: HubSpot's ten-secondly limit for the phase (429s), restored after.
  int ten_secondly_limit = 0;
  // Zero: a random 3–6 s.
  absl::Duration length = absl::ZeroDuration();
  // Uses a fault setting the emulator may not know yet: a 400 skips the
  // phase for the rest of the run instead of counting as a failure.
  bool may_be_unknown = false;
};

// The phases cycled through, in order.
std::vector<FaultPhase> SoakFaultPhases();

// Cycles the emulator's fault plan through SoakFaultPhases() until stopped,
// and, with OAuth, expires the access tokens every 5–10 s.
class FaultDriver {
 public:
  FaultDriver(testing::Emulator* emulator, uint64_t seed, bool expire_tokens,
              int normal_ten_secondly_limit)
      : emulator_(emulator),
        rng_(seed),
        expire_tokens_(expire_tokens),
        normal_limit_(normal_ten_secondly_limit) {}

  // Returns once `stop` is notified, with the fault plan cleared and the
  // rate limit restored.
  void Run(const absl::Notification& stop);

  struct Stats {
    std::map<std::string, int64_t> phases;  // name -> times applied
    int64_t token_expiries = 0;
    std::vector<std::string> skipped;  // phases the emulator refused
    int64_t control_failures = 0;
  };
  Stats stats() const;

 private:
  // Applies `phase`; false when it was skipped.
  bool Apply(FaultPhase& phase);
  // POST /__emulator/<what>; the HTTP status, the answer in `answer`.
  long Control(absl::string_view what, absl::string_view json,
               std::string* answer);
  void ExpireTokens();
  void Restore();

  testing::Emulator* emulator_;
  std::mt19937_64 rng_;
  const bool expire_tokens_;
  const int normal_limit_;
  mutable absl::Mutex mu_;
  Stats stats_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hubspot_gateway::soak

#endif  // HUBSPOT_GATEWAY_TESTS_SOAK_FAULT_DRIVER_H_
