#ifndef HUBSPOT_EMULATOR_API_GZIP_H_
#define HUBSPOT_EMULATOR_API_GZIP_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hubspot_emulator {

std::string Gzip(absl::string_view data);
// InvalidArgument for data that is not gzip, ResourceExhausted when it
// inflates past `max_bytes`.
absl::StatusOr<std::string> Gunzip(absl::string_view data, size_t max_bytes);
// Whether an Accept-Encoding value admits gzip.
bool AcceptsGzip(absl::string_view accept_encoding);

}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_API_GZIP_H_
