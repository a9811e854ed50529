// Original file: proto/hubspot/crm/imports/v1/import_service.proto

import type { StartImportHeader as _hubspot_crm_imports_v1_StartImportHeader, StartImportHeader__Output as _hubspot_crm_imports_v1_StartImportHeader__Output } from '../../../../hubspot/crm/imports/v1/StartImportHeader';
import type { FileChunk as _hubspot_crm_imports_v1_FileChunk, FileChunk__Output as _hubspot_crm_imports_v1_FileChunk__Output } from '../../../../hubspot/crm/imports/v1/FileChunk';
import type { UploadEnd as _hubspot_crm_imports_v1_UploadEnd, UploadEnd__Output as _hubspot_crm_imports_v1_UploadEnd__Output } from '../../../../hubspot/crm/imports/v1/UploadEnd';

export interface StartImportRequest {
  'start'?: (_hubspot_crm_imports_v1_StartImportHeader | null);
  'chunk'?: (_hubspot_crm_imports_v1_FileChunk | null);
  'end'?: (_hubspot_crm_imports_v1_UploadEnd | null);
  'message'?: "start"|"chunk"|"end";
}

export interface StartImportRequest__Output {
  'start'?: (_hubspot_crm_imports_v1_StartImportHeader__Output | null);
  'chunk'?: (_hubspot_crm_imports_v1_FileChunk__Output | null);
  'end'?: (_hubspot_crm_imports_v1_UploadEnd__Output | null);
  'message'?: "start"|"chunk"|"end";
}
