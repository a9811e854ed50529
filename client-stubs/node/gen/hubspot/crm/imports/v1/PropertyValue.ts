// Original file: proto/hubspot/crm/imports/v1/import_error.proto

import type { PropertySource as _hubspot_crm_imports_v1_PropertySource, PropertySource__Output as _hubspot_crm_imports_v1_PropertySource__Output } from '../../../../hubspot/crm/imports/v1/PropertySource';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../../google/protobuf/Timestamp';
import type { DataSensitivity as _hubspot_crm_imports_v1_DataSensitivity, DataSensitivity__Output as _hubspot_crm_imports_v1_DataSensitivity__Output } from '../../../../hubspot/crm/imports/v1/DataSensitivity';
import type { Long } from '@grpc/proto-loader';

export interface PropertyValue {
  'name'?: (string);
  'value'?: (string);
  'source'?: (_hubspot_crm_imports_v1_PropertySource);
  'sourceRaw'?: (string);
  'sourceId'?: (string);
  'sourceLabel'?: (string);
  'sourceMetadata'?: (string);
  'sourceVid'?: (number | string | Long)[];
  'requestId'?: (string);
  'unit'?: (string);
  'timestamp'?: (_google_protobuf_Timestamp | null);
  'persistenceTimestamp'?: (_google_protobuf_Timestamp | null);
  'selectedByUserTimestamp'?: (_google_protobuf_Timestamp | null);
  'useTimestampAsPersistenceTimestamp'?: (boolean);
  'selectedByUser'?: (boolean);
  'updatedByUserId'?: (number);
  'isEncrypted'?: (boolean);
  'isLargeValue'?: (boolean);
  'dataSensitivity'?: (_hubspot_crm_imports_v1_DataSensitivity);
  'dataSensitivityRaw'?: (string);
}

export interface PropertyValue__Output {
  'name': (string);
  'value': (string);
  'source': (_hubspot_crm_imports_v1_PropertySource__Output);
  'sourceRaw': (string);
  'sourceId': (string);
  'sourceLabel': (string);
  'sourceMetadata': (string);
  'sourceVid': (string)[];
  'requestId': (string);
  'unit': (string);
  'timestamp': (_google_protobuf_Timestamp__Output | null);
  'persistenceTimestamp': (_google_protobuf_Timestamp__Output | null);
  'selectedByUserTimestamp': (_google_protobuf_Timestamp__Output | null);
  'useTimestampAsPersistenceTimestamp': (boolean);
  'selectedByUser': (boolean);
  'updatedByUserId': (number);
  'isEncrypted': (boolean);
  'isLargeValue': (boolean);
  'dataSensitivity': (_hubspot_crm_imports_v1_DataSensitivity__Output);
  'dataSensitivityRaw': (string);
}
