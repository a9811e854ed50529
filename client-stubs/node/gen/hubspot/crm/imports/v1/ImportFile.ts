// Original file: proto/hubspot/crm/imports/v1/import_request.proto

import type { FileFormat as _hubspot_crm_imports_v1_FileFormat, FileFormat__Output as _hubspot_crm_imports_v1_FileFormat__Output } from '../../../../hubspot/crm/imports/v1/FileFormat';
import type { FileImportPage as _hubspot_crm_imports_v1_FileImportPage, FileImportPage__Output as _hubspot_crm_imports_v1_FileImportPage__Output } from '../../../../hubspot/crm/imports/v1/FileImportPage';

export interface ImportFile {
  'fileName'?: (string);
  'fileFormat'?: (_hubspot_crm_imports_v1_FileFormat);
  'fileImportPage'?: (_hubspot_crm_imports_v1_FileImportPage | null);
}

export interface ImportFile__Output {
  'fileName': (string);
  'fileFormat': (_hubspot_crm_imports_v1_FileFormat__Output);
  'fileImportPage': (_hubspot_crm_imports_v1_FileImportPage__Output | null);
}
