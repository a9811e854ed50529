#include "tests/soak/upload_worker.h"

#include <cmath>
#include <string>
#include <vector>

#include "absl/random/distributions.h"
#include "absl/strings/str_cat.h"
#include "tests/support/uploads.h"

namespace hubspot_gateway::soak {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using ::hubspot_gateway::testing::Chunk;
using ::hubspot_gateway::testing::End;
using ::hubspot_gateway::testing::Sha256;

constexpr double kMinBytes = 600;
constexpr double kMaxBytes = 2 << 20;
constexpr double kBadShare = 0.2;
constexpr int kKeyedAttempts = 4;
constexpr absl::Duration kUploadDeadline = absl::Seconds(30);
constexpr absl::Duration kFirstBackoff = absl::Milliseconds(200);

struct Plan {
  UploadKind kind = UploadKind::kGood;
  bool keyed = false;
  bool declare_size = false;
  bool declare_sha = false;
  size_t bytes = 0;
};

Plan Choose(std::mt19937_64& rng) {
  Plan p;
  if (absl::Bernoulli(rng, kBadShare)) {
    static constexpr UploadKind kBad[] = {
        UploadKind::kAbortedMidStream, UploadKind::kWrongSha256,
        UploadKind::kNoEnd, UploadKind::kStalled};
    p.kind = kBad[absl::Uniform(rng, 0, 4)];
  }
  p.keyed = absl::Bernoulli(rng, 0.5);
  p.declare_size = absl::Bernoulli(rng, 0.5);
  p.declare_sha = absl::Bernoulli(rng, 0.5);
  // Log-uniform: mostly small files, now and then a large one.
  p.bytes = static_cast<size_t>(
      std::exp(absl::Uniform(rng, std::log(kMinBytes), std::log(kMaxBytes))));
  return p;
}

v1::StartImportRequest Header(const ContactsUpload& u, const Plan& p,
                              const std::string& key) {
  v1::StartImportRequest m;
  v1::StartImportHeader* start = m.mutable_start();
  start->set_import_request_json(u.request_json);
  if (!key.empty()) start->set_idempotency_key(key);
  v1::UploadFile* file = start->add_files();
  file->set_file_name(u.file_name);
  file->set_content_type("text/csv");
  if (p.declare_size) file->set_size_bytes(static_cast<int64_t>(u.csv.size()));
  if (p.kind == UploadKind::kWrongSha256) {
    file->set_sha256(Sha256(u.csv + "\n"));
  } else if (p.declare_sha) {
    file->set_sha256(Sha256(u.csv));
  }
  return m;
}

// The first `limit` bytes of `csv` as chunks of 16 KiB – 1 MiB.
std::vector<v1::StartImportRequest> Chunks(const std::string& csv, size_t limit,
                                           std::mt19937_64& rng) {
  std::vector<v1::StartImportRequest> out;
  for (size_t at = 0; at < limit;) {
    const size_t n = std::min(
        limit - at, absl::Uniform<size_t>(rng, 16 << 10, (1 << 20) + 1));
    out.push_back(Chunk(0, absl::string_view(csv).substr(at, n)));
    at += n;
  }
  return out;
}

// How a call's stream ends after its messages.
enum class Ending {
  kHalfClose,  // WritesDone, then the answer
  kCancel,     // the client cancels
  kStall,      // sends nothing more and waits for the answer (the deadline)
};

UploadAttempt Call(v1::ImportService::Stub& stub,
                   const std::vector<v1::StartImportRequest>& messages,
                   Ending ending, absl::Duration deadline) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  v1::Import import;
  std::unique_ptr<grpc::ClientWriter<v1::StartImportRequest>> writer =
      stub.StartImport(&context, &import);
  for (const v1::StartImportRequest& m : messages) {
    // A refused write means the call has ended; Finish says how.
    if (!writer->Write(m)) break;
  }
  if (ending == Ending::kHalfClose) writer->WritesDone();
  if (ending == Ending::kCancel) context.TryCancel();
  const grpc::Status status = writer->Finish();
  UploadAttempt attempt;
  attempt.code = status.error_code();
  attempt.message = status.error_message().substr(0, 300);
  attempt.outcome = ReadGatewayOutcome(context);
  if (status.ok()) attempt.import_id = import.id();
  return attempt;
}

bool Retryable(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE ||
         code == grpc::StatusCode::DEADLINE_EXCEEDED ||
         code == grpc::StatusCode::ABORTED ||
         code == grpc::StatusCode::RESOURCE_EXHAUSTED;
}

}  // namespace

void UploadWorker::Run() {
  do {
    UploadOnce();
  } while (!PauseOrStop(c_, absl::Milliseconds(absl::Uniform(rng_, 20, 200))));
}

void UploadWorker::UploadOnce() {
  const Plan plan = Choose(rng_);
  UploadRecord record;
  record.name =
      absl::StrCat("soak-", c_.run_id, "-", c_.next_upload->fetch_add(1));
  if (plan.keyed) record.key = absl::StrCat(record.name, "-key");
  record.kind = plan.kind;
  record.declared_size = plan.declare_size;
  const ContactsUpload upload = c_.maker->Make(record.name, plan.bytes, rng_);
  record.bytes = static_cast<int64_t>(upload.csv.size());

  std::vector<v1::StartImportRequest> messages = {
      Header(upload, plan, record.key)};
  // Bad uploads send part of the file (at least a byte, never all of it).
  const size_t part = std::max<size_t>(1, upload.csv.size() / 2);
  const bool partial = plan.kind == UploadKind::kAbortedMidStream ||
                       plan.kind == UploadKind::kStalled;
  for (auto& chunk :
       Chunks(upload.csv, partial ? part : upload.csv.size(), rng_)) {
    messages.push_back(std::move(chunk));
  }
  const bool with_end =
      plan.kind == UploadKind::kGood || plan.kind == UploadKind::kWrongSha256;
  if (with_end) messages.push_back(End());
  const Ending ending =
      plan.kind == UploadKind::kAbortedMidStream ? Ending::kCancel
      : plan.kind == UploadKind::kStalled        ? Ending::kStall
                                                 : Ending::kHalfClose;
  const absl::Duration deadline =
      plan.kind == UploadKind::kStalled
          ? absl::Milliseconds(absl::Uniform(rng_, 1000, 2500))
          : kUploadDeadline;

  const int attempts =
      plan.kind == UploadKind::kGood && plan.keyed ? kKeyedAttempts : 1;
  absl::Duration backoff = kFirstBackoff;
  for (int i = 0; i < attempts; ++i) {
    UploadAttempt attempt = Call(*c_.stub, messages, ending, deadline);
    c_.ledger->CountCall(Rpc::kStartImport,
                         grpc::Status(attempt.code, attempt.message));
    if (attempt.code == grpc::StatusCode::OK &&
        plan.kind == UploadKind::kGood) {
      c_.known->Add(attempt.import_id, absl::Now());
    }
    const grpc::StatusCode code = attempt.code;
    record.attempts.push_back(std::move(attempt));
    if (!Retryable(code)) break;
    // Same key, same content; a stopping soak gives up instead.
    if (i + 1 < attempts &&
        PauseOrStop(c_, backoff * absl::Uniform(rng_, 0.5, 1.0))) {
      break;
    }
    backoff *= 2;
  }
  c_.ledger->AddUpload(std::move(record));
}

}  // namespace hubspot_gateway::soak
