// Original file: proto/hubspot/crm/imports/v1/import_request.proto


export interface ForeignKeyType {
  'associationTypeId'?: (number);
  'associationCategory'?: (string);
}

export interface ForeignKeyType__Output {
  'associationTypeId': (number);
  'associationCategory': (string);
}
