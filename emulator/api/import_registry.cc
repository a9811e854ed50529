#include "emulator/api/import_registry.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace hubspot_emulator {

const char* StateName(ImportState state) {
  switch (state) {
    case ImportState::kStarted:
      return "STARTED";
    case ImportState::kProcessing:
      return "PROCESSING";
    case ImportState::kDone:
      return "DONE";
    case ImportState::kFailed:
      return "FAILED";
    case ImportState::kCanceled:
      return "CANCELED";
  }
  return "DONE";
}

ImportState ImportView::State() const {
  if (canceled_at.has_value() && now >= *canceled_at) {
    return ImportState::kCanceled;
  }
  const ImportTimeline& t = record->timeline;
  if (now < record->created_at + t.started_for) return ImportState::kStarted;
  if (now < record->created_at + t.started_for + t.processing_for) {
    return ImportState::kProcessing;
  }
  return record->outcome.failed ? ImportState::kFailed : ImportState::kDone;
}

absl::Time ImportView::UpdatedAt() const {
  const ImportTimeline& t = record->timeline;
  switch (State()) {
    case ImportState::kStarted:
      return record->created_at;
    case ImportState::kProcessing:
      return record->created_at + t.started_for;
    case ImportState::kCanceled:
      return *canceled_at;
    default:
      return record->created_at + t.started_for + t.processing_for;
  }
}

double ImportView::Progress() const {
  const ImportTimeline& t = record->timeline;
  const absl::Time begin = record->created_at + t.started_for;
  const absl::Time until =
      canceled_at.has_value() ? std::min(now, *canceled_at) : now;
  if (until <= begin) return 0;
  if (t.processing_for <= absl::ZeroDuration()) return 1;
  return std::min(1.0, absl::FDivDuration(until - begin, t.processing_for));
}

ImportRegistry::ImportRegistry(const hubspot_gateway::Clock* clock,
                               ImportTimeline timeline, size_t max_imports)
    : clock_(clock), max_imports_(std::max<size_t>(1, max_imports)),
      timeline_(timeline) {}

std::string ImportRegistry::NewFileId() {
  absl::MutexLock lock(&mu_);
  return absl::StrCat(next_file_id_++);
}

std::string ImportRegistry::NewListId() {
  absl::MutexLock lock(&mu_);
  return absl::StrCat(next_list_id_++);
}

ImportView ImportRegistry::ViewLocked(const Entry& e) const {
  return ImportView{e.record, e.canceled_at, clock_->Now()};
}

ImportView ImportRegistry::Add(ImportRecord record) {
  absl::MutexLock lock(&mu_);
  record.id = next_import_id_++;
  record.created_at = clock_->Now();
  record.timeline = timeline_;
  const int64_t id = record.id;
  imports_[id] = Entry{std::make_shared<const ImportRecord>(std::move(record)),
                       std::nullopt};
  EvictLocked();
  return ViewLocked(imports_.at(id));
}

void ImportRegistry::EvictLocked() {
  // The oldest finished imports go first; active ones stay.
  for (auto it = imports_.begin();
       imports_.size() > max_imports_ && it != imports_.end();) {
    const ImportState s = ViewLocked(it->second).State();
    if (s == ImportState::kStarted || s == ImportState::kProcessing) {
      ++it;
      continue;
    }
    it = imports_.erase(it);
    ++evicted_;
  }
}

std::optional<ImportView> ImportRegistry::Get(int64_t id) const {
  absl::MutexLock lock(&mu_);
  auto it = imports_.find(id);
  if (it == imports_.end()) return std::nullopt;
  return ViewLocked(it->second);
}

std::vector<ImportView> ImportRegistry::Active(int64_t after,
                                               int64_t before) const {
  absl::MutexLock lock(&mu_);
  std::vector<ImportView> out;
  for (auto it = imports_.upper_bound(after);
       it != imports_.end() && it->first < before; ++it) {
    ImportView v = ViewLocked(it->second);
    const ImportState s = v.State();
    if (s == ImportState::kStarted || s == ImportState::kProcessing) {
      out.push_back(std::move(v));
    }
  }
  return out;
}

ImportRegistry::Listing ImportRegistry::All() const {
  absl::MutexLock lock(&mu_);
  Listing listing;
  listing.imports.reserve(imports_.size());
  for (const auto& [id, entry] : imports_) {
    listing.imports.push_back(ViewLocked(entry));
  }
  listing.evicted = evicted_;
  return listing;
}

ImportRegistry::CancelResult ImportRegistry::Cancel(
    int64_t id, ImportState* state_if_not_active) {
  absl::MutexLock lock(&mu_);
  auto it = imports_.find(id);
  if (it == imports_.end()) return CancelResult::kNotFound;
  const ImportState s = ViewLocked(it->second).State();
  if (s != ImportState::kStarted && s != ImportState::kProcessing) {
    *state_if_not_active = s;
    return CancelResult::kNotActive;
  }
  it->second.canceled_at = clock_->Now();
  return CancelResult::kCanceled;
}

void ImportRegistry::SetTimeline(ImportTimeline timeline) {
  absl::MutexLock lock(&mu_);
  timeline_ = timeline;
}

ImportTimeline ImportRegistry::timeline() const {
  absl::MutexLock lock(&mu_);
  return timeline_;
}

size_t ImportRegistry::size() const {
  absl::MutexLock lock(&mu_);
  return imports_.size();
}

}  // namespace hubspot_emulator
