// Original file: proto/hubspot/crm/imports/v1/import_service.proto


export interface ListImportsRequest {
  'after'?: (string);
  'before'?: (string);
  'limit'?: (number);
}

export interface ListImportsRequest__Output {
  'after': (string);
  'before': (string);
  'limit': (number);
}
