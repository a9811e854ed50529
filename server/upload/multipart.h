#ifndef HUBSPOT_GATEWAY_UPLOAD_MULTIPART_H_
#define HUBSPOT_GATEWAY_UPLOAD_MULTIPART_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "server/upload/import_request.h"

namespace hubspot_gateway {

// The multipart/form-data framing of HubSpot's POST /crm/v3/imports: an
// `importRequest` part with the JSON, then one `files` part per file. The
// bytes between the framing pieces are the files themselves, so that the body
// can be streamed without ever holding a file in memory; the closing
// delimiter is a separate piece, sent only once every file is verified.
class MultipartFraming {
 public:
  // A fresh random boundary (128 bits), which file contents cannot be
  // expected to contain.
  MultipartFraming();
  explicit MultipartFraming(std::string boundary);

  // The request's Content-Type header value.
  std::string ContentType() const;
  // Everything before the first file's bytes: the importRequest part and the
  // first file part's headers.
  std::string Opening(absl::string_view import_request_json,
                      const UploadFileSpec& first_file) const;
  // Between two files: the end of one part and the headers of the next.
  std::string Between(const UploadFileSpec& next_file) const;
  // After the last file's bytes: ends the body.
  std::string Closing() const;
  // The whole body's length when every file's size is known.
  int64_t BodyLength(absl::string_view import_request_json,
                     const std::vector<UploadFileSpec>& files) const;

  const std::string& boundary() const { return boundary_; }

 private:
  std::string FileHeaders(const UploadFileSpec& file) const;

  std::string boundary_;
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_UPLOAD_MULTIPART_H_
