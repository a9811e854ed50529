// Original file: proto/hubspot/crm/imports/v1/import_request.proto

import type { ImportOperation as _hubspot_crm_imports_v1_ImportOperation, ImportOperation__Output as _hubspot_crm_imports_v1_ImportOperation__Output } from '../../../../hubspot/crm/imports/v1/ImportOperation';
import type { DateFormat as _hubspot_crm_imports_v1_DateFormat, DateFormat__Output as _hubspot_crm_imports_v1_DateFormat__Output } from '../../../../hubspot/crm/imports/v1/DateFormat';
import type { ImportFile as _hubspot_crm_imports_v1_ImportFile, ImportFile__Output as _hubspot_crm_imports_v1_ImportFile__Output } from '../../../../hubspot/crm/imports/v1/ImportFile';

export interface ImportRequest {
  'name'?: (string);
  'importOperations'?: ({[key: string]: _hubspot_crm_imports_v1_ImportOperation});
  'dateFormat'?: (_hubspot_crm_imports_v1_DateFormat);
  'marketableContactImport'?: (boolean);
  'createContactListFromImport'?: (boolean);
  'files'?: (_hubspot_crm_imports_v1_ImportFile)[];
  '_marketableContactImport'?: "marketableContactImport";
  '_createContactListFromImport'?: "createContactListFromImport";
}

export interface ImportRequest__Output {
  'name': (string);
  'importOperations': ({[key: string]: _hubspot_crm_imports_v1_ImportOperation__Output});
  'dateFormat': (_hubspot_crm_imports_v1_DateFormat__Output);
  'marketableContactImport'?: (boolean);
  'createContactListFromImport'?: (boolean);
  'files': (_hubspot_crm_imports_v1_ImportFile__Output)[];
  '_marketableContactImport'?: "marketableContactImport";
  '_createContactListFromImport'?: "createContactListFromImport";
}
