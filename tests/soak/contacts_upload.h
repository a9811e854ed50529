#ifndef HUBSPOT_GATEWAY_TESTS_SOAK_CONTACTS_UPLOAD_H_
#define HUBSPOT_GATEWAY_TESTS_SOAK_CONTACTS_UPLOAD_H_

#include <random>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"

namespace hubspot_gateway::soak {

// What one upload sends: HubSpot's importRequest JSON and one CSV file.
struct ContactsUpload {
  std::string request_json;
  std::string file_name;
  std::string csv;
};

// Makes uploads shaped like emulator/samples/contacts.{csv,import.json}.
class ContactsUploadMaker {
 public:
  // `sample_request` is the sample's import request JSON.
  static absl::StatusOr<ContactsUploadMaker> Create(
      absl::string_view sample_request);

  // An upload named `import_name` of about `bytes` bytes (at least the
  // header and one row). Emails come from a fixed pool, so that the
  // emulator's CRM stays bounded however long the soak runs (UPSERT updates
  // them); about one row in 40 is flawed so that ListImportErrors has pages.
  ContactsUpload Make(absl::string_view import_name, size_t bytes,
                      std::mt19937_64& rng) const;

 private:
  explicit ContactsUploadMaker(google::protobuf::Struct request)
      : request_(std::move(request)) {}
  google::protobuf::Struct request_;
};

}  // namespace hubspot_gateway::soak

#endif  // HUBSPOT_GATEWAY_TESTS_SOAK_CONTACTS_UPLOAD_H_
