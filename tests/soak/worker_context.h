#ifndef HUBSPOT_GATEWAY_TESTS_SOAK_WORKER_CONTEXT_H_
#define HUBSPOT_GATEWAY_TESTS_SOAK_WORKER_CONTEXT_H_

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "hubspot/crm/imports/v1/import_service.grpc.pb.h"
#include "tests/soak/contacts_upload.h"
#include "tests/soak/known_imports.h"
#include "tests/soak/ledger.h"

namespace hubspot_gateway::soak {

// What every worker shares. Workers run until `stop` is notified, finish
// the call in hand, and return.
struct WorkerContext {
  hubspot::crm::imports::v1::ImportService::Stub* stub = nullptr;
  Ledger* ledger = nullptr;
  KnownImports* known = nullptr;
  const ContactsUploadMaker* maker = nullptr;
  std::string run_id;
  // n of the next import name, soak-<run>-<n>: one per upload, never reused.
  std::atomic<int64_t>* next_upload = nullptr;
  const absl::Notification* stop = nullptr;
};

// Waits `d` (pacing, not synchronisation); true when the worker should stop.
inline bool PauseOrStop(const WorkerContext& c, absl::Duration d) {
  return c.stop->WaitForNotificationWithTimeout(d);
}

}  // namespace hubspot_gateway::soak

#endif  // HUBSPOT_GATEWAY_TESTS_SOAK_WORKER_CONTEXT_H_
