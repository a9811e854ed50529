#include "server/service/lost_import_finder.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "server/hubspot/imports_api.h"
#include "server/hubspot/rest_mapping.h"

namespace hubspot_gateway {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using google::protobuf::util::TimeUtil;

std::string StringField(const google::protobuf::Struct& s,
                        const std::string& key) {
  auto it = s.fields().find(key);
  return it != s.fields().end() && it->second.has_string_value()
             ? it->second.string_value()
             : "";
}

// The file names of an echoed import request, in order.
std::vector<std::string> FileNames(const google::protobuf::Struct& request) {
  std::vector<std::string> names;
  auto it = request.fields().find("files");
  if (it == request.fields().end() || !it->second.has_list_value()) {
    return names;
  }
  for (const google::protobuf::Value& file : it->second.list_value().values()) {
    names.push_back(file.has_struct_value()
                        ? StringField(file.struct_value(), "fileName")
                        : "");
  }
  return names;
}

// One search: a page at a time, each page's call sent when the previous
// one answered.
class Search : public std::enable_shared_from_this<Search> {
 public:
  Search(HubSpotTransport* transport, const UploadLedger* ledger,
         LostUpload upload, HubSpotCall lookup, int max_pages,
         absl::AnyInvocable<void(LostImportSearch) &&> done)
      : transport_(transport),
        ledger_(ledger),
        upload_(std::move(upload)),
        lookup_(std::move(lookup)),
        pages_left_(max_pages),
        done_(std::move(done)) {}

  void ReadPage(std::string after) {
    v1::ListImportsRequest request;
    request.set_limit(kMaxPageSize);
    request.set_after(std::move(after));
    HubSpotCall call = lookup_;
    if (grpc::Status s = BuildListImports(request, &call); !s.ok()) {
      result_.error = absl::InternalError(s.error_message());
      std::move(done_)(std::move(result_));
      return;
    }
    --pages_left_;
    transport_->Send(std::move(call),
                     [self = shared_from_this()](HubSpotAnswer answer) {
                       self->OnPage(std::move(answer));
                     });
  }

 private:
  void OnPage(HubSpotAnswer answer) {
    v1::ListImportsResponse page;
    if (!answer.response.ok()) {
      result_.error = answer.response.status();
    } else if (answer.response->status != 200) {
      result_.error = absl::UnavailableError(absl::StrCat(
          "listing the active imports got HTTP ", answer.response->status));
    } else if (absl::Status parsed =
                   ParseListImportsResponse(answer.response->body, &page);
               !parsed.ok()) {
      result_.error = parsed;
    }
    if (!result_.error.ok()) {
      std::move(done_)(std::move(result_));
      return;
    }
    for (v1::Import& import : *page.mutable_results()) {
      if (LooksLike(import, upload_) && !ledger_->WasAnswered(import.id())) {
        result_.candidates.push_back(std::move(import));
      }
    }
    const std::string& next = page.paging().next().after();
    if (next.empty()) {
      result_.complete = true;
    } else if (pages_left_ > 0) {
      ReadPage(next);
      return;
    }
    std::move(done_)(std::move(result_));
  }

  HubSpotTransport* const transport_;
  const UploadLedger* const ledger_;
  const LostUpload upload_;
  const HubSpotCall lookup_;
  int pages_left_;
  absl::AnyInvocable<void(LostImportSearch) &&> done_;
  LostImportSearch result_;
};

}  // namespace

bool LooksLike(const v1::Import& import, const LostUpload& upload) {
  if (!import.has_created_at()) return false;
  const absl::Time created = absl::FromUnixNanos(
      TimeUtil::TimestampToNanoseconds(import.created_at()));
  if (created < upload.sent_at - kHubSpotClockSkew) return false;
  const google::protobuf::Struct& request = import.import_request_json();
  std::string name = StringField(request, "name");
  if (name.empty()) name = import.import_name();
  return name == upload.import_name && FileNames(request) == upload.file_names;
}

void FindLostImport(HubSpotTransport* transport, const UploadLedger* ledger,
                    LostUpload upload, HubSpotCall lookup, int max_pages,
                    absl::AnyInvocable<void(LostImportSearch) &&> done) {
  auto search =
      std::make_shared<Search>(transport, ledger, std::move(upload),
                               std::move(lookup), max_pages, std::move(done));
  search->ReadPage("");
}

}  // namespace hubspot_gateway
