#ifndef HUBSPOT_GATEWAY_SERVICE_CANCEL_CONFIRMATION_H_
#define HUBSPOT_GATEWAY_SERVICE_CANCEL_CONFIRMATION_H_

#include <cstdint>

#include "absl/time/time.h"
#include "hubspot/crm/imports/v1/import_service.pb.h"
#include "server/hubspot/hubspot_transport.h"
#include "server/service/forward_reactor.h"

namespace hubspot_gateway {

// The reconcile step of CancelImport. A repeated cancel whose earlier
// attempt's answer was lost got HubSpot's refusal (409: the import is not
// active): that attempt may have cancelled it. One GetImport tells: a
// CANCELED import means the call did what it asked for, and the caller gets
// the answer HubSpot's lost one would have carried (COMPLETE, requested and
// started when the call began, completed when the import was cancelled).
// Any other state keeps the refusal. When the GetImport fails, HubSpot's
// refusal itself decides: it names the state the import is in.
ForwardReactor::Reconcile ConfirmCancel(
    HubSpotTransport* transport, int64_t import_id, absl::Time requested_at,
    hubspot::crm::imports::v1::CancelImportResponse* response);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_SERVICE_CANCEL_CONFIRMATION_H_
