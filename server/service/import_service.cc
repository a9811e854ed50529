#include "server/service/import_service.h"

#include <utility>

#include "server/hubspot/imports_api.h"
#include "server/hubspot/rest_mapping.h"
#include "server/service/forward_reactor.h"

namespace hubspot_gateway {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;

// Validates with `build`, then forwards and parses the answer into
// `response` with `parse`.
template <typename Request, typename Response, typename Build, typename Parse>
grpc::ServerUnaryReactor* Forward(grpc::CallbackServerContext* context,
                                  absl::string_view rpc,
                                  HubSpotTransport* transport,
                                  const Request& request, Response* response,
                                  Build build, Parse parse) {
  HubSpotCall call;
  grpc::Status valid = build(request, &call);
  if (!valid.ok())
    return ForwardReactor::Reject(context, rpc, std::move(valid));
  return ForwardReactor::Forward(context, rpc, transport, std::move(call),
                                 [response, parse](absl::string_view body) {
                                   return parse(body, response);
                                 });
}

}  // namespace

grpc::ServerReadReactor<v1::StartImportRequest>* ImportServiceImpl::StartImport(
    grpc::CallbackServerContext* context, v1::Import* response) {
  return StartImportReactor::Create(context, transport_, upload_, response,
                                    &uploads_in_flight_);
}

grpc::ServerUnaryReactor* ImportServiceImpl::ListImports(
    grpc::CallbackServerContext* context, const v1::ListImportsRequest* request,
    v1::ListImportsResponse* response) {
  return Forward(context, "ListImports", transport_, *request, response,
                 &BuildListImports, &ParseListImportsResponse);
}

grpc::ServerUnaryReactor* ImportServiceImpl::GetImport(
    grpc::CallbackServerContext* context, const v1::GetImportRequest* request,
    v1::Import* response) {
  return Forward(context, "GetImport", transport_, *request, response,
                 &BuildGetImport, &ParseImport);
}

grpc::ServerUnaryReactor* ImportServiceImpl::ListImportErrors(
    grpc::CallbackServerContext* context,
    const v1::ListImportErrorsRequest* request,
    v1::ListImportErrorsResponse* response) {
  return Forward(context, "ListImportErrors", transport_, *request, response,
                 &BuildListImportErrors, &ParseListImportErrorsResponse);
}

grpc::ServerUnaryReactor* ImportServiceImpl::CancelImport(
    grpc::CallbackServerContext* context,
    const v1::CancelImportRequest* request,
    v1::CancelImportResponse* response) {
  return Forward(context, "CancelImport", transport_, *request, response,
                 &BuildCancelImport, &ParseCancelImportResponse);
}

}  // namespace hubspot_gateway
