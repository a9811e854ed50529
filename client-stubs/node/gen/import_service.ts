import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { ListValue as _google_protobuf_ListValue, ListValue__Output as _google_protobuf_ListValue__Output } from './google/protobuf/ListValue';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from './google/protobuf/Struct';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from './google/protobuf/Value';
import type { CancelImportRequest as _hubspot_crm_imports_v1_CancelImportRequest, CancelImportRequest__Output as _hubspot_crm_imports_v1_CancelImportRequest__Output } from './hubspot/crm/imports/v1/CancelImportRequest';
import type { CancelImportResponse as _hubspot_crm_imports_v1_CancelImportResponse, CancelImportResponse__Output as _hubspot_crm_imports_v1_CancelImportResponse__Output } from './hubspot/crm/imports/v1/CancelImportResponse';
import type { ColumnMapping as _hubspot_crm_imports_v1_ColumnMapping, ColumnMapping__Output as _hubspot_crm_imports_v1_ColumnMapping__Output } from './hubspot/crm/imports/v1/ColumnMapping';
import type { FileChunk as _hubspot_crm_imports_v1_FileChunk, FileChunk__Output as _hubspot_crm_imports_v1_FileChunk__Output } from './hubspot/crm/imports/v1/FileChunk';
import type { FileImportPage as _hubspot_crm_imports_v1_FileImportPage, FileImportPage__Output as _hubspot_crm_imports_v1_FileImportPage__Output } from './hubspot/crm/imports/v1/FileImportPage';
import type { ForeignKeyType as _hubspot_crm_imports_v1_ForeignKeyType, ForeignKeyType__Output as _hubspot_crm_imports_v1_ForeignKeyType__Output } from './hubspot/crm/imports/v1/ForeignKeyType';
import type { GetImportRequest as _hubspot_crm_imports_v1_GetImportRequest, GetImportRequest__Output as _hubspot_crm_imports_v1_GetImportRequest__Output } from './hubspot/crm/imports/v1/GetImportRequest';
import type { Import as _hubspot_crm_imports_v1_Import, Import__Output as _hubspot_crm_imports_v1_Import__Output } from './hubspot/crm/imports/v1/Import';
import type { ImportError as _hubspot_crm_imports_v1_ImportError, ImportError__Output as _hubspot_crm_imports_v1_ImportError__Output } from './hubspot/crm/imports/v1/ImportError';
import type { ImportFile as _hubspot_crm_imports_v1_ImportFile, ImportFile__Output as _hubspot_crm_imports_v1_ImportFile__Output } from './hubspot/crm/imports/v1/ImportFile';
import type { ImportMetadata as _hubspot_crm_imports_v1_ImportMetadata, ImportMetadata__Output as _hubspot_crm_imports_v1_ImportMetadata__Output } from './hubspot/crm/imports/v1/ImportMetadata';
import type { ImportRequest as _hubspot_crm_imports_v1_ImportRequest, ImportRequest__Output as _hubspot_crm_imports_v1_ImportRequest__Output } from './hubspot/crm/imports/v1/ImportRequest';
import type { ImportRow as _hubspot_crm_imports_v1_ImportRow, ImportRow__Output as _hubspot_crm_imports_v1_ImportRow__Output } from './hubspot/crm/imports/v1/ImportRow';
import type { ImportServiceClient as _hubspot_crm_imports_v1_ImportServiceClient, ImportServiceDefinition as _hubspot_crm_imports_v1_ImportServiceDefinition } from './hubspot/crm/imports/v1/ImportService';
import type { ImportTemplate as _hubspot_crm_imports_v1_ImportTemplate, ImportTemplate__Output as _hubspot_crm_imports_v1_ImportTemplate__Output } from './hubspot/crm/imports/v1/ImportTemplate';
import type { ListImportErrorsRequest as _hubspot_crm_imports_v1_ListImportErrorsRequest, ListImportErrorsRequest__Output as _hubspot_crm_imports_v1_ListImportErrorsRequest__Output } from './hubspot/crm/imports/v1/ListImportErrorsRequest';
import type { ListImportErrorsResponse as _hubspot_crm_imports_v1_ListImportErrorsResponse, ListImportErrorsResponse__Output as _hubspot_crm_imports_v1_ListImportErrorsResponse__Output } from './hubspot/crm/imports/v1/ListImportErrorsResponse';
import type { ListImportsRequest as _hubspot_crm_imports_v1_ListImportsRequest, ListImportsRequest__Output as _hubspot_crm_imports_v1_ListImportsRequest__Output } from './hubspot/crm/imports/v1/ListImportsRequest';
import type { ListImportsResponse as _hubspot_crm_imports_v1_ListImportsResponse, ListImportsResponse__Output as _hubspot_crm_imports_v1_ListImportsResponse__Output } from './hubspot/crm/imports/v1/ListImportsResponse';
import type { NextPage as _hubspot_crm_imports_v1_NextPage, NextPage__Output as _hubspot_crm_imports_v1_NextPage__Output } from './hubspot/crm/imports/v1/NextPage';
import type { ObjectList as _hubspot_crm_imports_v1_ObjectList, ObjectList__Output as _hubspot_crm_imports_v1_ObjectList__Output } from './hubspot/crm/imports/v1/ObjectList';
import type { Paging as _hubspot_crm_imports_v1_Paging, Paging__Output as _hubspot_crm_imports_v1_Paging__Output } from './hubspot/crm/imports/v1/Paging';
import type { PreviousPage as _hubspot_crm_imports_v1_PreviousPage, PreviousPage__Output as _hubspot_crm_imports_v1_PreviousPage__Output } from './hubspot/crm/imports/v1/PreviousPage';
import type { PropertyValue as _hubspot_crm_imports_v1_PropertyValue, PropertyValue__Output as _hubspot_crm_imports_v1_PropertyValue__Output } from './hubspot/crm/imports/v1/PropertyValue';
import type { StartImportHeader as _hubspot_crm_imports_v1_StartImportHeader, StartImportHeader__Output as _hubspot_crm_imports_v1_StartImportHeader__Output } from './hubspot/crm/imports/v1/StartImportHeader';
import type { StartImportRequest as _hubspot_crm_imports_v1_StartImportRequest, StartImportRequest__Output as _hubspot_crm_imports_v1_StartImportRequest__Output } from './hubspot/crm/imports/v1/StartImportRequest';
import type { UploadEnd as _hubspot_crm_imports_v1_UploadEnd, UploadEnd__Output as _hubspot_crm_imports_v1_UploadEnd__Output } from './hubspot/crm/imports/v1/UploadEnd';
import type { UploadFile as _hubspot_crm_imports_v1_UploadFile, UploadFile__Output as _hubspot_crm_imports_v1_UploadFile__Output } from './hubspot/crm/imports/v1/UploadFile';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      ListValue: MessageTypeDefinition<_google_protobuf_ListValue, _google_protobuf_ListValue__Output>
      NullValue: EnumTypeDefinition
      Struct: MessageTypeDefinition<_google_protobuf_Struct, _google_protobuf_Struct__Output>
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
      Value: MessageTypeDefinition<_google_protobuf_Value, _google_protobuf_Value__Output>
    }
  }
  hubspot: {
    crm: {
      imports: {
        v1: {
          ActionStatus: EnumTypeDefinition
          CancelImportRequest: MessageTypeDefinition<_hubspot_crm_imports_v1_CancelImportRequest, _hubspot_crm_imports_v1_CancelImportRequest__Output>
          CancelImportResponse: MessageTypeDefinition<_hubspot_crm_imports_v1_CancelImportResponse, _hubspot_crm_imports_v1_CancelImportResponse__Output>
          ColumnMapping: MessageTypeDefinition<_hubspot_crm_imports_v1_ColumnMapping, _hubspot_crm_imports_v1_ColumnMapping__Output>
          DataSensitivity: EnumTypeDefinition
          DateFormat: EnumTypeDefinition
          FileChunk: MessageTypeDefinition<_hubspot_crm_imports_v1_FileChunk, _hubspot_crm_imports_v1_FileChunk__Output>
          FileFormat: EnumTypeDefinition
          FileImportPage: MessageTypeDefinition<_hubspot_crm_imports_v1_FileImportPage, _hubspot_crm_imports_v1_FileImportPage__Output>
          ForeignKeyType: MessageTypeDefinition<_hubspot_crm_imports_v1_ForeignKeyType, _hubspot_crm_imports_v1_ForeignKeyType__Output>
          GetImportRequest: MessageTypeDefinition<_hubspot_crm_imports_v1_GetImportRequest, _hubspot_crm_imports_v1_GetImportRequest__Output>
          Import: MessageTypeDefinition<_hubspot_crm_imports_v1_Import, _hubspot_crm_imports_v1_Import__Output>
          ImportError: MessageTypeDefinition<_hubspot_crm_imports_v1_ImportError, _hubspot_crm_imports_v1_ImportError__Output>
          ImportErrorType: EnumTypeDefinition
          ImportFile: MessageTypeDefinition<_hubspot_crm_imports_v1_ImportFile, _hubspot_crm_imports_v1_ImportFile__Output>
          ImportMetadata: MessageTypeDefinition<_hubspot_crm_imports_v1_ImportMetadata, _hubspot_crm_imports_v1_ImportMetadata__Output>
          ImportOperation: EnumTypeDefinition
          ImportRequest: MessageTypeDefinition<_hubspot_crm_imports_v1_ImportRequest, _hubspot_crm_imports_v1_ImportRequest__Output>
          ImportRow: MessageTypeDefinition<_hubspot_crm_imports_v1_ImportRow, _hubspot_crm_imports_v1_ImportRow__Output>
          ImportService: SubtypeConstructor<typeof grpc.Client, _hubspot_crm_imports_v1_ImportServiceClient> & { service: _hubspot_crm_imports_v1_ImportServiceDefinition }
          ImportSource: EnumTypeDefinition
          ImportState: EnumTypeDefinition
          ImportTemplate: MessageTypeDefinition<_hubspot_crm_imports_v1_ImportTemplate, _hubspot_crm_imports_v1_ImportTemplate__Output>
          ImportTemplateType: EnumTypeDefinition
          ListImportErrorsRequest: MessageTypeDefinition<_hubspot_crm_imports_v1_ListImportErrorsRequest, _hubspot_crm_imports_v1_ListImportErrorsRequest__Output>
          ListImportErrorsResponse: MessageTypeDefinition<_hubspot_crm_imports_v1_ListImportErrorsResponse, _hubspot_crm_imports_v1_ListImportErrorsResponse__Output>
          ListImportsRequest: MessageTypeDefinition<_hubspot_crm_imports_v1_ListImportsRequest, _hubspot_crm_imports_v1_ListImportsRequest__Output>
          ListImportsResponse: MessageTypeDefinition<_hubspot_crm_imports_v1_ListImportsResponse, _hubspot_crm_imports_v1_ListImportsResponse__Output>
          NextPage: MessageTypeDefinition<_hubspot_crm_imports_v1_NextPage, _hubspot_crm_imports_v1_NextPage__Output>
          ObjectList: MessageTypeDefinition<_hubspot_crm_imports_v1_ObjectList, _hubspot_crm_imports_v1_ObjectList__Output>
          ObjectType: EnumTypeDefinition
          Paging: MessageTypeDefinition<_hubspot_crm_imports_v1_Paging, _hubspot_crm_imports_v1_Paging__Output>
          PreviousPage: MessageTypeDefinition<_hubspot_crm_imports_v1_PreviousPage, _hubspot_crm_imports_v1_PreviousPage__Output>
          PropertySource: EnumTypeDefinition
          PropertyValue: MessageTypeDefinition<_hubspot_crm_imports_v1_PropertyValue, _hubspot_crm_imports_v1_PropertyValue__Output>
          StartImportHeader: MessageTypeDefinition<_hubspot_crm_imports_v1_StartImportHeader, _hubspot_crm_imports_v1_StartImportHeader__Output>
          StartImportRequest: MessageTypeDefinition<_hubspot_crm_imports_v1_StartImportRequest, _hubspot_crm_imports_v1_StartImportRequest__Output>
          UploadEnd: MessageTypeDefinition<_hubspot_crm_imports_v1_UploadEnd, _hubspot_crm_imports_v1_UploadEnd__Output>
          UploadFile: MessageTypeDefinition<_hubspot_crm_imports_v1_UploadFile, _hubspot_crm_imports_v1_UploadFile__Output>
        }
      }
    }
  }
}

