#include "tests/soak/contacts_upload.h"

#include "absl/random/distributions.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "server/common/json.h"

namespace hubspot_gateway::soak {
namespace {

constexpr int kEmailPool = 50000;
constexpr const char* kStages[] = {"subscriber", "lead", "opportunity",
                                   "customer", "evangelist"};

std::string Row(std::mt19937_64& rng) {
  const int who = absl::Uniform(rng, 0, kEmailPool);
  const bool flawed = absl::Bernoulli(rng, 1.0 / 40);
  const int flaw = absl::Uniform(rng, 0, 3);
  const std::string email = flawed && flaw == 0
                                ? absl::StrCat("soak.", who, "@example")
                                : absl::StrCat("soak.", who, "@example.com");
  const std::string stage = flawed && flaw == 1 ? "champion" : kStages[who % 5];
  const std::string birth =
      flawed && flaw == 2
          ? "31/08/1932"
          : absl::StrCat(1 + who % 12, "/", 1 + who % 28, "/", 1930 + who % 70);
  return absl::StrCat(email, ",First", who, ",Last", who, ",+1 555 01",
                      who % 100, ",", stage, ",", birth, "\n");
}

}  // namespace

absl::StatusOr<ContactsUploadMaker> ContactsUploadMaker::Create(
    absl::string_view sample_request) {
  absl::StatusOr<google::protobuf::Struct> request =
      ParseJsonObject(sample_request);
  if (!request.ok()) return request.status();
  auto files = request->fields().find("files");
  if (files == request->fields().end() ||
      files->second.list_value().values_size() != 1) {
    return absl::InvalidArgumentError(
        "the sample import request must have exactly one file");
  }
  return ContactsUploadMaker(*std::move(request));
}

ContactsUpload ContactsUploadMaker::Make(absl::string_view import_name,
                                         size_t bytes,
                                         std::mt19937_64& rng) const {
  ContactsUpload upload;
  upload.file_name = absl::StrCat(import_name, ".csv");
  google::protobuf::Struct request = request_;
  (*request.mutable_fields())["name"].set_string_value(
      std::string(import_name));
  (*(*request.mutable_fields())["files"]
        .mutable_list_value()
        ->mutable_values(0)
        ->mutable_struct_value()
        ->mutable_fields())["fileName"]
      .set_string_value(upload.file_name);
  (void)google::protobuf::util::MessageToJsonString(request,
                                                    &upload.request_json);
  upload.csv =
      "Email,First Name,Last Name,Phone,Lifecycle Stage,Date of Birth\n";
  do {
    upload.csv += Row(rng);
  } while (upload.csv.size() < bytes);
  return upload;
}

}  // namespace hubspot_gateway::soak
