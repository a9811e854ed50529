#ifndef HUBSPOT_GATEWAY_TESTS_SOAK_KNOWN_IMPORTS_H_
#define HUBSPOT_GATEWAY_TESTS_SOAK_KNOWN_IMPORTS_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <random>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace hubspot_gateway::soak {

// Imports StartImport returned, for the readers to read and the cancel
// worker to cancel.
class KnownImports {
 public:
  void Add(int64_t id, absl::Time created);
  // Any known id; nullopt while there is none.
  std::optional<int64_t> Any(std::mt19937_64& rng) const;
  // The oldest import not handed out before that was created after
  // `created_after`; older ones are passed over for good. Each import is
  // handed out at most once, so that it is cancelled at most once.
  std::optional<int64_t> TakeFresh(absl::Time created_after);

 private:
  struct Fresh {
    int64_t id;
    absl::Time created;
  };
  mutable absl::Mutex mu_;
  absl::flat_hash_set<int64_t> seen_ ABSL_GUARDED_BY(mu_);
  std::vector<int64_t> ids_ ABSL_GUARDED_BY(mu_);
  std::deque<Fresh> fresh_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hubspot_gateway::soak

#endif  // HUBSPOT_GATEWAY_TESTS_SOAK_KNOWN_IMPORTS_H_
