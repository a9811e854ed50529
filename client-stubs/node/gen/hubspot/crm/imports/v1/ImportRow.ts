// Original file: proto/hubspot/crm/imports/v1/import_error.proto


export interface ImportRow {
  'rowData'?: (string)[];
  'lineNumber'?: (number);
  'pageName'?: (string);
  'fileId'?: (number);
  'containsEncryptedProperties'?: (boolean);
}

export interface ImportRow__Output {
  'rowData': (string)[];
  'lineNumber': (number);
  'pageName': (string);
  'fileId': (number);
  'containsEncryptedProperties': (boolean);
}
