// Original file: proto/hubspot/crm/imports/v1/import_error.proto

export const DataSensitivity = {
  DATA_SENSITIVITY_UNSPECIFIED: 'DATA_SENSITIVITY_UNSPECIFIED',
  DATA_SENSITIVITY_NONE: 'DATA_SENSITIVITY_NONE',
  DATA_SENSITIVITY_STANDARD: 'DATA_SENSITIVITY_STANDARD',
  DATA_SENSITIVITY_HIGH: 'DATA_SENSITIVITY_HIGH',
} as const;

export type DataSensitivity =
  | 'DATA_SENSITIVITY_UNSPECIFIED'
  | 0
  | 'DATA_SENSITIVITY_NONE'
  | 1
  | 'DATA_SENSITIVITY_STANDARD'
  | 2
  | 'DATA_SENSITIVITY_HIGH'
  | 3

export type DataSensitivity__Output = typeof DataSensitivity[keyof typeof DataSensitivity]
