#include "server/upload/upload_ledger.h"

#include "absl/strings/str_cat.h"

namespace hubspot_gateway {

std::string UploadSignature(absl::string_view import_name,
                            const std::vector<std::string>& file_names) {
  // Length-prefixed, so that no two different lists read alike.
  std::string signature = absl::StrCat(import_name.size(), ":", import_name);
  for (const std::string& file : file_names) {
    absl::StrAppend(&signature, "|", file.size(), ":", file);
  }
  return signature;
}

UploadLedger::UploadLedger(const Clock* clock, absl::Duration memory,
                           size_t max_remembered)
    : clock_(clock), memory_(memory), max_remembered_(max_remembered) {}

UploadLedger::Entry& UploadLedger::Entry::operator=(Entry&& other) noexcept {
  if (this != &other) {
    if (ledger_ != nullptr) ledger_->Leave(signature_);
    ledger_ = std::exchange(other.ledger_, nullptr);
    signature_ = std::move(other.signature_);
  }
  return *this;
}

UploadLedger::Entry::~Entry() {
  if (ledger_ != nullptr) ledger_->Leave(signature_);
}

UploadLedger::Entry UploadLedger::Enter(std::string signature) {
  absl::MutexLock lock(&mu_);
  ++in_flight_[signature];
  return Entry(this, std::move(signature));
}

void UploadLedger::Leave(const std::string& signature) {
  absl::MutexLock lock(&mu_);
  auto it = in_flight_.find(signature);
  if (it != in_flight_.end() && --it->second == 0) in_flight_.erase(it);
}

int UploadLedger::Others(const Entry& entry) const {
  absl::MutexLock lock(&mu_);
  int others = 0;
  if (auto it = in_flight_.find(entry.signature()); it != in_flight_.end()) {
    others += it->second - 1;
  }
  if (auto it = unresolved_count_.find(entry.signature());
      it != unresolved_count_.end()) {
    others += it->second;
  }
  return others;
}

void UploadLedger::EndedUnresolved(const Entry& entry) {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_->Now();
  ForgetOld(now);
  unresolved_.emplace_back(now, entry.signature());
  ++unresolved_count_[entry.signature()];
}

void UploadLedger::Answered(int64_t import_id) {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_->Now();
  ForgetOld(now);
  if (answered_.insert(import_id).second) {
    answered_order_.emplace_back(now, import_id);
  }
}

bool UploadLedger::WasAnswered(int64_t import_id) const {
  absl::MutexLock lock(&mu_);
  return answered_.contains(import_id);
}

void UploadLedger::ForgetOld(absl::Time now) {
  while (!unresolved_.empty() &&
         (now - unresolved_.front().first > memory_ ||
          unresolved_.size() >= max_remembered_)) {
    auto it = unresolved_count_.find(unresolved_.front().second);
    if (--it->second == 0) unresolved_count_.erase(it);
    unresolved_.pop_front();
  }
  while (!answered_order_.empty() &&
         (now - answered_order_.front().first > memory_ ||
          answered_order_.size() >= max_remembered_)) {
    answered_.erase(answered_order_.front().second);
    answered_order_.pop_front();
  }
}

}  // namespace hubspot_gateway
