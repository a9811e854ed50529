// Original file: proto/hubspot/crm/imports/v1/import_service.proto

import type { Long } from '@grpc/proto-loader';

export interface CancelImportRequest {
  'importId'?: (number | string | Long);
}

export interface CancelImportRequest__Output {
  'importId': (string);
}
