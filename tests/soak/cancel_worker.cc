#include "tests/soak/cancel_worker.h"

#include "absl/random/distributions.h"

namespace hubspot_gateway::soak {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;

constexpr double kCancelShare = 0.35;
constexpr absl::Duration kCancelDeadline = absl::Seconds(10);

}  // namespace

void CancelWorker::Run() {
  do {
    // Decides for every fresh import; cancels at most one per turn.
    while (std::optional<int64_t> id =
               c_.known->TakeFresh(absl::Now() - fresh_for_)) {
      if (absl::Bernoulli(rng_, kCancelShare)) {
        Cancel(*id);
        break;
      }
    }
  } while (!PauseOrStop(c_, absl::Milliseconds(absl::Uniform(rng_, 50, 300))));
}

void CancelWorker::Cancel(int64_t import_id) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kCancelDeadline));
  v1::CancelImportRequest request;
  request.set_import_id(import_id);
  v1::CancelImportResponse answer;
  const grpc::Status status = c_.stub->CancelImport(&context, request, &answer);
  c_.ledger->CountCall(Rpc::kCancelImport, status);
  CancelRecord record;
  record.import_id = import_id;
  record.code = status.error_code();
  record.message = status.error_message().substr(0, 300);
  record.outcome = ReadGatewayOutcome(context);
  c_.ledger->AddCancel(std::move(record));
}

}  // namespace hubspot_gateway::soak
