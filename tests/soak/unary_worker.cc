#include "tests/soak/unary_worker.h"

#include <functional>

#include "absl/random/distributions.h"
#include "absl/synchronization/notification.h"

namespace hubspot_gateway::soak {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;

// HubSpot's ids are never this small: a read that must end NOT_FOUND.
constexpr int64_t kMissingImport = 17;

using Done = std::function<void(grpc::Status)>;

// Starts a call with the callback API so that the client can cancel it
// while it is in flight; waits for its status.
grpc::Status RunCall(
    const std::function<void(grpc::ClientContext*, Done)>& start,
    absl::Duration deadline, std::optional<absl::Duration> cancel_after) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  absl::Notification done;
  grpc::Status status;
  start(&context, [&](grpc::Status s) {
    status = std::move(s);
    done.Notify();
  });
  if (cancel_after.has_value() &&
      !done.WaitForNotificationWithTimeout(*cancel_after)) {
    context.TryCancel();
  }
  done.WaitForNotification();
  return status;
}

}  // namespace

void UnaryWorker::Run() {
  do {
    CallOnce();
  } while (!PauseOrStop(c_, absl::Milliseconds(absl::Uniform(rng_, 10, 120))));
}

absl::Duration UnaryWorker::Deadline() {
  const double p = absl::Uniform(rng_, 0.0, 1.0);
  if (p < 0.15) return absl::Milliseconds(absl::Uniform(rng_, 1, 30));
  if (p < 0.30) return absl::Milliseconds(absl::Uniform(rng_, 50, 500));
  return absl::Milliseconds(absl::Uniform(rng_, 2000, 10000));
}

std::optional<absl::Duration> UnaryWorker::CancelAfter() {
  if (!absl::Bernoulli(rng_, 0.1)) return std::nullopt;
  return absl::Microseconds(absl::Uniform(rng_, 0, 100000));
}

int64_t UnaryWorker::SomeImportId() {
  std::optional<int64_t> id = c_.known->Any(rng_);
  if (!id.has_value() || absl::Bernoulli(rng_, 0.05)) return kMissingImport;
  return *id;
}

void UnaryWorker::CallOnce() {
  v1::ImportService::Stub::async_interface* async = c_.stub->async();
  const absl::Duration deadline = Deadline();
  const std::optional<absl::Duration> cancel_after = CancelAfter();
  switch (absl::Uniform(rng_, 0, 3)) {
    case 0: {
      v1::GetImportRequest request;
      request.set_import_id(SomeImportId());
      v1::Import answer;
      const grpc::Status status = RunCall(
          [&](grpc::ClientContext* ctx, Done done) {
            async->GetImport(ctx, &request, &answer, std::move(done));
          },
          deadline, cancel_after);
      c_.ledger->CountCall(Rpc::kGetImport, status);
      break;
    }
    case 1: {
      v1::ListImportsRequest request;
      request.set_limit(absl::Uniform(rng_, 0, 101));
      // Half the time the next page of the previous listing.
      if (!list_cursor_.empty() && absl::Bernoulli(rng_, 0.5)) {
        request.set_after(list_cursor_);
      }
      v1::ListImportsResponse answer;
      const grpc::Status status = RunCall(
          [&](grpc::ClientContext* ctx, Done done) {
            async->ListImports(ctx, &request, &answer, std::move(done));
          },
          deadline, cancel_after);
      c_.ledger->CountCall(Rpc::kListImports, status);
      if (status.ok()) list_cursor_ = answer.paging().next().after();
      break;
    }
    default: {
      v1::ListImportErrorsRequest request;
      request.set_import_id(SomeImportId());
      request.set_limit(absl::Uniform(rng_, 0, 101));
      if (absl::Bernoulli(rng_, 0.5)) request.set_include_error_message(true);
      if (absl::Bernoulli(rng_, 0.5)) request.set_include_row_data(true);
      if (absl::Bernoulli(rng_, 0.3)) {
        request.set_after(std::to_string(absl::Uniform(rng_, 1, 50)));
      }
      v1::ListImportErrorsResponse answer;
      const grpc::Status status = RunCall(
          [&](grpc::ClientContext* ctx, Done done) {
            async->ListImportErrors(ctx, &request, &answer, std::move(done));
          },
          deadline, cancel_after);
      c_.ledger->CountCall(Rpc::kListImportErrors, status);
      break;
    }
  }
}

}  // namespace hubspot_gateway::soak
