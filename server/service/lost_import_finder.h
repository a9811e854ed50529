#ifndef HUBSPOT_GATEWAY_SERVICE_LOST_IMPORT_FINDER_H_
#define HUBSPOT_GATEWAY_SERVICE_LOST_IMPORT_FINDER_H_

#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "hubspot/crm/imports/v1/import.pb.h"
#include "server/hubspot/hubspot_transport.h"
#include "server/upload/upload_ledger.h"

namespace hubspot_gateway {

// How far HubSpot's clock (createdAt) may be from the gateway's.
inline constexpr absl::Duration kHubSpotClockSkew = absl::Seconds(60);

// An upload whose answer was lost, as HubSpot would show its import.
struct LostUpload {
  std::string import_name;
  std::vector<std::string> file_names;
  // When its first attempt began.
  absl::Time sent_at;
};

struct LostImportSearch {
  // Active imports that look like the upload and were answered to no caller
  // of this gateway.
  std::vector<hubspot::crm::imports::v1::Import> candidates;
  // Every page of active imports was read.
  bool complete = false;
  // Why the search stopped early (a look-up failed); OK otherwise.
  absl::Status error;
};

// Whether `import` may be what `upload` created: the same import name and
// file names (HubSpot echoes the import request), created no earlier than
// the upload began, give or take kHubSpotClockSkew.
bool LooksLike(const hubspot::crm::imports::v1::Import& import,
               const LostUpload& upload);

// Reads HubSpot's active imports (ListImports, pages of 100, at most
// `max_pages` look-ups, each taking its turn from the account's rate budget
// and retried like any read) for the ones `upload` may have created.
// `lookup` carries the deadline, cancellation and trace of the look-ups.
// `done` runs once.
void FindLostImport(HubSpotTransport* transport, const UploadLedger* ledger,
                    LostUpload upload, HubSpotCall lookup, int max_pages,
                    absl::AnyInvocable<void(LostImportSearch) &&> done);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_SERVICE_LOST_IMPORT_FINDER_H_
