// Original file: proto/hubspot/crm/imports/v1/import_service.proto

import type { Long } from '@grpc/proto-loader';

export interface ListImportErrorsRequest {
  'importId'?: (number | string | Long);
  'after'?: (string);
  'limit'?: (number);
  'includeErrorMessage'?: (boolean);
  'includeRowData'?: (boolean);
  '_includeErrorMessage'?: "includeErrorMessage";
  '_includeRowData'?: "includeRowData";
}

export interface ListImportErrorsRequest__Output {
  'importId': (string);
  'after': (string);
  'limit': (number);
  'includeErrorMessage'?: (boolean);
  'includeRowData'?: (boolean);
  '_includeErrorMessage'?: "includeErrorMessage";
  '_includeRowData'?: "includeRowData";
}
