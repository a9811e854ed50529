#include "emulator/imports/crm_store.h"

#include "absl/strings/ascii.h"

namespace hubspot_emulator {
namespace {

// The write's value of its type's unique property, as indexed; empty when
// it has none.
std::string UniqueValueOf(const ObjectWrite& write) {
  const std::string& unique = write.type->unique_property;
  if (unique.empty()) return "";
  for (const auto& [name, value] : write.values) {
    if (name == unique) return absl::AsciiStrToLower(value);
  }
  return "";
}

}  // namespace

CrmStore::CrmStore(CrmLimits limits) : limits_(limits) {}

WriteResult CrmStore::Write(const ObjectWrite& write) {
  const std::string unique_value = UniqueValueOf(write);
  absl::MutexLock lock(&mu_);
  TypeObjects& objects = objects_[write.type->object_type_id];
  if (write.object_id.has_value()) {
    auto it = objects.by_id.find(*write.object_id);
    if (it == objects.by_id.end()) {
      // A record ID cannot be chosen for a new object, so even an upsert
      // cannot use it.
      return {write.mode == WriteMode::kUpdate ? WriteStatus::kNotFound
                                               : WriteStatus::kUnknownObjectId,
              0};
    }
    if (write.mode == WriteMode::kCreate) {
      return {WriteStatus::kAlreadyExists, it->first};
    }
    return UpdateLocked(write, unique_value, objects, it->second);
  }
  if (!unique_value.empty()) {
    auto it = objects.by_unique_value.find(unique_value);
    if (it != objects.by_unique_value.end()) {
      if (write.mode == WriteMode::kCreate) {
        return {WriteStatus::kAlreadyExists, it->second};
      }
      return UpdateLocked(write, unique_value, objects,
                          objects.by_id.at(it->second));
    }
  }
  if (write.mode == WriteMode::kUpdate) return {WriteStatus::kNotFound, 0};
  return CreateLocked(write, unique_value, objects);
}

WriteResult CrmStore::UpdateLocked(const ObjectWrite& write,
                                   const std::string& new_value,
                                   TypeObjects& objects, CrmObject& object) {
  const std::string& unique = write.type->unique_property;
  if (!new_value.empty()) {
    auto owner = objects.by_unique_value.find(new_value);
    if (owner != objects.by_unique_value.end() && owner->second != object.id) {
      return {WriteStatus::kDuplicateKey, object.id};
    }
    auto old = object.properties.find(unique);
    if (old != object.properties.end()) {
      objects.by_unique_value.erase(absl::AsciiStrToLower(old->second));
    }
    objects.by_unique_value[new_value] = object.id;
  }
  for (const auto& [name, value] : write.values) {
    object.properties[name] = value;
  }
  return {WriteStatus::kUpdated, object.id};
}

WriteResult CrmStore::CreateLocked(const ObjectWrite& write,
                                   const std::string& unique_value,
                                   TypeObjects& objects) {
  if (static_cast<int64_t>(objects.by_id.size()) >=
      limits_.max_objects_per_type) {
    return {WriteStatus::kLimitExceeded, 0};
  }
  const int64_t id = next_id_++;
  CrmObject& object = objects.by_id[id];
  object.id = id;
  object.object_type_id = write.type->object_type_id;
  for (const auto& [name, value] : write.values) {
    object.properties[name] = value;
  }
  if (!unique_value.empty()) objects.by_unique_value[unique_value] = id;
  return {WriteStatus::kCreated, id};
}

std::optional<CrmObject> CrmStore::Get(absl::string_view object_type_id,
                                       int64_t id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto type = objects_.find(object_type_id);
  if (type == objects_.end()) return std::nullopt;
  auto it = type->second.by_id.find(id);
  if (it == type->second.by_id.end()) return std::nullopt;
  return it->second;
}

std::optional<CrmObject> CrmStore::FindByUniqueValue(
    absl::string_view object_type_id, absl::string_view value) const {
  const std::string key = absl::AsciiStrToLower(value);
  absl::ReaderMutexLock lock(&mu_);
  auto type = objects_.find(object_type_id);
  if (type == objects_.end()) return std::nullopt;
  auto it = type->second.by_unique_value.find(key);
  if (it == type->second.by_unique_value.end()) return std::nullopt;
  return type->second.by_id.at(it->second);
}

std::vector<CrmObject> CrmStore::List(absl::string_view object_type_id,
                                      int64_t after, size_t limit) const {
  std::vector<CrmObject> out;
  absl::ReaderMutexLock lock(&mu_);
  auto type = objects_.find(object_type_id);
  if (type == objects_.end()) return out;
  for (auto it = type->second.by_id.upper_bound(after);
       it != type->second.by_id.end() && out.size() < limit; ++it) {
    out.push_back(it->second);
  }
  return out;
}

int64_t CrmStore::Count(absl::string_view object_type_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto type = objects_.find(object_type_id);
  return type == objects_.end()
             ? 0
             : static_cast<int64_t>(type->second.by_id.size());
}

void CrmStore::Clear() {
  absl::MutexLock lock(&mu_);
  objects_.clear();
}

}  // namespace hubspot_emulator
