// Original file: proto/hubspot/crm/imports/v1/import_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CancelImportRequest as _hubspot_crm_imports_v1_CancelImportRequest, CancelImportRequest__Output as _hubspot_crm_imports_v1_CancelImportRequest__Output } from '../../../../hubspot/crm/imports/v1/CancelImportRequest';
import type { CancelImportResponse as _hubspot_crm_imports_v1_CancelImportResponse, CancelImportResponse__Output as _hubspot_crm_imports_v1_CancelImportResponse__Output } from '../../../../hubspot/crm/imports/v1/CancelImportResponse';
import type { GetImportRequest as _hubspot_crm_imports_v1_GetImportRequest, GetImportRequest__Output as _hubspot_crm_imports_v1_GetImportRequest__Output } from '../../../../hubspot/crm/imports/v1/GetImportRequest';
import type { Import as _hubspot_crm_imports_v1_Import, Import__Output as _hubspot_crm_imports_v1_Import__Output } from '../../../../hubspot/crm/imports/v1/Import';
import type { ListImportErrorsRequest as _hubspot_crm_imports_v1_ListImportErrorsRequest, ListImportErrorsRequest__Output as _hubspot_crm_imports_v1_ListImportErrorsRequest__Output } from '../../../../hubspot/crm/imports/v1/ListImportErrorsRequest';
import type { ListImportErrorsResponse as _hubspot_crm_imports_v1_ListImportErrorsResponse, ListImportErrorsResponse__Output as _hubspot_crm_imports_v1_ListImportErrorsResponse__Output } from '../../../../hubspot/crm/imports/v1/ListImportErrorsResponse';
import type { ListImportsRequest as _hubspot_crm_imports_v1_ListImportsRequest, ListImportsRequest__Output as _hubspot_crm_imports_v1_ListImportsRequest__Output } from '../../../../hubspot/crm/imports/v1/ListImportsRequest';
import type { ListImportsResponse as _hubspot_crm_imports_v1_ListImportsResponse, ListImportsResponse__Output as _hubspot_crm_imports_v1_ListImportsResponse__Output } from '../../../../hubspot/crm/imports/v1/ListImportsResponse';
import type { StartImportRequest as _hubspot_crm_imports_v1_StartImportRequest, StartImportRequest__Output as _hubspot_crm_imports_v1_StartImportRequest__Output } from '../../../../hubspot/crm/imports/v1/StartImportRequest';

export interface ImportServiceClient extends grpc.Client {
  CancelImport(argument: _hubspot_crm_imports_v1_CancelImportRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hubspot_crm_imports_v1_CancelImportResponse__Output>): grpc.ClientUnaryCall;
  CancelImport(argument: _hubspot_crm_imports_v1_CancelImportRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hubspot_crm_imports_v1_CancelImportResponse__Output>): grpc.ClientUnaryCall;
  CancelImport(argument: _hubspot_crm_imports_v1_CancelImportRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hubspot_crm_imports_v1_CancelImportResponse__Output>): grpc.ClientUnaryCall;
  CancelImport(argument: _hubspot_crm_imports_v1_CancelImportRequest, callback: grpc.requestCallback<_hubspot_crm_imports_v1_CancelImportResponse__Output>): grpc.ClientUnaryCall;
  cancelImport(argument: _hubspot_crm_imports_v1_CancelImportRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hubspot_crm_imports_v1_CancelImportResponse__Output>): grpc.ClientUnaryCall;
  cancelImport(argument: _hubspot_crm_imports_v1_CancelImportRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hubspot_crm_imports_v1_CancelImportResponse__Output>): grpc.ClientUnaryCall;
  cancelImport(argument: _hubspot_crm_imports_v1_CancelImportRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hubspot_crm_imports_v1_CancelImportResponse__Output>): grpc.ClientUnaryCall;
  cancelImport(argument: _hubspot_crm_imports_v1_CancelImportRequest, callback: grpc.requestCallback<_hubspot_crm_imports_v1_CancelImportResponse__Output>): grpc.ClientUnaryCall;
  
  GetImport(argument: _hubspot_crm_imports_v1_GetImportRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hubspot_crm_imports_v1_Import__Output>): grpc.ClientUnaryCall;
  GetImport(argument: _hubspot_crm_imports_v1_GetImportRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hubspot_crm_imports_v1_Import__Output>): grpc.ClientUnaryCall;
  GetImport(argument: _hubspot_crm_imports_v1_GetImportRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hubspot_crm_imports_v1_Import__Output>): grpc.ClientUnaryCall;
  GetImport(argument: _hubspot_crm_imports_v1_GetImportRequest, callback: grpc.requestCallback<_hubspot_crm_imports_v1_Import__Output>): grpc.ClientUnaryCall;
  getImport(argument: _hubspot_crm_imports_v1_GetImportRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hubspot_crm_imports_v1_Import__Output>): grpc.ClientUnaryCall;
  getImport(argument: _hubspot_crm_imports_v1_GetImportRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hubspot_crm_imports_v1_Import__Output>): grpc.ClientUnaryCall;
  getImport(argument: _hubspot_crm_imports_v1_GetImportRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hubspot_crm_imports_v1_Import__Output>): grpc.ClientUnaryCall;
  getImport(argument: _hubspot_crm_imports_v1_GetImportRequest, callback: grpc.requestCallback<_hubspot_crm_imports_v1_Import__Output>): grpc.ClientUnaryCall;
  
  ListImportErrors(argument: _hubspot_crm_imports_v1_ListImportErrorsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hubspot_crm_imports_v1_ListImportErrorsResponse__Output>): grpc.ClientUnaryCall;
  ListImportErrors(argument: _hubspot_crm_imports_v1_ListImportErrorsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hubspot_crm_imports_v1_ListImportErrorsResponse__Output>): grpc.ClientUnaryCall;
  ListImportErrors(argument: _hubspot_crm_imports_v1_ListImportErrorsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hubspot_crm_imports_v1_ListImportErrorsResponse__Output>): grpc.ClientUnaryCall;
  ListImportErrors(argument: _hubspot_crm_imports_v1_ListImportErrorsRequest, callback: grpc.requestCallback<_hubspot_crm_imports_v1_ListImportErrorsResponse__Output>): grpc.ClientUnaryCall;
  listImportErrors(argument: _hubspot_crm_imports_v1_ListImportErrorsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hubspot_crm_imports_v1_ListImportErrorsResponse__Output>): grpc.ClientUnaryCall;
  listImportErrors(argument: _hubspot_crm_imports_v1_ListImportErrorsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hubspot_crm_imports_v1_ListImportErrorsResponse__Output>): grpc.ClientUnaryCall;
  listImportErrors(argument: _hubspot_crm_imports_v1_ListImportErrorsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hubspot_crm_imports_v1_ListImportErrorsResponse__Output>): grpc.ClientUnaryCall;
  listImportErrors(argument: _hubspot_crm_imports_v1_ListImportErrorsRequest, callback: grpc.requestCallback<_hubspot_crm_imports_v1_ListImportErrorsResponse__Output>): grpc.ClientUnaryCall;
  
  ListImports(argument: _hubspot_crm_imports_v1_ListImportsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hubspot_crm_imports_v1_ListImportsResponse__Output>): grpc.ClientUnaryCall;
  ListImports(argument: _hubspot_crm_imports_v1_ListImportsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hubspot_crm_imports_v1_ListImportsResponse__Output>): grpc.ClientUnaryCall;
  ListImports(argument: _hubspot_crm_imports_v1_ListImportsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hubspot_crm_imports_v1_ListImportsResponse__Output>): grpc.ClientUnaryCall;
  ListImports(argument: _hubspot_crm_imports_v1_ListImportsRequest, callback: grpc.requestCallback<_hubspot_crm_imports_v1_ListImportsResponse__Output>): grpc.ClientUnaryCall;
  listImports(argument: _hubspot_crm_imports_v1_ListImportsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hubspot_crm_imports_v1_ListImportsResponse__Output>): grpc.ClientUnaryCall;
  listImports(argument: _hubspot_crm_imports_v1_ListImportsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hubspot_crm_imports_v1_ListImportsResponse__Output>): grpc.ClientUnaryCall;
  listImports(argument: _hubspot_crm_imports_v1_ListImportsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hubspot_crm_imports_v1_ListImportsResponse__Output>): grpc.ClientUnaryCall;
  listImports(argument: _hubspot_crm_imports_v1_ListImportsRequest, callback: grpc.requestCallback<_hubspot_crm_imports_v1_ListImportsResponse__Output>): grpc.ClientUnaryCall;
  
  StartImport(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hubspot_crm_imports_v1_Import__Output>): grpc.ClientWritableStream<_hubspot_crm_imports_v1_StartImportRequest>;
  StartImport(metadata: grpc.Metadata, callback: grpc.requestCallback<_hubspot_crm_imports_v1_Import__Output>): grpc.ClientWritableStream<_hubspot_crm_imports_v1_StartImportRequest>;
  StartImport(options: grpc.CallOptions, callback: grpc.requestCallback<_hubspot_crm_imports_v1_Import__Output>): grpc.ClientWritableStream<_hubspot_crm_imports_v1_StartImportRequest>;
  StartImport(callback: grpc.requestCallback<_hubspot_crm_imports_v1_Import__Output>): grpc.ClientWritableStream<_hubspot_crm_imports_v1_StartImportRequest>;
  startImport(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hubspot_crm_imports_v1_Import__Output>): grpc.ClientWritableStream<_hubspot_crm_imports_v1_StartImportRequest>;
  startImport(metadata: grpc.Metadata, callback: grpc.requestCallback<_hubspot_crm_imports_v1_Import__Output>): grpc.ClientWritableStream<_hubspot_crm_imports_v1_StartImportRequest>;
  startImport(options: grpc.CallOptions, callback: grpc.requestCallback<_hubspot_crm_imports_v1_Import__Output>): grpc.ClientWritableStream<_hubspot_crm_imports_v1_StartImportRequest>;
  startImport(callback: grpc.requestCallback<_hubspot_crm_imports_v1_Import__Output>): grpc.ClientWritableStream<_hubspot_crm_imports_v1_StartImportRequest>;
  
}

export interface ImportServiceHandlers extends grpc.UntypedServiceImplementation {
  CancelImport: grpc.handleUnaryCall<_hubspot_crm_imports_v1_CancelImportRequest__Output, _hubspot_crm_imports_v1_CancelImportResponse>;
  
  GetImport: grpc.handleUnaryCall<_hubspot_crm_imports_v1_GetImportRequest__Output, _hubspot_crm_imports_v1_Import>;
  
  ListImportErrors: grpc.handleUnaryCall<_hubspot_crm_imports_v1_ListImportErrorsRequest__Output, _hubspot_crm_imports_v1_ListImportErrorsResponse>;
  
  ListImports: grpc.handleUnaryCall<_hubspot_crm_imports_v1_ListImportsRequest__Output, _hubspot_crm_imports_v1_ListImportsResponse>;
  
  StartImport: grpc.handleClientStreamingCall<_hubspot_crm_imports_v1_StartImportRequest__Output, _hubspot_crm_imports_v1_Import>;
  
}

export interface ImportServiceDefinition extends grpc.ServiceDefinition {
  CancelImport: MethodDefinition<_hubspot_crm_imports_v1_CancelImportRequest, _hubspot_crm_imports_v1_CancelImportResponse, _hubspot_crm_imports_v1_CancelImportRequest__Output, _hubspot_crm_imports_v1_CancelImportResponse__Output>
  GetImport: MethodDefinition<_hubspot_crm_imports_v1_GetImportRequest, _hubspot_crm_imports_v1_Import, _hubspot_crm_imports_v1_GetImportRequest__Output, _hubspot_crm_imports_v1_Import__Output>
  ListImportErrors: MethodDefinition<_hubspot_crm_imports_v1_ListImportErrorsRequest, _hubspot_crm_imports_v1_ListImportErrorsResponse, _hubspot_crm_imports_v1_ListImportErrorsRequest__Output, _hubspot_crm_imports_v1_ListImportErrorsResponse__Output>
  ListImports: MethodDefinition<_hubspot_crm_imports_v1_ListImportsRequest, _hubspot_crm_imports_v1_ListImportsResponse, _hubspot_crm_imports_v1_ListImportsRequest__Output, _hubspot_crm_imports_v1_ListImportsResponse__Output>
  StartImport: MethodDefinition<_hubspot_crm_imports_v1_StartImportRequest, _hubspot_crm_imports_v1_Import, _hubspot_crm_imports_v1_StartImportRequest__Output, _hubspot_crm_imports_v1_Import__Output>
}
