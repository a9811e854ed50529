#ifndef HUBSPOT_GATEWAY_UPLOAD_IDEMPOTENCY_REGISTRY_H_
#define HUBSPOT_GATEWAY_UPLOAD_IDEMPOTENCY_REGISTRY_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/common/clock.h"

namespace hubspot_gateway {

// StartImport's idempotency keys. The first call with a key owns it and runs
// the upload; a repeat with the same key streams its content too (only a
// fingerprint of it is kept) and gets the owner's import, once there is one,
// if the fingerprints match. A created import is remembered for `window`.
//
// Keys are those of this process: replicas do not share them.
class IdempotencyRegistry {
 public:
  // The owner's import (serialized), or why there is none.
  using ResultCallback = absl::AnyInvocable<void(absl::StatusOr<std::string>) &&>;

  IdempotencyRegistry(absl::Duration window, size_t max_keys,
                      const Clock* clock);

  // True: the caller owns `key` and must end with Complete, Abandon or
  // MarkUnknown. False: another call owns it or created its import; the
  // caller repeats it and must end with AwaitResult or ReleaseRepeat. The
  // key is kept, past its window if need be, until its repeats are done.
  bool Claim(const std::string& key);
  // A repeat ended without awaiting the owner's result (its stream broke).
  void ReleaseRepeat(const std::string& key);
  // The owner's content, once verified; repeats are compared with it.
  void SetFingerprint(const std::string& key, const std::string& fingerprint);
  // The owner created `import`; repeats within the window get it.
  void Complete(const std::string& key, std::string import);
  // The owner failed in a way that proves no import was created: the key is
  // forgotten, so a retry runs anew.
  void Abandon(const std::string& key, const absl::Status& why);
  // The owner's outcome is unknown (HubSpot may have created the import):
  // repeats within the window fail rather than upload a second time.
  void MarkUnknown(const std::string& key, const absl::Status& why);
  // A repeat's content is known. `done` runs once (inline when the answer is
  // known already): the owner's import when the fingerprints match,
  // ALREADY_EXISTS when they differ, ABORTED/FAILED_PRECONDITION when the
  // owner failed or its outcome is unknown.
  void AwaitResult(const std::string& key, const std::string& fingerprint,
                   ResultCallback done);

 private:
  enum class State { kRunning, kCreated, kUnknown };
  struct Waiter {
    std::string fingerprint;
    ResultCallback done;
  };
  struct Entry {
    State state = State::kRunning;
    std::string fingerprint;  // empty until the owner's stream is verified
    std::string import;
    absl::Status failure;     // kUnknown
    absl::Time expires_at = absl::InfiniteFuture();  // once settled
    std::vector<Waiter> waiters;
    // Repeats still streaming: they will ask for the result.
    int repeats = 0;
  };
  using Ready = std::vector<std::pair<ResultCallback, absl::StatusOr<std::string>>>;

  // Answers the waiters `entry` can answer now; they run after mu_ is
  // released.
  static void Settle(Entry& entry, Ready* ready);
  static bool Pinned(const Entry& entry) {
    return entry.repeats > 0 || !entry.waiters.empty();
  }
  // Drops the keys whose window has passed, unless pinned.
  void Forget(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Drops the settled key that expires first, unless pinned; false if none.
  bool EvictOne() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // A repeat is done with `it`: drops it if its window passed meanwhile.
  void Unpin(absl::flat_hash_map<std::string, Entry>::iterator it)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Remember(const std::string& key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  static void Run(Ready ready);

  const absl::Duration window_;
  const size_t max_keys_;
  const Clock* const clock_;

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  // Settled keys by expiry. A record whose entry has another expires_at is
  // stale (the key was abandoned and claimed again).
  std::multimap<absl::Time, std::string> expiry_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_UPLOAD_IDEMPOTENCY_REGISTRY_H_
