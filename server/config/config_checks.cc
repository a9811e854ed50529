#include "server/config/config_checks.h"

#include <unistd.h>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/common/proto_duration.h"

namespace hubspot_gateway {

namespace cfg = ::hubspot::crm::imports::gateway::v1;

absl::Status ConfigError(absl::string_view field, absl::string_view problem) {
  std::string line = absl::StrCat(field, ": ", problem);
  std::string escaped;
  for (char c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      escaped += absl::CHexEscape(absl::string_view(&c, 1));
    } else {
      escaped += c;
    }
  }
  return absl::InvalidArgumentError(escaped);
}

std::string SecretFileName(const std::string& path) {
  const bool looks_like_path =
      !path.empty() && (path[0] == '/' || path[0] == '.') &&
      path.find_first_of(" \t\r\n") == std::string::npos;
  return looks_like_path
             ? absl::StrCat("\"", path, "\"")
             : std::string("(its path, not shown: it is not an absolute or "
                           "relative path; did a secret go into "
                           "{\"file\": …}?)");
}

bool HasHttpScheme(absl::string_view url) {
  return absl::StartsWith(url, "http://") || absl::StartsWith(url, "https://");
}

absl::Status CheckReadableFile(absl::string_view field,
                               const std::string& path) {
  if (path.empty()) return absl::OkStatus();
  if (access(path.c_str(), R_OK) != 0) {
    return ConfigError(field, absl::StrCat("cannot read file \"", path,
                                           "\"; give a readable PEM file"));
  }
  return absl::OkStatus();
}

absl::Status CheckDuration(absl::string_view field,
                           const google::protobuf::Duration& d,
                           absl::Duration max) {
  const absl::Duration value = FromProtoDuration(d);
  if (value <= absl::ZeroDuration() || value > max) {
    return ConfigError(
        field, absl::StrCat("must be > 0s and <= ", absl::FormatDuration(max),
                            ", got ", absl::FormatDuration(value)));
  }
  return absl::OkStatus();
}

absl::Status CheckSecretSource(const cfg::Secret& s, absl::string_view field,
                               const EnvLookup& env) {
  if (s.source_case() == cfg::Secret::SOURCE_NOT_SET) {
    return ConfigError(field,
                       "missing; set {\"file\": PATH} or {\"env\": VAR}");
  }
  return ReadSecret(s, field, env).status();
}

absl::Status CheckHostPort(absl::string_view field, absl::string_view addr,
                           absl::string_view example) {
  const size_t colon = addr.rfind(':');
  int port = -1;
  if (colon == absl::string_view::npos ||
      !absl::SimpleAtoi(addr.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return ConfigError(field, absl::StrCat("\"", addr,
                                           "\" is not HOST:PORT (e.g. ",
                                           example, ")"));
  }
  return absl::OkStatus();
}

}  // namespace hubspot_gateway
