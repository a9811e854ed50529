// Original file: proto/hubspot/crm/imports/v1/import.proto

import type { ObjectList as _hubspot_crm_imports_v1_ObjectList, ObjectList__Output as _hubspot_crm_imports_v1_ObjectList__Output } from '../../../../hubspot/crm/imports/v1/ObjectList';
import type { Long } from '@grpc/proto-loader';

export interface ImportMetadata {
  'counters'?: ({[key: string]: number | string | Long});
  'fileIds'?: (string)[];
  'objectLists'?: (_hubspot_crm_imports_v1_ObjectList)[];
}

export interface ImportMetadata__Output {
  'counters': ({[key: string]: string});
  'fileIds': (string)[];
  'objectLists': (_hubspot_crm_imports_v1_ObjectList__Output)[];
}
