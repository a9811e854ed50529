#ifndef HUBSPOT_EMULATOR_API_EMULATOR_API_H_
#define HUBSPOT_EMULATOR_API_EMULATOR_API_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "emulator/api/accounts.h"
#include "emulator/api/faults.h"
#include "emulator/api/import_registry.h"
#include "emulator/api/offset_clock.h"
#include "emulator/api/rate_limiter.h"
#include "emulator/http/http_server.h"
#include "emulator/imports/crm_store.h"

namespace hubspot_emulator {

struct ApiOptions {
  // HubSpot takes files up to 512 MB on paid tiers (20 MB on free tools).
  int64_t max_file_bytes = int64_t{512} * 1000 * 1000;
  // Row errors kept per import (ERRORS still counts them all).
  size_t max_errors_per_import = 10000;
  // Serves /__emulator/ (faults, limits, time, state): unauthenticated, for
  // tests and demos on a trusted host only.
  bool control = true;
};

// HubSpot's CRM Imports REST API and OAuth token endpoint over the
// emulator's state: routes a request, checks credentials and rate limits,
// applies the fault plan, answers in HubSpot's JSON shapes.
class EmulatorApi {
 public:
  EmulatorApi(ApiOptions options, OffsetClock* clock, Accounts* accounts,
              RateLimiter* limiter, Faults* faults, ImportRegistry* imports,
              CrmStore* crm);

  void Handle(HttpRequest request, Responder respond);
  // The server's HeadInspector: the fault plan's drop before the body.
  // Control requests are never dropped.
  HeadAction InspectHead(const HttpRequest& head);

  // What the server says by itself (malformed request, body too large).
  static HttpResponse ServerError(int status, absl::string_view message);

 private:
  // Inflates a gzip request body in place; the error answer when it cannot.
  std::optional<HttpResponse> DecodeBody(HttpRequest* request);
  HttpResponse Route(const HttpRequest& request);
  HttpResponse Imports(const HttpRequest& request);
  HttpResponse StartImport(const HttpRequest& request);
  HttpResponse ListImports(const HttpRequest& request);
  HttpResponse GetImport(int64_t id);
  HttpResponse ListErrors(int64_t id, const HttpRequest& request);
  HttpResponse CancelImport(int64_t id);
  HttpResponse Control(const HttpRequest& request);
  HttpResponse AllImports();
  std::string ImportJson(const ImportView& view) const;

  const ApiOptions options_;
  OffsetClock* const clock_;
  Accounts* const accounts_;
  RateLimiter* const limiter_;
  Faults* const faults_;
  ImportRegistry* const imports_;
  CrmStore* const crm_;

  std::atomic<int64_t> requests_{0};
  std::atomic<int64_t> rate_limited_{0};
  std::atomic<int64_t> unauthorized_{0};
  std::atomic<int64_t> gzip_requests_{0};
  std::atomic<int64_t> gzip_responses_{0};
};

}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_API_EMULATOR_API_H_
