// Original file: proto/hubspot/crm/imports/v1/import_service.proto

import type { ActionStatus as _hubspot_crm_imports_v1_ActionStatus, ActionStatus__Output as _hubspot_crm_imports_v1_ActionStatus__Output } from '../../../../hubspot/crm/imports/v1/ActionStatus';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../../google/protobuf/Timestamp';

export interface CancelImportResponse {
  'status'?: (_hubspot_crm_imports_v1_ActionStatus);
  'statusRaw'?: (string);
  'requestedAt'?: (_google_protobuf_Timestamp | null);
  'startedAt'?: (_google_protobuf_Timestamp | null);
  'completedAt'?: (_google_protobuf_Timestamp | null);
  'links'?: ({[key: string]: string});
}

export interface CancelImportResponse__Output {
  'status': (_hubspot_crm_imports_v1_ActionStatus__Output);
  'statusRaw': (string);
  'requestedAt': (_google_protobuf_Timestamp__Output | null);
  'startedAt': (_google_protobuf_Timestamp__Output | null);
  'completedAt': (_google_protobuf_Timestamp__Output | null);
  'links': ({[key: string]: string});
}
