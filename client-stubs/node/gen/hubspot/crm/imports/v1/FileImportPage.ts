// Original file: proto/hubspot/crm/imports/v1/import_request.proto

import type { ColumnMapping as _hubspot_crm_imports_v1_ColumnMapping, ColumnMapping__Output as _hubspot_crm_imports_v1_ColumnMapping__Output } from '../../../../hubspot/crm/imports/v1/ColumnMapping';

export interface FileImportPage {
  'hasHeader'?: (boolean);
  'columnMappings'?: (_hubspot_crm_imports_v1_ColumnMapping)[];
}

export interface FileImportPage__Output {
  'hasHeader': (boolean);
  'columnMappings': (_hubspot_crm_imports_v1_ColumnMapping__Output)[];
}
