#include "server/upload/idempotency_registry.h"

#include "absl/strings/str_cat.h"

namespace hubspot_gateway {
namespace {

absl::Status OwnerFailed(absl::string_view why) {
  return absl::AbortedError(absl::StrCat(
      "start.idempotency_key: the call that first used this key failed (", why,
      "); no import was created; send the upload again"));
}

}  // namespace

IdempotencyRegistry::IdempotencyRegistry(absl::Duration window,
                                         size_t max_keys, const Clock* clock)
    : window_(window), max_keys_(max_keys), clock_(clock) {}

bool IdempotencyRegistry::Claim(const std::string& key) {
  absl::MutexLock lock(&mu_);
  Forget(clock_->Now());
  if (auto it = entries_.find(key); it != entries_.end()) {
    ++it->second.repeats;
    return false;
  }
  // Full: the settled key expiring first goes. Running and pinned ones stay
  // (there are no more of them than concurrent uploads).
  while (entries_.size() >= max_keys_ && EvictOne()) {
  }
  entries_.emplace(key, Entry());
  return true;
}

void IdempotencyRegistry::ReleaseRepeat(const std::string& key) {
  absl::MutexLock lock(&mu_);
  if (auto it = entries_.find(key); it != entries_.end()) Unpin(it);
}

void IdempotencyRegistry::SetFingerprint(const std::string& key,
                                         const std::string& fingerprint) {
  Ready ready;
  {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return;
    it->second.fingerprint = fingerprint;
    Settle(it->second, &ready);
  }
  Run(std::move(ready));
}

void IdempotencyRegistry::Complete(const std::string& key, std::string import) {
  Ready ready;
  {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return;
    it->second.state = State::kCreated;
    it->second.import = std::move(import);
    Remember(key);
    Settle(it->second, &ready);
  }
  Run(std::move(ready));
}

void IdempotencyRegistry::MarkUnknown(const std::string& key,
                                      const absl::Status& why) {
  Ready ready;
  {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return;
    it->second.state = State::kUnknown;
    it->second.failure = why;
    Remember(key);
    Settle(it->second, &ready);
  }
  Run(std::move(ready));
}

void IdempotencyRegistry::Abandon(const std::string& key,
                                  const absl::Status& why) {
  Ready ready;
  {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return;
    for (Waiter& w : it->second.waiters) {
      ready.emplace_back(std::move(w.done), OwnerFailed(why.message()));
    }
    entries_.erase(it);
  }
  Run(std::move(ready));
}

void IdempotencyRegistry::AwaitResult(const std::string& key,
                                      const std::string& fingerprint,
                                      ResultCallback done) {
  Ready ready;
  {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) {
      // Pinned keys are neither forgotten nor evicted: the owner failed
      // while this repeat was streaming.
      ready.emplace_back(std::move(done),
                         OwnerFailed("it ended before this call did"));
    } else {
      it->second.waiters.push_back(Waiter{fingerprint, std::move(done)});
      Settle(it->second, &ready);
      Unpin(it);
    }
  }
  Run(std::move(ready));
}

void IdempotencyRegistry::Settle(Entry& entry, Ready* ready) {
  if (entry.fingerprint.empty()) return;  // the owner is still streaming
  std::vector<Waiter> waiting;
  for (Waiter& w : entry.waiters) {
    if (w.fingerprint != entry.fingerprint) {
      ready->emplace_back(
          std::move(w.done),
          absl::AlreadyExistsError(
              "start.idempotency_key: this key was already used for a "
              "different import request or different file content; use a "
              "new key for a new import"));
    } else if (entry.state == State::kCreated) {
      ready->emplace_back(std::move(w.done), entry.import);
    } else if (entry.state == State::kUnknown) {
      ready->emplace_back(
          std::move(w.done),
          absl::FailedPreconditionError(absl::StrCat(
              "start.idempotency_key: the call that first used this key "
              "ended without a clear outcome (",
              entry.failure.message(),
              "); HubSpot may have created the import: check ListImports "
              "before sending it with a new key")));
    } else {
      waiting.push_back(std::move(w));
    }
  }
  entry.waiters = std::move(waiting);
}

void IdempotencyRegistry::Remember(const std::string& key) {
  Entry& entry = entries_[key];
  entry.expires_at = clock_->Now() + window_;
  expiry_.emplace(entry.expires_at, key);
}

void IdempotencyRegistry::Forget(absl::Time now) {
  while (!expiry_.empty() && expiry_.begin()->first <= now) {
    auto it = entries_.find(expiry_.begin()->second);
    // A pinned key goes when its last repeat is done (Unpin).
    if (it != entries_.end() &&
        it->second.expires_at == expiry_.begin()->first &&
        !Pinned(it->second)) {
      entries_.erase(it);
    }
    expiry_.erase(expiry_.begin());
  }
}

bool IdempotencyRegistry::EvictOne() {
  for (auto record = expiry_.begin(); record != expiry_.end();) {
    auto it = entries_.find(record->second);
    if (it == entries_.end() || it->second.expires_at != record->first) {
      record = expiry_.erase(record);  // stale
    } else if (Pinned(it->second)) {
      ++record;
    } else {
      entries_.erase(it);
      expiry_.erase(record);
      return true;
    }
  }
  return false;
}

void IdempotencyRegistry::Unpin(
    absl::flat_hash_map<std::string, Entry>::iterator it) {
  Entry& entry = it->second;
  if (entry.repeats > 0) --entry.repeats;
  if (!Pinned(entry) && entry.state != State::kRunning &&
      entry.expires_at <= clock_->Now()) {
    entries_.erase(it);
  }
}

void IdempotencyRegistry::Run(Ready ready) {
  for (auto& [done, result] : ready) std::move(done)(std::move(result));
}

}  // namespace hubspot_gateway
