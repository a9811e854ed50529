// Original file: proto/hubspot/crm/imports/v1/import_service.proto

import type { Long } from '@grpc/proto-loader';

export interface GetImportRequest {
  'importId'?: (number | string | Long);
}

export interface GetImportRequest__Output {
  'importId': (string);
}
