// Original file: proto/hubspot/crm/imports/v1/import_service.proto

import type { Import as _hubspot_crm_imports_v1_Import, Import__Output as _hubspot_crm_imports_v1_Import__Output } from '../../../../hubspot/crm/imports/v1/Import';
import type { Paging as _hubspot_crm_imports_v1_Paging, Paging__Output as _hubspot_crm_imports_v1_Paging__Output } from '../../../../hubspot/crm/imports/v1/Paging';

export interface ListImportsResponse {
  'results'?: (_hubspot_crm_imports_v1_Import)[];
  'paging'?: (_hubspot_crm_imports_v1_Paging | null);
}

export interface ListImportsResponse__Output {
  'results': (_hubspot_crm_imports_v1_Import__Output)[];
  'paging': (_hubspot_crm_imports_v1_Paging__Output | null);
}
