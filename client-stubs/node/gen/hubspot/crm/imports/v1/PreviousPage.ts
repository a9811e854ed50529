// Original file: proto/hubspot/crm/imports/v1/import.proto


export interface PreviousPage {
  'before'?: (string);
  'link'?: (string);
}

export interface PreviousPage__Output {
  'before': (string);
  'link': (string);
}
