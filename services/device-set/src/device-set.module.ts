import { Module } from '@nestjs/common';
import { provideUnitOfWork } from '@fleetjobs/runtime';
import { DeviceSetOutbox } from './device-set.outbox';
import { DEVICE_SET_SCHEMA } from './device-set.schema';
import { DeviceSetCommandsHandler } from './device-sets/device-set-commands.handler';
import { DeviceSetsHttpController } from './device-sets/device-sets.http.controller';
import { MemberIdsHttpController } from './device-sets/member-ids.http.controller';
import { DeviceCommandsHandler } from './devices/device-commands.handler';
import { DevicesHttpController } from './devices/devices.http.controller';
import { ImportDevicesHandler } from './devices/import-devices.handler';
import { HUB_SYNC_CONFIG, hubSyncConfigFromEnv } from './hub-sync/hub-sync.config';
import { HubSyncConsumer } from './hub-sync/hub-sync.consumer';
import { SyncDevicesToHubHandler } from './hub-sync/sync-devices-to-hub.handler';
import { CheckJobDefinitionHandler } from './job-definitions/check-job-definition.handler';
import { JobDefinitionChecksHttpController } from './job-definitions/job-definition-checks.http.controller';
import { JobTargetsConsumer } from './targets/job-targets.consumer';
import { ResolveJobTargetsHandler } from './targets/resolve-job-targets.handler';
import { TemplateCommandsHandler } from './templates/template-commands.handler';
import { TemplatesHttpController } from './templates/templates.http.controller';

/**
 * Templates, devices and device sets: their REST API, the internal job-definition check,
 * target resolution for created jobs and the hub registry sync. Needs `InfraModule.forRoot`
 * (DATA_SOURCE, EVENT_LOG, optionally DEVICE_GATEWAY) and the `device_set` migrations.
 */
@Module({
  controllers: [
    TemplatesHttpController,
    DevicesHttpController,
    DeviceSetsHttpController,
    JobDefinitionChecksHttpController,
    MemberIdsHttpController,
    // Event consumers are controllers too: Nest discovers message handlers on controllers only.
    JobTargetsConsumer,
    HubSyncConsumer,
  ],
  providers: [
    DeviceSetOutbox,
    provideUnitOfWork(DEVICE_SET_SCHEMA, DeviceSetOutbox),
    TemplateCommandsHandler,
    DeviceCommandsHandler,
    ImportDevicesHandler,
    DeviceSetCommandsHandler,
    CheckJobDefinitionHandler,
    ResolveJobTargetsHandler,
    SyncDevicesToHubHandler,
    { provide: HUB_SYNC_CONFIG, useFactory: hubSyncConfigFromEnv },
  ],
})
export class DeviceSetModule {}
