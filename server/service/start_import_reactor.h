#ifndef HUBSPOT_GATEWAY_SERVICE_START_IMPORT_REACTOR_H_
#define HUBSPOT_GATEWAY_SERVICE_START_IMPORT_REACTOR_H_

#include <openssl/evp.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "hubspot/crm/imports/v1/import_service.pb.h"
#include "server/access/audit_log.h"
#include "server/access/caller_registry.h"
#include "server/common/cancellation.h"
#include "server/common/scheduler.h"
#include "server/hubspot/hubspot_transport.h"
#include "server/service/lost_import_finder.h"
#include "server/service/rpc_record.h"
#include "server/upload/idempotency_registry.h"
#include "server/upload/import_request.h"
#include "server/upload/upload_ledger.h"
#include "server/upload/upload_spool.h"

namespace hubspot_gateway {

// The largest message a caller may send (the server's receive limit), so
// also the most a chunk can bring.
inline constexpr int kMaxMessageBytes = 4 << 20;

struct UploadSettings {
  std::string spool_directory = "/tmp";
  // Bytes of each upload on disk at once (the spool ring); 0 keeps whole
  // uploads, so that any attempt refused by HubSpot can be sent again.
  int64_t spool_window_bytes = int64_t{64} << 20;
  UploadLimits limits;
  absl::Duration timeout = absl::Hours(1);
  // Longest wait for the caller's next message, and the slowest delivery
  // accepted over each such period of waiting (0: no rate check). Checked
  // on `timers`; without timers, neither.
  absl::Duration idle_timeout = absl::Seconds(30);
  int64_t min_receive_bytes_per_second = 1024;
  Scheduler* timers = nullptr;
  int max_concurrent_uploads = 8;
  // Send uploads gzip-compressed (hubspot.compression ALWAYS).
  bool gzip = false;
  // Idempotency keys; must outlive every call. Null: keys are refused.
  IdempotencyRegistry* idempotency = nullptr;
  // The account's uploads, to learn what an upload whose answer was lost
  // created; must outlive every call. Null: the outcome stays unknown.
  UploadLedger* ledger = nullptr;
  // That search: pages of active imports read at most, and how long it may
  // take (it goes on after the caller left, for the idempotency key).
  int lost_answer_search_pages = 10;
  absl::Duration lost_answer_search_timeout = absl::Seconds(20);
  // The account's metrics; null: none.
  HubSpotMetrics* metrics = nullptr;
};

// One StartImport call. The first message is checked and the multipart POST
// to HubSpot starts at once; each chunk is spooled to disk before the next
// message is read (memory stays bounded whatever the file size) and streams
// on to HubSpot behind it. When the spool window is full, the next message
// is read only once HubSpot has taken enough of the body: the caller's
// stream then runs at HubSpot's pace, and disk use stays bounded. Only when the caller sent `end` and every file
// arrived whole (count, order, size, SHA-256) is the body's
// closing delimiter released; any other outcome aborts the transfer, so
// HubSpot never receives a complete upload that was not meant.
//
// With an idempotency key already owned by another call, nothing is spooled
// or sent: the stream is verified and fingerprinted, and the call answers
// with the owner's import (see IdempotencyRegistry).
class StartImportReactor final
    : public grpc::ServerReadReactor<
          hubspot::crm::imports::v1::StartImportRequest> {
 public:
  // `in_flight` counts this call until OnDone. Its end goes to the audit
  // trail with the files' names, sizes and SHA-256.
  StartImportReactor(grpc::CallbackServerContext* context,
                     HubSpotTransport* transport,
                     const UploadSettings& settings,
                     hubspot::crm::imports::v1::Import* response,
                     std::atomic<int>* in_flight, AuditContext audit,
                     CallerTicket ticket, RpcRecord rpc);

  // Starts the call, or refuses it at once when `in_flight` is at the limit.
  static grpc::ServerReadReactor<hubspot::crm::imports::v1::StartImportRequest>*
  Create(grpc::CallbackServerContext* context, HubSpotTransport* transport,
         const UploadSettings& settings,
         hubspot::crm::imports::v1::Import* response,
         std::atomic<int>* in_flight, AuditContext audit, CallerTicket ticket,
         RpcRecord rpc);
  // Answers at once with `status`, reading nothing.
  static grpc::ServerReadReactor<hubspot::crm::imports::v1::StartImportRequest>*
  Refuse(RpcRecord rpc, grpc::Status status);

  void OnReadDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  // What to do once mu_ is released: these may call back into the reactor
  // (a cancelled HubSpot call answers at once) or into gRPC.
  struct Effects {
    std::optional<HubSpotCall> send;
    bool cancel_upload = false;
    bool read_next = false;
    // Calls into the idempotency registry, which may answer other calls;
    // they run before `finish`, so that a caller who hears back and retries
    // at once finds its key settled.
    std::vector<absl::AnyInvocable<void() &&>> registry;
    std::optional<AuditRecord> audit;
    std::optional<grpc::Status> finish;
    // References to drop last (a spool wait that will never fire).
    int release = 0;
  };
  void Apply(Effects effects);

  // Each returns a non-OK status to end the call with.
  grpc::Status OnStart(
      const hubspot::crm::imports::v1::StartImportHeader& start,
      Effects* effects) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  grpc::Status OnChunk(const hubspot::crm::imports::v1::FileChunk& chunk)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  grpc::Status CloseCurrentFile() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  grpc::Status OnStreamEnd(Effects* effects)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // SHA-256 over the import request and every file's name, type and digest.
  std::string Fingerprint() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void OnAnswer(HubSpotAnswer answer);
  // HubSpot may have created the import, but its answer was lost: looks for
  // it among the active imports.
  void SearchLostImport();
  void OnSearched(LostImportSearch search);
  // HubSpot created `import`: the key settles to it and, unless the caller
  // left, the caller gets it.
  void Created(const hubspot::crm::imports::v1::Import& import,
               Effects* effects) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The spool has room for another chunk.
  void OnSpoolRoom();
  // Reads the next message now, or once the spool has room for it.
  void ReadNextChunk(Effects* effects) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The answer for a repeat of an idempotency key's owner.
  void OnOwnerResult(absl::StatusOr<std::string> import);
  // Tells the registry how the owned key's upload ended: kApplied with the
  // import, kNone (HubSpot created nothing) or kUnknown, with `status`.
  void SettleKey(AttemptEffect effect, const std::string& import,
                 const grpc::Status& status, Effects* effects)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Records "recovered" or "unknown" for the caller (trailing metadata),
  // the log line and the metrics.
  void SetOutcome(absl::string_view outcome)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Ends the call once; aborts the upload unless `status` is HubSpot's own
  // answer.
  void End(grpc::Status status, bool abort_upload, Effects* effects)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Release();
  // The slow-caller watchdog: twice per idle_timeout, ends a call whose caller
  // kept the gateway waiting too long or sent too little while it did.
  void ScheduleWatchdog();
  void OnWatchdog();
  // A read of the caller's next message starts / completes.
  void ReadStarted() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ReadFinished(int64_t bytes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  grpc::CallbackServerContext* const context_;
  HubSpotTransport* const transport_;
  const UploadSettings settings_;
  hubspot::crm::imports::v1::Import* const response_;
  std::atomic<int>* const in_flight_;
  const AuditContext audit_;
  // Released at OnDone: the watchdog may keep this object a little longer.
  std::optional<CallerTicket> ticket_;
  const std::shared_ptr<CancellationSignal> cancellation_ =
      std::make_shared<CancellationSignal>();
  // OnDone and, once started, the HubSpot transfer's answer each hold one.
  std::atomic<int> references_{1};

  absl::Mutex mu_;
  hubspot::crm::imports::v1::StartImportRequest message_;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  // `end` arrived and every file was verified: the body was sealed.
  bool completed_ ABSL_GUARDED_BY(mu_) = false;
  // This call owns its idempotency key / repeats the call that owns it.
  bool key_owner_ ABSL_GUARDED_BY(mu_) = false;
  bool key_repeat_ ABSL_GUARDED_BY(mu_) = false;
  // The repeat asked for the owner's result (else it must release its pin).
  bool key_awaited_ ABSL_GUARDED_BY(mu_) = false;
  // The HubSpot call was sent: its answer settles the idempotency key.
  bool transfer_started_ ABSL_GUARDED_BY(mu_) = false;
  // This upload among the account's, from its start until its outcome is
  // known (or known to be unknown).
  UploadLedger::Entry ledger_entry_ ABSL_GUARDED_BY(mu_);
  std::string import_name_ ABSL_GUARDED_BY(mu_);
  absl::Time sent_at_ ABSL_GUARDED_BY(mu_);
  // What the caller gets when the lost import is not found.
  grpc::Status lost_failure_ ABSL_GUARDED_BY(mu_);
  // SHA-256 and size of each verified file.
  std::vector<std::string> digests_ ABSL_GUARDED_BY(mu_);
  std::vector<int64_t> sizes_ ABSL_GUARDED_BY(mu_);
  // Of HubSpot's error answer, for the audit trail.
  std::string hubspot_correlation_id_ ABSL_GUARDED_BY(mu_);
  // Waiting for the caller: whether a read is outstanding, since when, and
  // in the watchdog's current period the time waited and bytes received.
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time read_started_ ABSL_GUARDED_BY(mu_);
  absl::Time period_start_ ABSL_GUARDED_BY(mu_);
  absl::Duration period_wait_ ABSL_GUARDED_BY(mu_);
  int64_t period_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  ValidatedStart start_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<UploadSpool> spool_ ABSL_GUARDED_BY(mu_);
  size_t file_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t file_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  // Of every file, this call.
  int64_t received_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  // The call's log line, written in OnDone with how End ended it.
  RpcRecord rpc_ ABSL_GUARDED_BY(mu_);
  grpc::StatusCode code_ ABSL_GUARDED_BY(mu_) = grpc::StatusCode::OK;
  std::string error_ ABSL_GUARDED_BY(mu_);
  // SHA-256 of the current file so far.
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> sha_{EVP_MD_CTX_new(),
                                                          &EVP_MD_CTX_free};
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_SERVICE_START_IMPORT_REACTOR_H_
