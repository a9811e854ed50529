#ifndef HUBSPOT_GATEWAY_UPLOAD_UPLOAD_LEDGER_H_
#define HUBSPOT_GATEWAY_UPLOAD_UPLOAD_LEDGER_H_

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/common/clock.h"

namespace hubspot_gateway {

// How an upload looks among HubSpot's imports: its import name and its
// files' names, in order. HubSpot echoes both with every import.
std::string UploadSignature(absl::string_view import_name,
                            const std::vector<std::string>& file_names);

// What this gateway knows of its own uploads to one HubSpot account, so
// that after a lost answer it can tell whether an active import that looks
// like the upload can only be that upload's: the uploads in flight and
// those that recently ended without knowing their import, by signature, and
// the imports already answered to a caller. Thread-safe.
class UploadLedger {
 public:
  // Uploads that ended unresolved and answered imports are remembered for
  // `memory`; at most `max_remembered` of each.
  UploadLedger(const Clock* clock, absl::Duration memory,
               size_t max_remembered);

  // One upload in flight, until destroyed.
  class Entry {
   public:
    Entry() = default;
    Entry(Entry&& other) noexcept { *this = std::move(other); }
    Entry& operator=(Entry&& other) noexcept;
    ~Entry();
    const std::string& signature() const { return signature_; }

   private:
    friend class UploadLedger;
    Entry(UploadLedger* ledger, std::string signature)
        : ledger_(ledger), signature_(std::move(signature)) {}
    UploadLedger* ledger_ = nullptr;
    std::string signature_;
  };

  Entry Enter(std::string signature);
  // Uploads other than `entry` that could have created an import looking
  // like it: in flight now, or ended unresolved within `memory`.
  int Others(const Entry& entry) const;
  // `entry`'s upload ends without knowing its import: an import that looks
  // like it may be that one, for `memory`.
  void EndedUnresolved(const Entry& entry);
  // `import_id` was answered to a caller: it is no other upload's.
  void Answered(int64_t import_id);
  bool WasAnswered(int64_t import_id) const;

 private:
  void Leave(const std::string& signature);
  void ForgetOld(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Clock* const clock_;
  const absl::Duration memory_;
  const size_t max_remembered_;

  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, int> in_flight_ ABSL_GUARDED_BY(mu_);
  // Oldest first.
  std::deque<std::pair<absl::Time, std::string>> unresolved_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, int> unresolved_count_ ABSL_GUARDED_BY(mu_);
  std::deque<std::pair<absl::Time, int64_t>> answered_order_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<int64_t> answered_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_UPLOAD_UPLOAD_LEDGER_H_
