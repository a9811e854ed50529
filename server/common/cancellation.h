#ifndef HUBSPOT_GATEWAY_COMMON_CANCELLATION_H_
#define HUBSPOT_GATEWAY_COMMON_CANCELLATION_H_

#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace hubspot_gateway {

// Carries a caller's cancellation to whatever currently does work for it (a
// token wait, an HTTP transfer). Thread-safe.
class CancellationSignal {
 public:
  // Runs the current hook (outside the lock) the first time only.
  void Cancel();
  bool cancelled() const;
  // Installs the hook run on cancellation, replacing any earlier one. Returns
  // false, without installing it, if the signal was already cancelled.
  bool SetHook(absl::AnyInvocable<void()> hook);
  void ClearHook();

 private:
  mutable absl::Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  absl::AnyInvocable<void()> hook_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_COMMON_CANCELLATION_H_
