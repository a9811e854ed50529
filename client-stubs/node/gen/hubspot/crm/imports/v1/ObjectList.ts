// Original file: proto/hubspot/crm/imports/v1/import.proto


export interface ObjectList {
  'listId'?: (string);
  'objectType'?: (string);
}

export interface ObjectList__Output {
  'listId': (string);
  'objectType': (string);
}
