#include "server/upload/multipart.h"

#include <openssl/rand.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace hubspot_gateway {

MultipartFraming::MultipartFraming() {
  unsigned char random[16];
  if (RAND_bytes(random, sizeof random) != 1) {
    // OpenSSL's generator failing is not something to upload around.
    std::abort();
  }
  boundary_ =
      absl::StrCat("hubspot-imports-gateway-",
                   absl::BytesToHexString(absl::string_view(
                       reinterpret_cast<const char*>(random), sizeof random)));
}

MultipartFraming::MultipartFraming(std::string boundary)
    : boundary_(std::move(boundary)) {}

std::string MultipartFraming::ContentType() const {
  return absl::StrCat("multipart/form-data; boundary=", boundary_);
}

std::string MultipartFraming::FileHeaders(const UploadFileSpec& file) const {
  // File names were checked to hold no quotes, backslashes or line breaks.
  return absl::StrCat("--", boundary_,
                      "\r\nContent-Disposition: form-data; name=\"files\"; "
                      "filename=\"",
                      file.file_name, "\"\r\nContent-Type: ", file.content_type,
                      "\r\n\r\n");
}

std::string MultipartFraming::Opening(absl::string_view import_request_json,
                                      const UploadFileSpec& first_file) const {
  return absl::StrCat("--", boundary_,
                      "\r\nContent-Disposition: form-data; "
                      "name=\"importRequest\"\r\nContent-Type: "
                      "application/json\r\n\r\n",
                      import_request_json, "\r\n", FileHeaders(first_file));
}

std::string MultipartFraming::Between(const UploadFileSpec& next_file) const {
  return absl::StrCat("\r\n", FileHeaders(next_file));
}

std::string MultipartFraming::Closing() const {
  return absl::StrCat("\r\n--", boundary_, "--\r\n");
}

int64_t MultipartFraming::BodyLength(
    absl::string_view import_request_json,
    const std::vector<UploadFileSpec>& files) const {
  if (files.empty()) return -1;
  int64_t length =
      static_cast<int64_t>(Opening(import_request_json, files[0]).size());
  for (size_t i = 0; i < files.size(); ++i) {
    if (!files[i].size_bytes.has_value()) return -1;
    length += *files[i].size_bytes;
    if (i + 1 < files.size()) {
      length += static_cast<int64_t>(Between(files[i + 1]).size());
    }
  }
  return length + static_cast<int64_t>(Closing().size());
}

}  // namespace hubspot_gateway
