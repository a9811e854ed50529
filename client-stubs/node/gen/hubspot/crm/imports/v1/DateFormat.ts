// Original file: proto/hubspot/crm/imports/v1/import_request.proto

export const DateFormat = {
  DATE_FORMAT_UNSPECIFIED: 'DATE_FORMAT_UNSPECIFIED',
  DATE_FORMAT_MONTH_DAY_YEAR: 'DATE_FORMAT_MONTH_DAY_YEAR',
  DATE_FORMAT_DAY_MONTH_YEAR: 'DATE_FORMAT_DAY_MONTH_YEAR',
  DATE_FORMAT_YEAR_MONTH_DAY: 'DATE_FORMAT_YEAR_MONTH_DAY',
} as const;

export type DateFormat =
  | 'DATE_FORMAT_UNSPECIFIED'
  | 0
  | 'DATE_FORMAT_MONTH_DAY_YEAR'
  | 1
  | 'DATE_FORMAT_DAY_MONTH_YEAR'
  | 2
  | 'DATE_FORMAT_YEAR_MONTH_DAY'
  | 3

export type DateFormat__Output = typeof DateFormat[keyof typeof DateFormat]
