#include "tests/soak/known_imports.h"

#include "absl/random/distributions.h"

namespace hubspot_gateway::soak {

void KnownImports::Add(int64_t id, absl::Time created) {
  absl::MutexLock lock(&mu_);
  if (!seen_.insert(id).second) return;
  ids_.push_back(id);
  fresh_.push_back({id, created});
}

std::optional<int64_t> KnownImports::Any(std::mt19937_64& rng) const {
  absl::MutexLock lock(&mu_);
  if (ids_.empty()) return std::nullopt;
  return ids_[absl::Uniform<size_t>(rng, 0, ids_.size())];
}

std::optional<int64_t> KnownImports::TakeFresh(absl::Time created_after) {
  absl::MutexLock lock(&mu_);
  while (!fresh_.empty() && fresh_.front().created <= created_after) {
    fresh_.pop_front();
  }
  if (fresh_.empty()) return std::nullopt;
  const int64_t id = fresh_.front().id;
  fresh_.pop_front();
  return id;
}

}  // namespace hubspot_gateway::soak
