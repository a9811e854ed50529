#include "tests/soak/ledger.h"

#include "absl/strings/str_cat.h"
#include "server/common/status_code_name.h"

namespace hubspot_gateway::soak {

const char* RpcName(Rpc rpc) {
  switch (rpc) {
    case Rpc::kStartImport:
      return "StartImport";
    case Rpc::kListImports:
      return "ListImports";
    case Rpc::kGetImport:
      return "GetImport";
    case Rpc::kListImportErrors:
      return "ListImportErrors";
    case Rpc::kCancelImport:
      return "CancelImport";
  }
  return "?";
}

const char* UploadKindName(UploadKind kind) {
  switch (kind) {
    case UploadKind::kGood:
      return "good";
    case UploadKind::kAbortedMidStream:
      return "aborted_mid_stream";
    case UploadKind::kWrongSha256:
      return "wrong_sha256";
    case UploadKind::kNoEnd:
      return "no_end";
    case UploadKind::kStalled:
      return "stalled";
  }
  return "?";
}

void Ledger::CountCall(Rpc rpc, const grpc::Status& status) {
  absl::MutexLock lock(&mu_);
  ++calls_[{rpc, status.error_code()}];
  if (status.error_code() == grpc::StatusCode::INTERNAL ||
      status.error_code() == grpc::StatusCode::UNKNOWN) {
    ++bad_codes_;
    // Enough to start looking; the gateway's log has the rest.
    if (bad_examples_.size() < 5) {
      bad_examples_.push_back(absl::StrCat(RpcName(rpc), " ",
                                           StatusCodeName(status.error_code()),
                                           ": ", status.error_message()));
    }
  }
}

void Ledger::AddUpload(UploadRecord record) {
  absl::MutexLock lock(&mu_);
  uploads_.push_back(std::move(record));
}

void Ledger::AddCancel(CancelRecord record) {
  absl::MutexLock lock(&mu_);
  cancels_.push_back(std::move(record));
}

Ledger::Snapshot Ledger::Take() const {
  absl::MutexLock lock(&mu_);
  return {calls_, bad_examples_, bad_codes_, uploads_, cancels_};
}

}  // namespace hubspot_gateway::soak
