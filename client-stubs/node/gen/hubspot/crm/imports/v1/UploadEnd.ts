// Original file: proto/hubspot/crm/imports/v1/import_service.proto


export interface UploadEnd {
}

export interface UploadEnd__Output {
}
