#ifndef HUBSPOT_EMULATOR_IMPORTS_CRM_STORE_H_
#define HUBSPOT_EMULATOR_IMPORTS_CRM_STORE_H_

// The emulated portal's CRM objects and their property definitions: what an
// import creates or updates, and what it checks values against.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "emulator/imports/crm_schema.h"

namespace hubspot_emulator {

struct CrmObject {
  int64_t id = 0;
  std::string object_type_id;
  std::map<std::string, std::string> properties;  // name -> stored value
};

// importOperations' values.
enum class WriteMode { kCreate, kUpdate, kUpsert };

// One object of one row, its values already checked and normalized.
struct ObjectWrite {
  const ObjectTypeDefinition* type = nullptr;
  WriteMode mode = WriteMode::kUpsert;
  // The row's record ID (hs_object_id), which takes precedence over the
  // type's unique property to find the object.
  std::optional<int64_t> object_id;
  std::vector<std::pair<std::string, std::string>> values;
};

enum class WriteStatus {
  kCreated,
  kUpdated,
  kAlreadyExists,    // mode kCreate, the object exists: nothing written
  kNotFound,         // mode kUpdate, no such object: nothing written
  kUnknownObjectId,  // a record ID that names no object: nothing written
  kDuplicateKey,     // would give the object another one's unique value
  kLimitExceeded,    // the portal holds CrmLimits::max_objects_per_type
};

struct WriteResult {
  WriteStatus status = WriteStatus::kCreated;
  int64_t object_id = 0;  // the object written or found, 0 when none
};

struct CrmLimits {
  // Bounds the emulator's memory; HubSpot's tiers have limits too.
  int64_t max_objects_per_type = 2000000;
};

// Every object of the portal, in memory. Thread-safe: imports running at
// the same time write through it, each row's find-then-write atomically, so
// that two imports of the same email make one contact.
class CrmStore {
 public:
  explicit CrmStore(CrmLimits limits = CrmLimits());
  CrmStore(const CrmStore&) = delete;
  CrmStore& operator=(const CrmStore&) = delete;

  // Finds the object (record ID, else unique property value) and creates
  // or updates it as `write.mode` allows. Values replace the stored ones;
  // properties the write does not name are kept.
  WriteResult Write(const ObjectWrite& write);

  std::optional<CrmObject> Get(absl::string_view object_type_id,
                               int64_t id) const;
  // By the type's unique property (contacts' email, companies' domain),
  // case-insensitively.
  std::optional<CrmObject> FindByUniqueValue(absl::string_view object_type_id,
                                             absl::string_view value) const;
  // The objects of a type with ids > `after`, ascending, at most `limit`.
  std::vector<CrmObject> List(absl::string_view object_type_id, int64_t after,
                              size_t limit) const;
  int64_t Count(absl::string_view object_type_id) const;
  // Forgets every object (ids keep increasing).
  void Clear();

 private:
  struct TypeObjects {
    std::map<int64_t, CrmObject> by_id;  // ordered, for List
    absl::flat_hash_map<std::string, int64_t> by_unique_value;
  };

  // `unique_value`: the write's value of the unique property as indexed,
  // empty when it has none.
  WriteResult UpdateLocked(const ObjectWrite& write,
                           const std::string& unique_value,
                           TypeObjects& objects, CrmObject& object)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  WriteResult CreateLocked(const ObjectWrite& write,
                           const std::string& unique_value,
                           TypeObjects& objects)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const CrmLimits limits_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, TypeObjects> objects_ ABSL_GUARDED_BY(mu_);
  // One sequence for all types, as HubSpot's ids are unique in a portal
  // for practical purposes; the values look like HubSpot's.
  int64_t next_id_ ABSL_GUARDED_BY(mu_) = 1001;
};

}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_IMPORTS_CRM_STORE_H_
