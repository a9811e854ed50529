// Original file: proto/hubspot/crm/imports/v1/import_service.proto

export const ActionStatus = {
  ACTION_STATUS_UNSPECIFIED: 'ACTION_STATUS_UNSPECIFIED',
  ACTION_STATUS_PENDING: 'ACTION_STATUS_PENDING',
  ACTION_STATUS_PROCESSING: 'ACTION_STATUS_PROCESSING',
  ACTION_STATUS_CANCELED: 'ACTION_STATUS_CANCELED',
  ACTION_STATUS_COMPLETE: 'ACTION_STATUS_COMPLETE',
} as const;

export type ActionStatus =
  | 'ACTION_STATUS_UNSPECIFIED'
  | 0
  | 'ACTION_STATUS_PENDING'
  | 1
  | 'ACTION_STATUS_PROCESSING'
  | 2
  | 'ACTION_STATUS_CANCELED'
  | 3
  | 'ACTION_STATUS_COMPLETE'
  | 4

export type ActionStatus__Output = typeof ActionStatus[keyof typeof ActionStatus]
