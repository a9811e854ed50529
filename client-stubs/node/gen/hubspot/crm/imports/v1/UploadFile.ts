// Original file: proto/hubspot/crm/imports/v1/import_service.proto

import type { Long } from '@grpc/proto-loader';

export interface UploadFile {
  'fileName'?: (string);
  'contentType'?: (string);
  'sizeBytes'?: (number | string | Long);
  'sha256'?: (Buffer | Uint8Array | string);
  '_sizeBytes'?: "sizeBytes";
}

export interface UploadFile__Output {
  'fileName': (string);
  'contentType': (string);
  'sizeBytes'?: (string);
  'sha256': (Buffer);
  '_sizeBytes'?: "sizeBytes";
}
