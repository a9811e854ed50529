// Original file: proto/hubspot/crm/imports/v1/hubspot_error.proto

import type { StringList as _hubspot_crm_imports_v1_StringList, StringList__Output as _hubspot_crm_imports_v1_StringList__Output } from '../../../../hubspot/crm/imports/v1/StringList';

export interface HubSpotErrorDetail {
  'message'?: (string);
  'code'?: (string);
  'in'?: (string);
  'subCategory'?: (string);
  'context'?: ({[key: string]: _hubspot_crm_imports_v1_StringList});
}

export interface HubSpotErrorDetail__Output {
  'message': (string);
  'code': (string);
  'in': (string);
  'subCategory': (string);
  'context': ({[key: string]: _hubspot_crm_imports_v1_StringList__Output});
}
