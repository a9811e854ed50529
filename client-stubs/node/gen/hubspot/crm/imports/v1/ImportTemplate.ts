// Original file: proto/hubspot/crm/imports/v1/import.proto

import type { ImportTemplateType as _hubspot_crm_imports_v1_ImportTemplateType, ImportTemplateType__Output as _hubspot_crm_imports_v1_ImportTemplateType__Output } from '../../../../hubspot/crm/imports/v1/ImportTemplateType';

export interface ImportTemplate {
  'templateId'?: (number);
  'templateType'?: (_hubspot_crm_imports_v1_ImportTemplateType);
  'templateTypeRaw'?: (string);
}

export interface ImportTemplate__Output {
  'templateId': (number);
  'templateType': (_hubspot_crm_imports_v1_ImportTemplateType__Output);
  'templateTypeRaw': (string);
}
