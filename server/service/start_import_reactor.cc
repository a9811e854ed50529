#include "server/service/start_import_reactor.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "server/common/log.h"
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
  explicit RefusedUpload(grpc::Status status) { Finish(std::move(status)); }
  void OnDone() override { delete this; }
};

}  // namespace

grpc::ServerReadReactor<v1::StartImportRequest>* StartImportReactor::Create(
    grpc::CallbackServerContext* context, HubSpotTransport* transport,
    const UploadSettings& settings, v1::Import* response,
    std::atomic<int>* in_flight) {
  if (in_flight->fetch_add(1) >= settings.max_concurrent_uploads) {
    in_flight->fetch_sub(1);
    return new RefusedUpload(grpc::Status(
        grpc::StatusCode::RESOURCE_EXHAUSTED,
        absl::StrCat("the gateway is already running ",
                     settings.max_concurrent_uploads,
                     " uploads (upload.maxConcurrentUploads); retry later")));
  }
  return new StartImportReactor(context, transport, settings, response,
                                in_flight);
}

StartImportReactor::StartImportReactor(grpc::CallbackServerContext* context,
                                       HubSpotTransport* transport,
                                       const UploadSettings& settings,
                                       v1::Import* response,
                                       std::atomic<int>* in_flight)
    : context_(context),
      transport_(transport),
      settings_(settings),
      response_(response),
      in_flight_(in_flight) {
  StartRead(&message_);
}

void StartImportReactor::OnReadDone(bool ok) {
  Effects effects;
  {
    absl::MutexLock lock(&mu_);
    if (ended_) return;
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
      status = OnStreamEnd();
      completed_ = status.ok();
    } else {
      status = OnChunk(message_.chunk());
    }
    if (!status.ok()) {
      End(std::move(status), /*abort_upload=*/true, &effects);
    } else {
      effects.read_next = ok;
    }
  }
  Apply(std::move(effects));
}

void StartImportReactor::Apply(Effects effects) {
  if (effects.send.has_value()) {
    transport_->Send(*std::move(effects.send),
                     [this](absl::StatusOr<HttpResponse> r) {
                       OnAnswer(std::move(r));
                       Release();
                     });
  }
  if (effects.cancel_upload) cancellation_->Cancel();
  if (effects.read_next) StartRead(&message_);
}

grpc::Status StartImportReactor::OnStart(const v1::StartImportHeader& start,
                                         Effects* effects) {
  if (grpc::Status s =
          ValidateStartImportHeader(start, settings_.limits, &start_);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::shared_ptr<UploadSpool>> spool = UploadSpool::Create(
      settings_.spool_directory, start_.import_request_json, start_.files);
  if (!spool.ok()) return ToGrpcStatus(spool.status());
  spool_ = *std::move(spool);
  started_ = true;
  EVP_DigestInit_ex(sha_.get(), EVP_sha256(), nullptr);

  HubSpotCall call;
  call.method = "POST";
  call.path_and_query = "/crm/v3/imports";
  call.body_source = spool_;
  call.content_type = spool_->framing().ContentType();
  call.timeout = settings_.timeout;
  call.deadline = CallerDeadline(*context_);
  call.cancellation = cancellation_;
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
    spool_->NextFile();
  }
  const UploadFileSpec& spec = start_.files[file_];
  file_bytes_ += static_cast<int64_t>(chunk.data().size());
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
  // Hashing costs as much as the rest of the path: only when asked for.
  if (!spec.sha256.empty()) {
    EVP_DigestUpdate(sha_.get(), chunk.data().data(), chunk.data().size());
  }
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
  if (spec.sha256.empty()) return grpc::Status::OK;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(sha_.get(), digest, &length);
  if (spec.sha256 !=
      absl::string_view(reinterpret_cast<char*>(digest), length)) {
    return InvalidField(
        field + ".sha256",
        absl::StrCat("file \"", spec.file_name, "\" has SHA-256 ",
                     absl::BytesToHexString(absl::string_view(
                         reinterpret_cast<char*>(digest), length)),
                     ", announced ", absl::BytesToHexString(spec.sha256)));
  }
  return grpc::Status::OK;
}

grpc::Status StartImportReactor::OnStreamEnd() {
  if (grpc::Status s = CloseCurrentFile(); !s.ok()) return s;
  if (file_ + 1 != start_.files.size()) {
    return InvalidField(
        "start.files",
        absl::StrCat("the stream ended after ", file_ + 1, " of ",
                     start_.files.size(), " announced files"));
  }
  // Verified: only now can HubSpot receive a complete body.
  spool_->Seal();
  return grpc::Status::OK;
}

void StartImportReactor::OnAnswer(absl::StatusOr<HttpResponse> answer) {
  Effects effects;
  {
    absl::MutexLock lock(&mu_);
    if (ended_) return;
    if (!answer.ok()) {
      End(ToGrpcStatus(answer.status()), /*abort_upload=*/true, &effects);
    } else if (answer->status < 200 || answer->status >= 300) {
      End(StatusFromHubSpotAnswer(*answer), /*abort_upload=*/true, &effects);
    } else if (absl::Status parsed = ParseImport(answer->body, response_);
               !parsed.ok()) {
      End(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                       absl::StrCat("HubSpot sent an invalid answer to "
                                    "StartImport (HTTP ",
                                    answer->status, "): ", parsed.message())),
          /*abort_upload=*/false, &effects);
    } else {
      Log(LogLevel::kInfo, "import started",
          {{"import_id", absl::StrCat(response_->id())},
           {"files", absl::StrCat(start_.files.size())}});
      End(grpc::Status::OK, /*abort_upload=*/false, &effects);
    }
  }
  Apply(std::move(effects));
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
  // The spool file closes once the transfer lets go of it too; after a
  // completed transfer that is now, before the caller hears back.
  spool_.reset();
  effects->cancel_upload = abort_upload;
  if (!status.ok()) {
    Log(LogLevel::kInfo, "rpc",
        {{"method", "StartImport"},
         {"code", absl::StrCat(static_cast<int>(status.error_code()))},
         {"error", status.error_message()}});
  }
  Finish(std::move(status));
}

void StartImportReactor::OnDone() {
  in_flight_->fetch_sub(1);
  Release();
}

void StartImportReactor::Release() {
  if (references_.fetch_sub(1) == 1) delete this;
}

}  // namespace hubspot_gateway
