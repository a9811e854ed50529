#include "server/service/start_import_reactor.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "server/common/json.h"
#include "server/common/log.h"
#include "server/http/gzip_body_source.h"
#include "server/hubspot/error_mapping.h"
#include "server/hubspot/rest_mapping.h"
#include "server/service/forward_reactor.h"

namespace hubspot_gateway {

namespace v1 = ::hubspot::crm::imports::v1;

namespace {

// Answers a StartImport at once, reading nothing.
class RefusedUpload final
    : public grpc::ServerReadReactor<v1::StartImportRequest> {
 public:
  RefusedUpload(RpcRecord rpc, grpc::Status status)
      : rpc_(std::move(rpc)),
        code_(status.error_code()),
        error_(status.error_message()) {
    Finish(std::move(status));
  }
  void OnDone() override {
    rpc_.Write(code_, error_);
    delete this;
  }

 private:
  const RpcRecord rpc_;
  const grpc::StatusCode code_;
  const std::string error_;
};

}  // namespace

grpc::ServerReadReactor<v1::StartImportRequest>* StartImportReactor::Refuse(
    RpcRecord rpc, grpc::Status status) {
  return new RefusedUpload(std::move(rpc), std::move(status));
}

grpc::ServerReadReactor<v1::StartImportRequest>* StartImportReactor::Create(
    grpc::CallbackServerContext* context, HubSpotTransport* transport,
    const UploadSettings& settings, v1::Import* response,
    std::atomic<int>* in_flight, AuditContext audit, CallerTicket ticket,
    RpcRecord rpc) {
  if (in_flight->fetch_add(1) >= settings.max_concurrent_uploads) {
    in_flight->fetch_sub(1);
    grpc::Status status(
        grpc::StatusCode::RESOURCE_EXHAUSTED,
        absl::StrCat("the gateway is already running ",
                     settings.max_concurrent_uploads,
                     " uploads (upload.maxConcurrentUploads); retry later"));
    if (audit.log != nullptr) {
      AuditRecord record;
      record.rpc = "StartImport";
      record.caller = audit.caller;
      record.peer = audit.peer;
      record.account = audit.account;
      record.code = status.error_code();
      record.error = status.error_message();
      audit.log->Write(record);
    }
    return new RefusedUpload(std::move(rpc), std::move(status));
  }
  return new StartImportReactor(context, transport, settings, response,
                                in_flight, std::move(audit), std::move(ticket),
                                std::move(rpc));
}

StartImportReactor::StartImportReactor(grpc::CallbackServerContext* context,
                                       HubSpotTransport* transport,
                                       const UploadSettings& settings,
                                       v1::Import* response,
                                       std::atomic<int>* in_flight,
                                       AuditContext audit, CallerTicket ticket,
                                       RpcRecord rpc)
    : context_(context),
      transport_(transport),
      settings_(settings),
      response_(response),
      in_flight_(in_flight),
      audit_(std::move(audit)),
      ticket_(std::move(ticket)) {
  {
    absl::MutexLock lock(&mu_);
    rpc_ = std::move(rpc);
    period_start_ = absl::Now();
    ReadStarted();
  }
  ScheduleWatchdog();
  StartRead(&message_);
}

void StartImportReactor::ReadStarted() {
  reading_ = true;
  read_started_ = absl::Now();
}

void StartImportReactor::ReadFinished(int64_t bytes) {
  if (!reading_) return;
  reading_ = false;
  period_wait_ += absl::Now() - std::max(read_started_, period_start_);
  period_bytes_ += bytes;
}

void StartImportReactor::ScheduleWatchdog() {
  if (settings_.timers == nullptr ||
      settings_.idle_timeout <= absl::ZeroDuration()) {
    return;
  }
  references_.fetch_add(1);
  // Twice per idle_timeout: a quiet caller is found within 1.5 of it.
  settings_.timers->RunAfter(settings_.idle_timeout / 2, [this](bool fired) {
    if (fired) OnWatchdog();
    Release();
  });
}

void StartImportReactor::OnWatchdog() {
  Effects effects;
  {
    absl::MutexLock lock(&mu_);
    if (ended_) return;
    const absl::Time now = absl::Now();
    const absl::Duration waited =
        period_wait_ + (reading_ ? now - std::max(read_started_, period_start_)
                                 : absl::ZeroDuration());
    const int64_t rate = settings_.min_receive_bytes_per_second;
    if (reading_ && now - read_started_ >= settings_.idle_timeout) {
      End(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                       absl::StrCat("StartImport: no message from the caller "
                                    "for ",
                                    absl::FormatDuration(settings_.idle_timeout),
                                    " (upload.idleTimeout); nothing was "
                                    "imported")),
          /*abort_upload=*/true, &effects);
    } else if (rate > 0 && waited >= settings_.idle_timeout / 2 &&
               period_bytes_ < rate * absl::ToDoubleSeconds(waited)) {
      End(grpc::Status(
              grpc::StatusCode::DEADLINE_EXCEEDED,
              absl::StrCat("StartImport: the caller sent ", period_bytes_,
                           " bytes in ", absl::FormatDuration(waited),
                           " of waiting, slower than ", rate,
                           " bytes/s (upload.minReceiveBytesPerSecond); "
                           "nothing was imported")),
          /*abort_upload=*/true, &effects);
    } else {
      period_start_ = now;
      period_wait_ = absl::ZeroDuration();
      period_bytes_ = 0;
    }
  }
  if (!effects.finish.has_value()) ScheduleWatchdog();
  Apply(std::move(effects));
}

void StartImportReactor::OnReadDone(bool ok) {
  Effects effects;
  {
    absl::MutexLock lock(&mu_);
    if (ended_) return;
    ReadFinished(ok ? static_cast<int64_t>(message_.ByteSizeLong()) : 0);
    grpc::Status status;
    if (!ok) {
      // A half-close and a caller that went away look alike here; only an
      // `end` message completes an upload.
      status = completed_ ? grpc::Status::OK
               : started_ ? InvalidField("end",
                                         "the stream ended without `end`; "
                                         "the upload was abandoned")
                          : InvalidField("start",
                                         "the stream ended before the first "
                                         "message");
    } else if (completed_) {
      status = InvalidField("end", "must be the last message");
    } else if (!started_) {
      status = message_.has_start()
                   ? OnStart(message_.start(), &effects)
                   : InvalidField("start",
                                  "the first message must carry `start` (the "
                                  "import request and files), not file data");
    } else if (message_.has_start()) {
      status = InvalidField("start", "may be sent only once, first");
    } else if (message_.has_end()) {
      status = OnStreamEnd(&effects);
      completed_ = status.ok();
    } else {
      status = OnChunk(message_.chunk());
    }
    if (!status.ok()) {
      End(std::move(status), /*abort_upload=*/true, &effects);
    } else if (ok) {
      ReadNextChunk(&effects);
    }
  }
  Apply(std::move(effects));
}

void StartImportReactor::ReadNextChunk(Effects* effects) {
  if (spool_ == nullptr || completed_) {
    effects->read_next = true;
    ReadStarted();
    return;
  }
  // The wait holds a reference: the spool may call back after the call
  // ended, until End takes the wait back.
  references_.fetch_add(1);
  if (spool_->WaitForRoom(kMaxMessageBytes, [this] {
        OnSpoolRoom();
        Release();
      })) {
    // OnDone's reference is still held: this cannot be the last.
    references_.fetch_sub(1);
    effects->read_next = true;
    ReadStarted();
  }
}

void StartImportReactor::OnSpoolRoom() {
  Effects effects;
  {
    absl::MutexLock lock(&mu_);
    if (ended_) return;
    effects.read_next = true;
    ReadStarted();
  }
  Apply(std::move(effects));
}

void StartImportReactor::Apply(Effects effects) {
  if (effects.send.has_value()) {
    transport_->Send(*std::move(effects.send), [this](HubSpotAnswer answer) {
      OnAnswer(std::move(answer));
      Release();
    });
  }
  if (effects.cancel_upload) cancellation_->Cancel();
  for (auto& call : effects.registry) std::move(call)();
  if (effects.audit.has_value()) audit_.log->Write(*effects.audit);
  if (effects.finish.has_value()) Finish(*std::move(effects.finish));
  if (effects.read_next) StartRead(&message_);
  for (int i = 0; i < effects.release; ++i) Release();
}

grpc::Status StartImportReactor::OnStart(const v1::StartImportHeader& start,
                                         Effects* effects) {
  if (grpc::Status s =
          ValidateStartImportHeader(start, settings_.limits, &start_);
      !s.ok()) {
    return s;
  }
  const std::string& key = start_.idempotency_key;
  if (!key.empty()) {
    if (settings_.idempotency == nullptr) {
      return InvalidField("start.idempotency_key",
                          "this gateway does not deduplicate uploads");
    }
    key_owner_ = settings_.idempotency->Claim(key);
    if (!key_owner_) {
      // Another call owns the key: verify this stream, send nothing.
      key_repeat_ = true;
      started_ = true;
      EVP_DigestInit_ex(sha_.get(), EVP_sha256(), nullptr);
      Log(LogLevel::kInfo, "StartImport repeats an idempotency key",
          {{"files", absl::StrCat(start_.files.size())}});
      return grpc::Status::OK;
    }
  }
  absl::StatusOr<std::shared_ptr<UploadSpool>> spool = UploadSpool::Create(
      settings_.spool_directory, start_.import_request_json, start_.files,
      settings_.spool_window_bytes);
  if (!spool.ok()) return ToGrpcStatus(spool.status());
  spool_ = *std::move(spool);
  started_ = true;
  EVP_DigestInit_ex(sha_.get(), EVP_sha256(), nullptr);
  // Validated JSON: its name is there.
  if (absl::StatusOr<google::protobuf::Struct> request =
          ParseJsonObject(start_.import_request_json);
      request.ok()) {
    auto name = request->fields().find("name");
    if (name != request->fields().end()) {
      import_name_ = name->second.string_value();
    }
  }
  if (settings_.ledger != nullptr) {
    std::vector<std::string> file_names;
    for (const UploadFileSpec& file : start_.files) {
      file_names.push_back(file.file_name);
    }
    ledger_entry_ =
        settings_.ledger->Enter(UploadSignature(import_name_, file_names));
  }
  sent_at_ = absl::Now();
  transfer_started_ = true;

  HubSpotCall call;
  call.method = "POST";
  call.path_and_query = "/crm/v3/imports";
  call.endpoint = "start_import";
  call.traceparent = rpc_.trace.Traceparent();
  call.tracestate = rpc_.trace.tracestate;
  if (settings_.metrics != nullptr) {
    spool_->CountReadsIn(settings_.metrics->upload_sent());
  }
  call.body_source = spool_;
  if (settings_.gzip) {
    call.body_source = std::make_shared<GzipBodySource>(spool_);
    call.content_encoding = "gzip";
  }
  call.content_type = spool_->framing().ContentType();
  call.timeout = settings_.timeout;
  call.deadline = CallerDeadline(*context_);
  call.cancellation = cancellation_;
  call.retry_safety = RetrySafety::kUnlessCreated;
  references_.fetch_add(1);
  effects->send = std::move(call);
  return grpc::Status::OK;
}

grpc::Status StartImportReactor::OnChunk(const v1::FileChunk& chunk) {
  const size_t index = chunk.file_index();
  if (index >= start_.files.size()) {
    return InvalidField("chunk.file_index",
                        absl::StrCat(index, " is not an announced file (",
                                     start_.files.size(), " announced)"));
  }
  if (index < file_) {
    return InvalidField("chunk.file_index",
                        absl::StrCat("file ", index, " came after file ", file_,
                                     "; files are sent one after the other"));
  }
  if (index > file_) {
    if (index != file_ + 1) {
      return InvalidField("chunk.file_index",
                          absl::StrCat("file ", file_ + 1,
                                       " was skipped; files are sent in the "
                                       "announced order"));
    }
    if (grpc::Status s = CloseCurrentFile(); !s.ok()) return s;
    ++file_;
    file_bytes_ = 0;
    EVP_DigestInit_ex(sha_.get(), EVP_sha256(), nullptr);
    if (!key_repeat_) spool_->NextFile();
  }
  const UploadFileSpec& spec = start_.files[file_];
  file_bytes_ += static_cast<int64_t>(chunk.data().size());
  received_bytes_ += static_cast<int64_t>(chunk.data().size());
  if (settings_.metrics != nullptr) {
    settings_.metrics->UploadReceived(
        static_cast<int64_t>(chunk.data().size()));
  }
  const int64_t limit =
      spec.size_bytes.value_or(settings_.limits.max_file_bytes);
  if (file_bytes_ > limit) {
    if (spec.size_bytes.has_value()) {
      return InvalidField("chunk.data",
                          absl::StrCat("file \"", spec.file_name,
                                       "\" is longer than its announced ",
                                       *spec.size_bytes, " bytes"));
    }
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        absl::StrCat("file \"", spec.file_name,
                                     "\" exceeds the gateway's limit of ",
                                     limit, " bytes (upload.maxFileBytes)"));
  }
  // Every file is hashed: the audit trail names what was imported.
  EVP_DigestUpdate(sha_.get(), chunk.data().data(), chunk.data().size());
  if (key_repeat_) return grpc::Status::OK;
  if (absl::Status s = spool_->Append(chunk.data()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  return grpc::Status::OK;
}

grpc::Status StartImportReactor::CloseCurrentFile() {
  const UploadFileSpec& spec = start_.files[file_];
  const std::string field = absl::StrCat("start.files[", file_, "]");
  if (file_bytes_ == 0) {
    return InvalidField(field, absl::StrCat("file \"", spec.file_name,
                                            "\" is empty or was not sent"));
  }
  if (spec.size_bytes.has_value() && file_bytes_ != *spec.size_bytes) {
    return InvalidField(
        field + ".size_bytes",
        absl::StrCat("file \"", spec.file_name, "\" has ", file_bytes_,
                     " bytes, announced ", *spec.size_bytes));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(sha_.get(), digest, &length);
  std::string actual(reinterpret_cast<char*>(digest), length);
  if (!spec.sha256.empty() && spec.sha256 != actual) {
    return InvalidField(
        field + ".sha256",
        absl::StrCat("file \"", spec.file_name, "\" has SHA-256 ",
                     absl::BytesToHexString(actual), ", announced ",
                     absl::BytesToHexString(spec.sha256)));
  }
  digests_.push_back(std::move(actual));
  sizes_.push_back(file_bytes_);
  return grpc::Status::OK;
}

grpc::Status StartImportReactor::OnStreamEnd(Effects* effects) {
  if (grpc::Status s = CloseCurrentFile(); !s.ok()) return s;
  if (file_ + 1 != start_.files.size()) {
    return InvalidField(
        "start.files",
        absl::StrCat("the stream ended after ", file_ + 1, " of ",
                     start_.files.size(), " announced files"));
  }
  IdempotencyRegistry* registry = settings_.idempotency;
  if (key_repeat_) {
    key_awaited_ = true;
    references_.fetch_add(1);
    effects->registry.push_back(
        [this, registry, key = start_.idempotency_key, print = Fingerprint()] {
          registry->AwaitResult(key, print,
                                [this](absl::StatusOr<std::string> import) {
                                  OnOwnerResult(std::move(import));
                                  Release();
                                });
        });
    return grpc::Status::OK;
  }
  if (key_owner_) {
    effects->registry.push_back(
        [registry, key = start_.idempotency_key, print = Fingerprint()] {
          registry->SetFingerprint(key, print);
        });
  }
  // Verified: only now can HubSpot receive a complete body.
  spool_->Seal();
  return grpc::Status::OK;
}

std::string StartImportReactor::Fingerprint() const {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(),
                                                         &EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  auto add = [&ctx](absl::string_view part) {
    // Length-prefixed, so that no two different inputs hash alike.
    const std::string length = absl::StrCat(part.size(), ":");
    EVP_DigestUpdate(ctx.get(), length.data(), length.size());
    EVP_DigestUpdate(ctx.get(), part.data(), part.size());
  };
  add(start_.import_request_json);
  for (size_t i = 0; i < start_.files.size(); ++i) {
    add(start_.files[i].file_name);
    add(start_.files[i].content_type);
    add(digests_.at(i));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  return std::string(reinterpret_cast<char*>(digest), length);
}

void StartImportReactor::OnOwnerResult(absl::StatusOr<std::string> import) {
  Effects effects;
  {
    absl::MutexLock lock(&mu_);
    if (ended_) return;
    if (!import.ok()) {
      // The owner's outcome is unknown: so is this call's.
      if (absl::IsFailedPrecondition(import.status())) {
        context_->AddTrailingMetadata(kOutcomeMetadataKey, "unknown");
        rpc_.outcome = "unknown";
      }
      End(ToGrpcStatus(import.status()), /*abort_upload=*/false, &effects);
    } else if (!response_->ParseFromString(*import)) {
      End(grpc::Status(grpc::StatusCode::INTERNAL,
                       "the remembered import could not be read"),
          /*abort_upload=*/false, &effects);
    } else {
      Log(LogLevel::kInfo, "StartImport answered with the key's import",
          {{"import_id", absl::StrCat(response_->id())}});
      End(grpc::Status::OK, /*abort_upload=*/false, &effects);
    }
  }
  Apply(std::move(effects));
}

void StartImportReactor::OnAnswer(HubSpotAnswer answer) {
  Effects effects;
  bool search = false;
  {
    absl::MutexLock lock(&mu_);
    const absl::StatusOr<HttpResponse>& response = answer.response;
    grpc::Status failure;
    v1::Import import;
    if (!response.ok()) {
      failure = ToGrpcStatus(response.status());
    } else {
      rpc_.hubspot_status = response->status;
      if (response->status < 200 || response->status >= 300) {
        hubspot_correlation_id_ =
            ParseHubSpotError(response->status, response->body)
                .correlation_id();
        failure = StatusFromHubSpotAnswer(*response);
      } else if (absl::Status parsed = ParseImport(response->body, &import);
                 !parsed.ok()) {
        failure = grpc::Status(
            grpc::StatusCode::UNAVAILABLE,
            absl::StrCat("HubSpot's answer to StartImport (HTTP ",
                         response->status, ") could not be read: ",
                         parsed.message()));
      }
    }
    if (failure.ok()) {
      Created(import, &effects);
    } else if (answer.effect == AttemptEffect::kNone) {
      // HubSpot created nothing: the key is free for a retry.
      if (key_owner_) SettleKey(AttemptEffect::kNone, "", failure, &effects);
      ledger_entry_ = UploadLedger::Entry();
      End(std::move(failure), /*abort_upload=*/true, &effects);
    } else if (ended_ && !key_owner_) {
      // Nobody is left to tell.
      if (settings_.metrics != nullptr) {
        settings_.metrics->UnknownOutcome("start_import", false);
      }
      if (settings_.ledger != nullptr) {
        settings_.ledger->EndedUnresolved(ledger_entry_);
      }
      ledger_entry_ = UploadLedger::Entry();
    } else {
      lost_failure_ = std::move(failure);
      search = true;
      references_.fetch_add(1);
    }
  }
  if (search) SearchLostImport();
  Apply(std::move(effects));
}

void StartImportReactor::SearchLostImport() {
  LostUpload upload;
  HubSpotCall lookup;
  {
    absl::MutexLock lock(&mu_);
    upload.import_name = import_name_;
    for (const UploadFileSpec& file : start_.files) {
      upload.file_names.push_back(file.file_name);
    }
    upload.sent_at = sent_at_;
    lookup.traceparent = rpc_.trace.Traceparent();
    lookup.tracestate = rpc_.trace.tracestate;
    Log(LogLevel::kWarning,
        "HubSpot's answer to an upload was lost after the whole upload "
        "reached it; looking for the import among the active ones",
        {{"request_id", rpc_.request_id},
         {"reason", lost_failure_.error_message()}});
  }
  // Not the caller's deadline nor its cancellation: the idempotency key's
  // repeats wait for the outcome too.
  lookup.deadline = absl::Now() + settings_.lost_answer_search_timeout;
  if (settings_.ledger == nullptr) {
    OnSearched(LostImportSearch{});
    Release();
    return;
  }
  FindLostImport(transport_, settings_.ledger, std::move(upload),
                 std::move(lookup), settings_.lost_answer_search_pages,
                 [this](LostImportSearch search) {
                   OnSearched(std::move(search));
                   Release();
                 });
}

void StartImportReactor::OnSearched(LostImportSearch search) {
  Effects effects;
  {
    absl::MutexLock lock(&mu_);
    const int others = settings_.ledger != nullptr
                           ? settings_.ledger->Others(ledger_entry_)
                           : 0;
    if (search.candidates.size() == 1 && others == 0) {
      Log(LogLevel::kInfo, "found the import of an upload whose answer was lost",
          {{"request_id", rpc_.request_id},
           {"import_id", absl::StrCat(search.candidates[0].id())}});
      SetOutcome("recovered");
      Created(search.candidates[0], &effects);
    } else {
      std::vector<std::string> ids;
      for (const v1::Import& candidate : search.candidates) {
        ids.push_back(absl::StrCat(candidate.id()));
      }
      std::string why =
          search.candidates.empty()
              ? (search.error.ok()
                     ? (search.complete
                            ? std::string("none of the active imports is it")
                            : std::string("it is not among the first pages of "
                                          "active imports"))
                     : absl::StrCat("the look-up failed: ",
                                    search.error.message()))
              : absl::StrCat(search.candidates.size(),
                             " active imports look like it (",
                             absl::StrJoin(ids, ", "), ")");
      if (search.candidates.size() == 1 && others > 0) {
        absl::StrAppend(&why, ", and ", others,
                        " other uploads through this gateway look alike");
      }
      Log(LogLevel::kWarning,
          "could not learn what HubSpot did with an upload whose answer was "
          "lost",
          {{"request_id", rpc_.request_id}, {"why", why}});
      grpc::Status status = WithGatewayErrorInfo(
          lost_failure_,
          absl::StrCat(lost_failure_.error_message(),
                       "; HubSpot received the whole upload and may have "
                       "created the import, but ",
                       why, ": check ListImports before uploading it again"),
          "IMPORT_OUTCOME_UNKNOWN",
          {{"candidateImportIds", absl::StrJoin(ids, ",")}});
      if (key_owner_) {
        SettleKey(AttemptEffect::kUnknown, "", status, &effects);
      }
      if (settings_.ledger != nullptr) {
        settings_.ledger->EndedUnresolved(ledger_entry_);
      }
      ledger_entry_ = UploadLedger::Entry();
      if (!ended_ && !ids.empty()) {
        context_->AddTrailingMetadata(kCandidatesMetadataKey,
                                      absl::StrJoin(ids, ","));
      }
      SetOutcome("unknown");
      End(std::move(status), /*abort_upload=*/false, &effects);
    }
  }
  Apply(std::move(effects));
}

void StartImportReactor::Created(const v1::Import& import, Effects* effects) {
  if (key_owner_) {
    SettleKey(AttemptEffect::kApplied, import.SerializeAsString(),
              grpc::Status::OK, effects);
  }
  if (settings_.ledger != nullptr) settings_.ledger->Answered(import.id());
  ledger_entry_ = UploadLedger::Entry();
  // A caller that left is not answered; its key's repeats are.
  if (ended_) return;
  *response_ = import;
  End(grpc::Status::OK, /*abort_upload=*/false, effects);
}

void StartImportReactor::SetOutcome(absl::string_view outcome) {
  if (settings_.metrics != nullptr) {
    settings_.metrics->UnknownOutcome("start_import", outcome == "recovered");
  }
  if (ended_) return;
  context_->AddTrailingMetadata(kOutcomeMetadataKey, std::string(outcome));
  rpc_.outcome = std::string(outcome);
}

void StartImportReactor::OnCancel() {
  Effects effects;
  {
    absl::MutexLock lock(&mu_);
    End(grpc::Status(grpc::StatusCode::CANCELLED,
                     "StartImport cancelled; no import was started"),
        /*abort_upload=*/true, &effects);
  }
  Apply(std::move(effects));
}

void StartImportReactor::End(grpc::Status status, bool abort_upload,
                             Effects* effects) {
  if (ended_) return;
  ended_ = true;
  // Once the HubSpot call is sent, its answer settles the key.
  if (key_owner_ && !transfer_started_) {
    SettleKey(AttemptEffect::kNone, "", status, effects);
  }
  if (started_ && settings_.metrics != nullptr) {
    settings_.metrics->ImportStarted(status.ok());
  }
  if (key_repeat_ && !key_awaited_) {
    effects->registry.push_back(
        [registry = settings_.idempotency, key = start_.idempotency_key] {
          registry->ReleaseRepeat(key);
        });
  }
  // The spool file closes once the transfer lets go of it too; after a
  // completed transfer that is now, before the caller hears back.
  if (spool_ != nullptr && spool_->CancelWait() != nullptr) ++effects->release;
  spool_.reset();
  effects->cancel_upload = abort_upload;
  if (audit_.log != nullptr) {
    AuditRecord& record = effects->audit.emplace();
    record.rpc = "StartImport";
    record.caller = audit_.caller;
    record.peer = audit_.peer;
    record.account = audit_.account;
    if (status.ok()) record.import_id = response_->id();
    for (size_t i = 0; i < start_.files.size(); ++i) {
      AuditedFile& file = record.files.emplace_back();
      file.name = start_.files[i].file_name;
      // Files not received whole show the bytes that did arrive.
      file.size_bytes = i < sizes_.size() ? sizes_[i]
                        : i == file_ ? file_bytes_
                                     : 0;
      if (i < digests_.size()) {
        file.sha256 = absl::BytesToHexString(digests_[i]);
      }
    }
    record.code = status.error_code();
    record.error = status.error_message();
    record.hubspot_correlation_id = hubspot_correlation_id_;
  }
  rpc_.bytes = received_bytes_;
  if (status.ok()) rpc_.import_id = response_->id();
  rpc_.hubspot_correlation_id = hubspot_correlation_id_;
  code_ = status.error_code();
  error_ = status.error_message();
  effects->finish = std::move(status);
}

void StartImportReactor::SettleKey(AttemptEffect effect,
                                   const std::string& import,
                                   const grpc::Status& status,
                                   Effects* effects) {
  IdempotencyRegistry* registry = settings_.idempotency;
  std::string key = start_.idempotency_key;
  const absl::Status why(static_cast<absl::StatusCode>(status.error_code()),
                         status.error_message());
  switch (effect) {
    case AttemptEffect::kApplied:
      effects->registry.push_back([registry, key, import]() mutable {
        registry->Complete(key, std::move(import));
      });
      return;
    case AttemptEffect::kNone:
      effects->registry.push_back(
          [registry, key, why] { registry->Abandon(key, why); });
      return;
    case AttemptEffect::kUnknown:
      effects->registry.push_back(
          [registry, key, why] { registry->MarkUnknown(key, why); });
      return;
  }
}

void StartImportReactor::OnDone() {
  in_flight_->fetch_sub(1);
  {
    absl::MutexLock lock(&mu_);
    rpc_.Write(code_, error_);
  }
  // No read is outstanding any more; the last chunk (up to 4 MiB) need not
  // wait for the watchdog's reference to go.
  v1::StartImportRequest().Swap(&message_);
  ticket_.reset();
  Release();
}

void StartImportReactor::Release() {
  if (references_.fetch_sub(1) == 1) delete this;
}

}  // namespace hubspot_gateway
