// Original file: proto/hubspot/crm/imports/v1/import_error.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../../google/protobuf/Timestamp';
import type { ImportErrorType as _hubspot_crm_imports_v1_ImportErrorType, ImportErrorType__Output as _hubspot_crm_imports_v1_ImportErrorType__Output } from '../../../../hubspot/crm/imports/v1/ImportErrorType';
import type { ObjectType as _hubspot_crm_imports_v1_ObjectType, ObjectType__Output as _hubspot_crm_imports_v1_ObjectType__Output } from '../../../../hubspot/crm/imports/v1/ObjectType';
import type { ImportRow as _hubspot_crm_imports_v1_ImportRow, ImportRow__Output as _hubspot_crm_imports_v1_ImportRow__Output } from '../../../../hubspot/crm/imports/v1/ImportRow';
import type { PropertyValue as _hubspot_crm_imports_v1_PropertyValue, PropertyValue__Output as _hubspot_crm_imports_v1_PropertyValue__Output } from '../../../../hubspot/crm/imports/v1/PropertyValue';

export interface ImportError {
  'id'?: (string);
  'createdAt'?: (_google_protobuf_Timestamp | null);
  'errorType'?: (_hubspot_crm_imports_v1_ImportErrorType);
  'errorTypeRaw'?: (string);
  'objectType'?: (_hubspot_crm_imports_v1_ObjectType);
  'objectTypeRaw'?: (string);
  'objectTypeId'?: (string);
  'errorMessage'?: (string);
  'invalidValue'?: (string);
  'invalidValueToDisplay'?: (string);
  'extraContext'?: (string);
  'knownColumnNumber'?: (number);
  'sourceData'?: (_hubspot_crm_imports_v1_ImportRow | null);
  'invalidPropertyValue'?: (_hubspot_crm_imports_v1_PropertyValue | null);
}

export interface ImportError__Output {
  'id': (string);
  'createdAt': (_google_protobuf_Timestamp__Output | null);
  'errorType': (_hubspot_crm_imports_v1_ImportErrorType__Output);
  'errorTypeRaw': (string);
  'objectType': (_hubspot_crm_imports_v1_ObjectType__Output);
  'objectTypeRaw': (string);
  'objectTypeId': (string);
  'errorMessage': (string);
  'invalidValue': (string);
  'invalidValueToDisplay': (string);
  'extraContext': (string);
  'knownColumnNumber': (number);
  'sourceData': (_hubspot_crm_imports_v1_ImportRow__Output | null);
  'invalidPropertyValue': (_hubspot_crm_imports_v1_PropertyValue__Output | null);
}
