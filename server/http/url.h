#ifndef HUBSPOT_GATEWAY_HTTP_URL_H_
#define HUBSPOT_GATEWAY_HTTP_URL_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace hubspot_gateway {

// Percent-encodes everything but RFC 3986's unreserved characters, for query
// values and application/x-www-form-urlencoded bodies alike.
std::string UrlEncode(absl::string_view s);

// "a=1&b=2" from pairs, each value encoded; empty when `params` is.
std::string FormEncode(
    const std::vector<std::pair<absl::string_view, std::string>>& params);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_HTTP_URL_H_
