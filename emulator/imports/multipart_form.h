#ifndef HUBSPOT_EMULATOR_IMPORTS_MULTIPART_FORM_H_
#define HUBSPOT_EMULATOR_IMPORTS_MULTIPART_FORM_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hubspot_emulator {

// One part of a multipart/form-data body (RFC 7578).
struct FormPart {
  std::string name;          // Content-Disposition name
  std::string file_name;     // Content-Disposition filename, if any
  std::string content_type;  // the part's Content-Type, if any
  absl::string_view data;    // into the body passed to ParseMultipartForm
};

// The parts of `body`, given the request's Content-Type header value.
// absl::InvalidArgumentError naming what is wrong (no boundary, missing
// closing delimiter, malformed part headers...).
absl::StatusOr<std::vector<FormPart>> ParseMultipartForm(
    absl::string_view content_type, absl::string_view body);

}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_IMPORTS_MULTIPART_FORM_H_
