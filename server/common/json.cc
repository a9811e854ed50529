#include "server/common/json.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace hubspot_gateway {

absl::StatusOr<google::protobuf::Struct> ParseJsonObject(
    absl::string_view json) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(json);
  if (trimmed.empty()) return absl::InvalidArgumentError("empty body");
  if (trimmed.front() != '{') {
    return absl::InvalidArgumentError("body is not a JSON object");
  }
  google::protobuf::Struct out;
  google::protobuf::util::JsonParseOptions options;
  const auto status =
      google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(trimmed.data(), trimmed.size()), &out,
      options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid JSON: ", status.message().as_string()));
  }
  return out;
}

}  // namespace hubspot_gateway
