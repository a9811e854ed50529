// Original file: proto/hubspot/crm/imports/v1/import_request.proto

export const FileFormat = {
  FILE_FORMAT_UNSPECIFIED: 'FILE_FORMAT_UNSPECIFIED',
  FILE_FORMAT_CSV: 'FILE_FORMAT_CSV',
  FILE_FORMAT_SPREADSHEET: 'FILE_FORMAT_SPREADSHEET',
} as const;

export type FileFormat =
  | 'FILE_FORMAT_UNSPECIFIED'
  | 0
  | 'FILE_FORMAT_CSV'
  | 1
  | 'FILE_FORMAT_SPREADSHEET'
  | 2

export type FileFormat__Output = typeof FileFormat[keyof typeof FileFormat]
