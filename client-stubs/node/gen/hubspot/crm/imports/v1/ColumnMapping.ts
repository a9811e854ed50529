// Original file: proto/hubspot/crm/imports/v1/import_request.proto

import type { ForeignKeyType as _hubspot_crm_imports_v1_ForeignKeyType, ForeignKeyType__Output as _hubspot_crm_imports_v1_ForeignKeyType__Output } from '../../../../hubspot/crm/imports/v1/ForeignKeyType';

export interface ColumnMapping {
  'columnName'?: (string);
  'columnObjectTypeId'?: (string);
  'propertyName'?: (string);
  'columnType'?: (string);
  'idColumnType'?: (string);
  'toColumnObjectTypeId'?: (string);
  'foreignKeyType'?: (_hubspot_crm_imports_v1_ForeignKeyType | null);
  'associationIdentifierColumn'?: (boolean);
}

export interface ColumnMapping__Output {
  'columnName': (string);
  'columnObjectTypeId': (string);
  'propertyName': (string);
  'columnType': (string);
  'idColumnType': (string);
  'toColumnObjectTypeId': (string);
  'foreignKeyType': (_hubspot_crm_imports_v1_ForeignKeyType__Output | null);
  'associationIdentifierColumn': (boolean);
}
