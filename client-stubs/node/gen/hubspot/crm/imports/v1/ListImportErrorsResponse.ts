// Original file: proto/hubspot/crm/imports/v1/import_service.proto

import type { ImportError as _hubspot_crm_imports_v1_ImportError, ImportError__Output as _hubspot_crm_imports_v1_ImportError__Output } from '../../../../hubspot/crm/imports/v1/ImportError';
import type { Paging as _hubspot_crm_imports_v1_Paging, Paging__Output as _hubspot_crm_imports_v1_Paging__Output } from '../../../../hubspot/crm/imports/v1/Paging';

export interface ListImportErrorsResponse {
  'results'?: (_hubspot_crm_imports_v1_ImportError)[];
  'paging'?: (_hubspot_crm_imports_v1_Paging | null);
}

export interface ListImportErrorsResponse__Output {
  'results': (_hubspot_crm_imports_v1_ImportError__Output)[];
  'paging': (_hubspot_crm_imports_v1_Paging__Output | null);
}
