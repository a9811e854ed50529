#ifndef HUBSPOT_EMULATOR_API_IMPORT_REGISTRY_H_
#define HUBSPOT_EMULATOR_API_IMPORT_REGISTRY_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "emulator/imports/csv_import.h"
#include "server/common/clock.h"

namespace hubspot_emulator {

// How long an import stays in each state. Its rows were all read when it
// was accepted; the states only reveal the outcome over time, as HubSpot's
// background processing would.
struct ImportTimeline {
  absl::Duration started_for = absl::Seconds(1);
  absl::Duration processing_for = absl::Seconds(3);
};

// An accepted import. Immutable once registered, except its cancellation.
struct ImportRecord {
  int64_t id = 0;
  std::string name;
  std::string request_json;  // the importRequest as received, echoed back
  absl::Time created_at;
  std::vector<std::string> file_ids;
  std::vector<std::string> file_names;  // in importRequest.files order
  std::vector<std::string> list_ids;  // one per mapped object type
  ImportOutcome outcome;
  ImportTimeline timeline;
};

enum class ImportState { kStarted, kProcessing, kDone, kFailed, kCanceled };
const char* StateName(ImportState state);

// One import as of `now`.
struct ImportView {
  std::shared_ptr<const ImportRecord> record;
  std::optional<absl::Time> canceled_at;
  absl::Time now;

  ImportState State() const;
  // When the state last changed (the import's updatedAt).
  absl::Time UpdatedAt() const;
  // Share of the rows processed, 0 to 1.
  double Progress() const;
};

class ImportRegistry {
 public:
  ImportRegistry(const hubspot_gateway::Clock* clock, ImportTimeline timeline,
                 size_t max_imports);

  std::string NewFileId();
  std::string NewListId();
  // Gives the import its id, creation time and timeline.
  ImportView Add(ImportRecord record);
  std::optional<ImportView> Get(int64_t id) const;
  // STARTED or PROCESSING imports with ids in (after, before), ascending.
  std::vector<ImportView> Active(int64_t after, int64_t before) const;

  // Every import held, in any state, oldest first, and how many the
  // max_imports bound has dropped so far: taken together, so that a caller
  // can tell whether the list is complete.
  struct Listing {
    std::vector<ImportView> imports;
    int64_t evicted = 0;
  };
  Listing All() const;

  enum class CancelResult { kCanceled, kNotFound, kNotActive };
  CancelResult Cancel(int64_t id, ImportState* state_if_not_active);

  void SetTimeline(ImportTimeline timeline);
  ImportTimeline timeline() const;
  size_t size() const;

 private:
  struct Entry {
    std::shared_ptr<const ImportRecord> record;
    std::optional<absl::Time> canceled_at;
  };
  ImportView ViewLocked(const Entry& e) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void EvictLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const hubspot_gateway::Clock* const clock_;
  const size_t max_imports_;
  mutable absl::Mutex mu_;
  ImportTimeline timeline_ ABSL_GUARDED_BY(mu_);
  std::map<int64_t, Entry> imports_ ABSL_GUARDED_BY(mu_);
  // HubSpot's ids are large and increasing; these look alike.
  int64_t next_import_id_ ABSL_GUARDED_BY(mu_) = 40000001;
  int64_t next_file_id_ ABSL_GUARDED_BY(mu_) = 160000001;
  int64_t next_list_id_ ABSL_GUARDED_BY(mu_) = 1001;
  int64_t evicted_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_API_IMPORT_REGISTRY_H_
