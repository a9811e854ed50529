import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { ListValue as _google_protobuf_ListValue, ListValue__Output as _google_protobuf_ListValue__Output } from './google/protobuf/ListValue';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from './google/protobuf/Struct';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from './google/protobuf/Value';
import type { Import as _hubspot_crm_imports_v1_Import, Import__Output as _hubspot_crm_imports_v1_Import__Output } from './hubspot/crm/imports/v1/Import';
import type { ImportMetadata as _hubspot_crm_imports_v1_ImportMetadata, ImportMetadata__Output as _hubspot_crm_imports_v1_ImportMetadata__Output } from './hubspot/crm/imports/v1/ImportMetadata';
import type { ImportTemplate as _hubspot_crm_imports_v1_ImportTemplate, ImportTemplate__Output as _hubspot_crm_imports_v1_ImportTemplate__Output } from './hubspot/crm/imports/v1/ImportTemplate';
import type { NextPage as _hubspot_crm_imports_v1_NextPage, NextPage__Output as _hubspot_crm_imports_v1_NextPage__Output } from './hubspot/crm/imports/v1/NextPage';
import type { ObjectList as _hubspot_crm_imports_v1_ObjectList, ObjectList__Output as _hubspot_crm_imports_v1_ObjectList__Output } from './hubspot/crm/imports/v1/ObjectList';
import type { Paging as _hubspot_crm_imports_v1_Paging, Paging__Output as _hubspot_crm_imports_v1_Paging__Output } from './hubspot/crm/imports/v1/Paging';
import type { PreviousPage as _hubspot_crm_imports_v1_PreviousPage, PreviousPage__Output as _hubspot_crm_imports_v1_PreviousPage__Output } from './hubspot/crm/imports/v1/PreviousPage';

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
          Import: MessageTypeDefinition<_hubspot_crm_imports_v1_Import, _hubspot_crm_imports_v1_Import__Output>
          ImportMetadata: MessageTypeDefinition<_hubspot_crm_imports_v1_ImportMetadata, _hubspot_crm_imports_v1_ImportMetadata__Output>
          ImportSource: EnumTypeDefinition
          ImportState: EnumTypeDefinition
          ImportTemplate: MessageTypeDefinition<_hubspot_crm_imports_v1_ImportTemplate, _hubspot_crm_imports_v1_ImportTemplate__Output>
          ImportTemplateType: EnumTypeDefinition
          NextPage: MessageTypeDefinition<_hubspot_crm_imports_v1_NextPage, _hubspot_crm_imports_v1_NextPage__Output>
          ObjectList: MessageTypeDefinition<_hubspot_crm_imports_v1_ObjectList, _hubspot_crm_imports_v1_ObjectList__Output>
          Paging: MessageTypeDefinition<_hubspot_crm_imports_v1_Paging, _hubspot_crm_imports_v1_Paging__Output>
          PreviousPage: MessageTypeDefinition<_hubspot_crm_imports_v1_PreviousPage, _hubspot_crm_imports_v1_PreviousPage__Output>
        }
      }
    }
  }
}

