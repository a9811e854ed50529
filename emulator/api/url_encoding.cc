#include "emulator/api/url_encoding.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace hubspot_emulator {

std::string UrlDecode(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && absl::ascii_isxdigit(s[i + 1]) &&
        absl::ascii_isxdigit(s[i + 2])) {
      int v = 0;
      absl::SimpleHexAtoi(s.substr(i + 1, 2), &v);
      out += static_cast<char>(v);
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

std::map<std::string, std::string> ParseUrlEncoded(absl::string_view s) {
  std::map<std::string, std::string> out;
  for (absl::string_view pair : absl::StrSplit(s, '&', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    out[UrlDecode(kv.first)] = UrlDecode(kv.second);
  }
  return out;
}

}  // namespace hubspot_emulator
