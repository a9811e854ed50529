// Original file: proto/hubspot/crm/imports/v1/import.proto

import type { ImportState as _hubspot_crm_imports_v1_ImportState, ImportState__Output as _hubspot_crm_imports_v1_ImportState__Output } from '../../../../hubspot/crm/imports/v1/ImportState';
import type { ImportSource as _hubspot_crm_imports_v1_ImportSource, ImportSource__Output as _hubspot_crm_imports_v1_ImportSource__Output } from '../../../../hubspot/crm/imports/v1/ImportSource';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../../google/protobuf/Timestamp';
import type { ImportMetadata as _hubspot_crm_imports_v1_ImportMetadata, ImportMetadata__Output as _hubspot_crm_imports_v1_ImportMetadata__Output } from '../../../../hubspot/crm/imports/v1/ImportMetadata';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../../../google/protobuf/Struct';
import type { ImportTemplate as _hubspot_crm_imports_v1_ImportTemplate, ImportTemplate__Output as _hubspot_crm_imports_v1_ImportTemplate__Output } from '../../../../hubspot/crm/imports/v1/ImportTemplate';
import type { Long } from '@grpc/proto-loader';

export interface Import {
  'id'?: (number | string | Long);
  'state'?: (_hubspot_crm_imports_v1_ImportState);
  'stateRaw'?: (string);
  'importName'?: (string);
  'importSource'?: (_hubspot_crm_imports_v1_ImportSource);
  'importSourceRaw'?: (string);
  'createdAt'?: (_google_protobuf_Timestamp | null);
  'updatedAt'?: (_google_protobuf_Timestamp | null);
  'metadata'?: (_hubspot_crm_imports_v1_ImportMetadata | null);
  'importRequestJson'?: (_google_protobuf_Struct | null);
  'optOutImport'?: (boolean);
  'mappedObjectTypeIds'?: (string)[];
  'importTemplate'?: (_hubspot_crm_imports_v1_ImportTemplate | null);
}

export interface Import__Output {
  'id': (string);
  'state': (_hubspot_crm_imports_v1_ImportState__Output);
  'stateRaw': (string);
  'importName': (string);
  'importSource': (_hubspot_crm_imports_v1_ImportSource__Output);
  'importSourceRaw': (string);
  'createdAt': (_google_protobuf_Timestamp__Output | null);
  'updatedAt': (_google_protobuf_Timestamp__Output | null);
  'metadata': (_hubspot_crm_imports_v1_ImportMetadata__Output | null);
  'importRequestJson': (_google_protobuf_Struct__Output | null);
  'optOutImport': (boolean);
  'mappedObjectTypeIds': (string)[];
  'importTemplate': (_hubspot_crm_imports_v1_ImportTemplate__Output | null);
}
