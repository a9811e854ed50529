#include "server/common/cancellation.h"

#include <utility>

namespace hubspot_gateway {

void CancellationSignal::Cancel() {
  absl::AnyInvocable<void()> hook;
  {
    absl::MutexLock lock(&mu_);
    if (cancelled_) return;
    cancelled_ = true;
    hook = std::move(hook_);
  }
  if (hook) hook();
}

bool CancellationSignal::cancelled() const {
  absl::MutexLock lock(&mu_);
  return cancelled_;
}

bool CancellationSignal::SetHook(absl::AnyInvocable<void()> hook) {
  absl::MutexLock lock(&mu_);
  if (cancelled_) return false;
  hook_ = std::move(hook);
  return true;
}

void CancellationSignal::ClearHook() {
  absl::AnyInvocable<void()> old;
  absl::MutexLock lock(&mu_);
  old = std::move(hook_);
  hook_ = nullptr;
}

}  // namespace hubspot_gateway
