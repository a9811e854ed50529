#include "server/service/rpc_record.h"

#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/access/grpc_peer.h"
#include "server/common/log.h"
#include "server/common/status_code_name.h"

namespace hubspot_gateway {
namespace {

// The single value of metadata `key`; none when absent or repeated.
std::optional<absl::string_view> OneValue(
    const grpc::CallbackServerContext& context, absl::string_view key) {
  const std::vector<absl::string_view> values = MetadataValues(context, key);
  if (values.size() != 1) return std::nullopt;
  return values[0];
}

}  // namespace

RpcRecord RpcRecord::Begin(grpc::CallbackServerContext* context,
                           absl::string_view method) {
  RpcRecord record;
  record.method = std::string(method);
  record.started = absl::Now();
  record.request_id = RandomHexId(8);
  record.trace = ContinueOrStartTrace(OneValue(*context, "traceparent"),
                                      OneValue(*context, "tracestate"));
  context->AddInitialMetadata(kRequestIdMetadataKey, record.request_id);
  return record;
}

void RpcRecord::Write(grpc::StatusCode code, absl::string_view error) const {
  if (!LogEnabled(LogLevel::kInfo)) return;
  std::vector<LogField> fields = {
      {"method", method},
      {"code", std::string(StatusCodeName(static_cast<int>(code)))},
      {"duration_ms",
       absl::StrCat(absl::ToInt64Microseconds(absl::Now() - started) / 1000.0)},
      {"request_id", request_id},
      {"trace_id", trace.trace_id},
  };
  auto add = [&fields](absl::string_view key, std::string value) {
    if (!value.empty()) fields.emplace_back(key, std::move(value));
  };
  add("caller", caller);
  add("account", account);
  if (import_id != 0) add("import_id", absl::StrCat(import_id));
  if (bytes != 0) add("bytes", absl::StrCat(bytes));
  if (hubspot_status != 0) add("hubspot_status", absl::StrCat(hubspot_status));
  add("hubspot_correlation_id", hubspot_correlation_id);
  add("outcome", outcome);
  add("error", std::string(error));
  Log(LogLevel::kInfo, "rpc", fields);
}

}  // namespace hubspot_gateway
