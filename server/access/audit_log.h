#ifndef HUBSPOT_GATEWAY_ACCESS_AUDIT_LOG_H_
#define HUBSPOT_GATEWAY_ACCESS_AUDIT_LOG_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/support/status.h"
#include "hubspot/crm/imports/gateway/v1/config.pb.h"
#include "server/metrics/metric_registry.h"

namespace hubspot_gateway {

// One file of a StartImport, as the audit trail names it: never its bytes.
struct AuditedFile {
  std::string name;
  int64_t size_bytes = 0;
  // Lowercase hex; empty when the upload did not complete.
  std::string sha256;
};

// One audited call: a StartImport or CancelImport, or a call refused for
// want of identity or rights.
struct AuditRecord {
  std::string rpc;
  // The caller's configured name, "anonymous", or empty when unidentified.
  std::string caller;
  std::string peer;
  // The HubSpot account the call went to.
  std::string account;
  int64_t import_id = 0;
  std::vector<AuditedFile> files;
  grpc::StatusCode code = grpc::StatusCode::OK;
  // Why it failed, as the caller was told; empty on success.
  std::string error;
  std::string hubspot_correlation_id;
};

class AuditLog;

// Who made a call, for the audit line its end writes.
struct AuditContext {
  AuditLog* log = nullptr;  // nullptr: not audited
  std::string caller;
  std::string peer;
  // The HubSpot account the call goes to.
  std::string account;
};

// The audit trail: one JSON object per line, written whole, in order.
class AuditLog {
 public:
  // Appends to config.path (created 0600), or writes to stderr marked
  // "audit": true when the path is empty.
  static absl::StatusOr<std::unique_ptr<AuditLog>> Open(
      const ::hubspot::crm::imports::gateway::v1::AuditConfig& config);
  ~AuditLog();

  void Write(const AuditRecord& record);
  // Lines that could not be written whole are counted here too (it must
  // outlive the log).
  void CountWriteErrorsIn(Counter* counter) { write_errors_ = counter; }

 private:
  AuditLog(FILE* file, bool owned) : file_(file), owned_(owned) {}

  absl::Mutex mu_;
  FILE* const file_ ABSL_PT_GUARDED_BY(mu_);
  const bool owned_;
  Counter* write_errors_ = nullptr;
  bool failing_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_ACCESS_AUDIT_LOG_H_
