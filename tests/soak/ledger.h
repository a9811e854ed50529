#ifndef HUBSPOT_GATEWAY_TESTS_SOAK_LEDGER_H_
#define HUBSPOT_GATEWAY_TESTS_SOAK_LEDGER_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "grpcpp/grpcpp.h"
#include "tests/soak/outcome_metadata.h"

namespace hubspot_gateway::soak {

enum class Rpc {
  kStartImport,
  kListImports,
  kGetImport,
  kListImportErrors,
  kCancelImport
};
const char* RpcName(Rpc rpc);

// What an upload was meant to do. Only kGood may create an import.
enum class UploadKind {
  kGood,
  kAbortedMidStream,  // the client cancels after part of the file
  kWrongSha256,       // complete, but the declared SHA-256 is another file's
  kNoEnd,             // every byte sent, stream closed without `end`
  kStalled,           // stops sending until its deadline expires
};
const char* UploadKindName(UploadKind kind);

// One StartImport call (one attempt of an upload).
struct UploadAttempt {
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string message;
  GatewayOutcome outcome;
  int64_t import_id = 0;  // when OK
};

// One upload: a unique import name, and every call made for it (a keyed
// upload is retried with the same key and content).
struct UploadRecord {
  std::string name;
  std::string key;  // empty: unkeyed
  UploadKind kind = UploadKind::kGood;
  bool declared_size = false;
  int64_t bytes = 0;
  std::vector<UploadAttempt> attempts;
};

struct CancelRecord {
  int64_t import_id = 0;
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string message;
  GatewayOutcome outcome;
};

// Everything the workers saw, shared by them: call counts, and the records
// the checks need (a 30-minute run holds some ten thousand).
class Ledger {
 public:
  // Every finished call, whichever worker made it.
  void CountCall(Rpc rpc, const grpc::Status& status);
  void AddUpload(UploadRecord record);
  void AddCancel(CancelRecord record);

  struct Snapshot {
    std::map<std::pair<Rpc, grpc::StatusCode>, int64_t> calls;
    // INTERNAL or UNKNOWN answers: the first few, for the report.
    std::vector<std::string> internal_or_unknown_examples;
    int64_t internal_or_unknown = 0;
    std::vector<UploadRecord> uploads;
    std::vector<CancelRecord> cancels;
  };
  Snapshot Take() const;

 private:
  mutable absl::Mutex mu_;
  std::map<std::pair<Rpc, grpc::StatusCode>, int64_t> calls_
      ABSL_GUARDED_BY(mu_);
  std::vector<std::string> bad_examples_ ABSL_GUARDED_BY(mu_);
  int64_t bad_codes_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<UploadRecord> uploads_ ABSL_GUARDED_BY(mu_);
  std::vector<CancelRecord> cancels_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hubspot_gateway::soak

#endif  // HUBSPOT_GATEWAY_TESTS_SOAK_LEDGER_H_
