// Original file: proto/hubspot/crm/imports/v1/import.proto

import type { NextPage as _hubspot_crm_imports_v1_NextPage, NextPage__Output as _hubspot_crm_imports_v1_NextPage__Output } from '../../../../hubspot/crm/imports/v1/NextPage';
import type { PreviousPage as _hubspot_crm_imports_v1_PreviousPage, PreviousPage__Output as _hubspot_crm_imports_v1_PreviousPage__Output } from '../../../../hubspot/crm/imports/v1/PreviousPage';

export interface Paging {
  'next'?: (_hubspot_crm_imports_v1_NextPage | null);
  'prev'?: (_hubspot_crm_imports_v1_PreviousPage | null);
}

export interface Paging__Output {
  'next': (_hubspot_crm_imports_v1_NextPage__Output | null);
  'prev': (_hubspot_crm_imports_v1_PreviousPage__Output | null);
}
