// Original file: proto/hubspot/crm/imports/v1/import_service.proto

import type { ImportRequest as _hubspot_crm_imports_v1_ImportRequest, ImportRequest__Output as _hubspot_crm_imports_v1_ImportRequest__Output } from '../../../../hubspot/crm/imports/v1/ImportRequest';
import type { UploadFile as _hubspot_crm_imports_v1_UploadFile, UploadFile__Output as _hubspot_crm_imports_v1_UploadFile__Output } from '../../../../hubspot/crm/imports/v1/UploadFile';

export interface StartImportHeader {
  'importRequestJson'?: (string);
  'request'?: (_hubspot_crm_imports_v1_ImportRequest | null);
  'files'?: (_hubspot_crm_imports_v1_UploadFile)[];
  'idempotencyKey'?: (string);
  'importRequest'?: "importRequestJson"|"request";
}

export interface StartImportHeader__Output {
  'importRequestJson'?: (string);
  'request'?: (_hubspot_crm_imports_v1_ImportRequest__Output | null);
  'files': (_hubspot_crm_imports_v1_UploadFile__Output)[];
  'idempotencyKey': (string);
  'importRequest'?: "importRequestJson"|"request";
}
