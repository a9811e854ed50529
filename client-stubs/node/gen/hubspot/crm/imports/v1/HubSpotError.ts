// Original file: proto/hubspot/crm/imports/v1/hubspot_error.proto

import type { StringList as _hubspot_crm_imports_v1_StringList, StringList__Output as _hubspot_crm_imports_v1_StringList__Output } from '../../../../hubspot/crm/imports/v1/StringList';
import type { HubSpotErrorDetail as _hubspot_crm_imports_v1_HubSpotErrorDetail, HubSpotErrorDetail__Output as _hubspot_crm_imports_v1_HubSpotErrorDetail__Output } from '../../../../hubspot/crm/imports/v1/HubSpotErrorDetail';

export interface HubSpotError {
  'httpStatus'?: (number);
  'message'?: (string);
  'category'?: (string);
  'subCategory'?: (string);
  'correlationId'?: (string);
  'context'?: ({[key: string]: _hubspot_crm_imports_v1_StringList});
  'links'?: ({[key: string]: string});
  'errors'?: (_hubspot_crm_imports_v1_HubSpotErrorDetail)[];
  'policyName'?: (string);
}

export interface HubSpotError__Output {
  'httpStatus': (number);
  'message': (string);
  'category': (string);
  'subCategory': (string);
  'correlationId': (string);
  'context': ({[key: string]: _hubspot_crm_imports_v1_StringList__Output});
  'links': ({[key: string]: string});
  'errors': (_hubspot_crm_imports_v1_HubSpotErrorDetail__Output)[];
  'policyName': (string);
}
