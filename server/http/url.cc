#include "server/http/url.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace hubspot_gateway {

std::string UrlEncode(absl::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' ||
        c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string FormEncode(
    const std::vector<std::pair<absl::string_view, std::string>>& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    absl::StrAppend(&out, name, "=", UrlEncode(value));
  }
  return out;
}

}  // namespace hubspot_gateway
