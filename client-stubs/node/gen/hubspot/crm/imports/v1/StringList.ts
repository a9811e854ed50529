// Original file: proto/hubspot/crm/imports/v1/hubspot_error.proto


export interface StringList {
  'values'?: (string)[];
}

export interface StringList__Output {
  'values': (string)[];
}
