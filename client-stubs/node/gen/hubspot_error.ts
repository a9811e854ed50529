import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { HubSpotError as _hubspot_crm_imports_v1_HubSpotError, HubSpotError__Output as _hubspot_crm_imports_v1_HubSpotError__Output } from './hubspot/crm/imports/v1/HubSpotError';
import type { HubSpotErrorDetail as _hubspot_crm_imports_v1_HubSpotErrorDetail, HubSpotErrorDetail__Output as _hubspot_crm_imports_v1_HubSpotErrorDetail__Output } from './hubspot/crm/imports/v1/HubSpotErrorDetail';
import type { StringList as _hubspot_crm_imports_v1_StringList, StringList__Output as _hubspot_crm_imports_v1_StringList__Output } from './hubspot/crm/imports/v1/StringList';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  hubspot: {
    crm: {
      imports: {
        v1: {
          HubSpotError: MessageTypeDefinition<_hubspot_crm_imports_v1_HubSpotError, _hubspot_crm_imports_v1_HubSpotError__Output>
          HubSpotErrorDetail: MessageTypeDefinition<_hubspot_crm_imports_v1_HubSpotErrorDetail, _hubspot_crm_imports_v1_HubSpotErrorDetail__Output>
          StringList: MessageTypeDefinition<_hubspot_crm_imports_v1_StringList, _hubspot_crm_imports_v1_StringList__Output>
        }
      }
    }
  }
}

