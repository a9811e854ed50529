#ifndef HUBSPOT_EMULATOR_API_URL_ENCODING_H_
#define HUBSPOT_EMULATOR_API_URL_ENCODING_H_

#include <map>
#include <string>

#include "absl/strings/string_view.h"

namespace hubspot_emulator {

// %XX escapes decoded, '+' as a space (application/x-www-form-urlencoded);
// a malformed escape is kept as it is.
std::string UrlDecode(absl::string_view s);
// "a=1&b=2" (a query string or a form body), decoded; the last of a
// repeated name wins.
std::map<std::string, std::string> ParseUrlEncoded(absl::string_view s);

}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_API_URL_ENCODING_H_
