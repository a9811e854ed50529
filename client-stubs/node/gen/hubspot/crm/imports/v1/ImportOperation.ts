// Original file: proto/hubspot/crm/imports/v1/import_request.proto

export const ImportOperation = {
  IMPORT_OPERATION_UNSPECIFIED: 'IMPORT_OPERATION_UNSPECIFIED',
  IMPORT_OPERATION_CREATE: 'IMPORT_OPERATION_CREATE',
  IMPORT_OPERATION_UPDATE: 'IMPORT_OPERATION_UPDATE',
  IMPORT_OPERATION_UPSERT: 'IMPORT_OPERATION_UPSERT',
} as const;

export type ImportOperation =
  | 'IMPORT_OPERATION_UNSPECIFIED'
  | 0
  | 'IMPORT_OPERATION_CREATE'
  | 1
  | 'IMPORT_OPERATION_UPDATE'
  | 2
  | 'IMPORT_OPERATION_UPSERT'
  | 3

export type ImportOperation__Output = typeof ImportOperation[keyof typeof ImportOperation]
