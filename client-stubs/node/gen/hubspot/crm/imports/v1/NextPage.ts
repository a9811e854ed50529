// Original file: proto/hubspot/crm/imports/v1/import.proto


export interface NextPage {
  'after'?: (string);
  'link'?: (string);
}

export interface NextPage__Output {
  'after': (string);
  'link': (string);
}
