import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { ColumnMapping as _hubspot_crm_imports_v1_ColumnMapping, ColumnMapping__Output as _hubspot_crm_imports_v1_ColumnMapping__Output } from './hubspot/crm/imports/v1/ColumnMapping';
import type { FileImportPage as _hubspot_crm_imports_v1_FileImportPage, FileImportPage__Output as _hubspot_crm_imports_v1_FileImportPage__Output } from './hubspot/crm/imports/v1/FileImportPage';
import type { ForeignKeyType as _hubspot_crm_imports_v1_ForeignKeyType, ForeignKeyType__Output as _hubspot_crm_imports_v1_ForeignKeyType__Output } from './hubspot/crm/imports/v1/ForeignKeyType';
import type { ImportFile as _hubspot_crm_imports_v1_ImportFile, ImportFile__Output as _hubspot_crm_imports_v1_ImportFile__Output } from './hubspot/crm/imports/v1/ImportFile';
import type { ImportRequest as _hubspot_crm_imports_v1_ImportRequest, ImportRequest__Output as _hubspot_crm_imports_v1_ImportRequest__Output } from './hubspot/crm/imports/v1/ImportRequest';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  hubspot: {
    crm: {
      imports: {
        v1: {
          ColumnMapping: MessageTypeDefinition<_hubspot_crm_imports_v1_ColumnMapping, _hubspot_crm_imports_v1_ColumnMapping__Output>
          DateFormat: EnumTypeDefinition
          FileFormat: EnumTypeDefinition
          FileImportPage: MessageTypeDefinition<_hubspot_crm_imports_v1_FileImportPage, _hubspot_crm_imports_v1_FileImportPage__Output>
          ForeignKeyType: MessageTypeDefinition<_hubspot_crm_imports_v1_ForeignKeyType, _hubspot_crm_imports_v1_ForeignKeyType__Output>
          ImportFile: MessageTypeDefinition<_hubspot_crm_imports_v1_ImportFile, _hubspot_crm_imports_v1_ImportFile__Output>
          ImportOperation: EnumTypeDefinition
          ImportRequest: MessageTypeDefinition<_hubspot_crm_imports_v1_ImportRequest, _hubspot_crm_imports_v1_ImportRequest__Output>
        }
      }
    }
  }
}

