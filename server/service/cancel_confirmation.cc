#include "server/service/cancel_confirmation.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "server/hubspot/imports_api.h"
#include "server/hubspot/rest_mapping.h"

namespace hubspot_gateway {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using google::protobuf::util::TimeUtil;

void AnswerCancelled(absl::Time requested_at,
                     const google::protobuf::Timestamp& completed_at,
                     v1::CancelImportResponse* response) {
  response->Clear();
  response->set_status(v1::ACTION_STATUS_COMPLETE);
  response->set_status_raw("COMPLETE");
  const google::protobuf::Timestamp requested =
      TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(requested_at));
  *response->mutable_requested_at() = requested;
  *response->mutable_started_at() = requested;
  *response->mutable_completed_at() = completed_at;
}

// HubSpot's 409 names the state: "… is CANCELED".
bool RefusalSaysCanceled(const HttpResponse& refusal) {
  return refusal.status == 409 &&
         absl::StrContains(ParseHubSpotError(refusal.status, refusal.body)
                               .message(),
                           "CANCELED");
}

}  // namespace

ForwardReactor::Reconcile ConfirmCancel(HubSpotTransport* transport,
                                        int64_t import_id,
                                        absl::Time requested_at,
                                        v1::CancelImportResponse* response) {
  return [transport, import_id, requested_at, response](
             const HttpResponse& refusal, HubSpotCall lookup,
             ForwardReactor::Reply reply) {
    if (refusal.status != 409) {
      std::move(reply)(grpc::Status::OK, /*recovered=*/false);
      return;
    }
    v1::GetImportRequest get;
    get.set_import_id(import_id);
    if (!BuildGetImport(get, &lookup).ok()) {
      std::move(reply)(grpc::Status::OK, /*recovered=*/false);
      return;
    }
    transport->Send(
        std::move(lookup),
        [requested_at, response, says_canceled = RefusalSaysCanceled(refusal),
         reply = std::move(reply)](HubSpotAnswer answer) mutable {
          v1::Import import;
          const bool read =
              answer.response.ok() && answer.response->status == 200 &&
              ParseImport(answer.response->body, &import).ok();
          const bool canceled =
              read ? import.state() == v1::IMPORT_STATE_CANCELED
                   : says_canceled;
          if (!canceled) {
            std::move(reply)(grpc::Status::OK, /*recovered=*/false);
            return;
          }
          AnswerCancelled(requested_at,
                          read ? import.updated_at()
                               : TimeUtil::NanosecondsToTimestamp(
                                     absl::ToUnixNanos(absl::Now())),
                          response);
          std::move(reply)(grpc::Status::OK, /*recovered=*/true);
        });
  };
}

}  // namespace hubspot_gateway
