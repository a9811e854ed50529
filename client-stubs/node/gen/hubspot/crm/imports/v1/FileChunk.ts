// Original file: proto/hubspot/crm/imports/v1/import_service.proto


export interface FileChunk {
  'fileIndex'?: (number);
  'data'?: (Buffer | Uint8Array | string);
}

export interface FileChunk__Output {
  'fileIndex': (number);
  'data': (Buffer);
}
