import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { ImportError as _hubspot_crm_imports_v1_ImportError, ImportError__Output as _hubspot_crm_imports_v1_ImportError__Output } from './hubspot/crm/imports/v1/ImportError';
import type { ImportRow as _hubspot_crm_imports_v1_ImportRow, ImportRow__Output as _hubspot_crm_imports_v1_ImportRow__Output } from './hubspot/crm/imports/v1/ImportRow';
import type { PropertyValue as _hubspot_crm_imports_v1_PropertyValue, PropertyValue__Output as _hubspot_crm_imports_v1_PropertyValue__Output } from './hubspot/crm/imports/v1/PropertyValue';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
  hubspot: {
    crm: {
      imports: {
        v1: {
          DataSensitivity: EnumTypeDefinition
          ImportError: MessageTypeDefinition<_hubspot_crm_imports_v1_ImportError, _hubspot_crm_imports_v1_ImportError__Output>
          ImportErrorType: EnumTypeDefinition
          ImportRow: MessageTypeDefinition<_hubspot_crm_imports_v1_ImportRow, _hubspot_crm_imports_v1_ImportRow__Output>
          ObjectType: EnumTypeDefinition
          PropertySource: EnumTypeDefinition
          PropertyValue: MessageTypeDefinition<_hubspot_crm_imports_v1_PropertyValue, _hubspot_crm_imports_v1_PropertyValue__Output>
        }
      }
    }
  }
}

