import { Inject, Injectable } from '@nestjs/common';
import { DeviceSetDeletedData, DeviceSetSavedData, TOPICS } from '@fleetjobs/contracts';
import { UnprocessableProblem, ValidationProblem } from '@fleetjobs/http-kit';
import { OutboxWriter } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { DeviceSetOutbox } from '../device-set.outbox';
import { DEVICE_SET_SCHEMA } from '../device-set.schema';
import { deviceSetEvent } from '../shared/device-set-events';
import { templateRepository } from '../templates/template.repository';
import { Condition, fixedTemplate } from './condition';
import { validateConditions } from './condition.validator';
import { deviceSetRepository, DeviceSetView } from './device-set.repository';

export interface SaveDeviceSet {
  id: string;
  displayName: string;
  conditions: Condition[];
}

/** Saves and deletes device sets, announcing each change. */
@Injectable()
export class DeviceSetCommandsHandler {
  private readonly outboxWriter = new OutboxWriter(DEVICE_SET_SCHEMA);

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly outbox: DeviceSetOutbox,
  ) {}

  /** A set must type-check, and the template it fixes must exist when it is saved. */
  async save(command: SaveDeviceSet): Promise<{ created: boolean; set: DeviceSetView }> {
    const errors = validateConditions(command.conditions);
    if (errors.length > 0) throw new ValidationProblem(errors);
    const conditions = command.conditions.map(({ field, operator, value }) => ({ field, operator, value }));
    const template = fixedTemplate(conditions);
    const { created } = await this.dataSource.transaction(async (tx) => {
      if (template !== null && !(await templateRepository.existing(tx, [template])).has(template)) {
        const index = conditions.findIndex((c) => c.field === 'template' && c.operator === 'eq');
        throw new UnprocessableProblem([{ field: `conditions[${index}].value`, message: `template "${template}" does not exist` }]);
      }
      const saved = await deviceSetRepository.save(tx, { id: command.id, displayName: command.displayName, conditions, template });
      await this.outboxWriter.write(tx, TOPICS.devices, [
        deviceSetEvent<'DeviceSetSaved', DeviceSetSavedData>('DeviceSetSaved', command.id, {
          deviceSetId: command.id,
          displayName: command.displayName,
          conditions,
        }),
      ]);
      return saved;
    });
    this.outbox.wake();
    return {
      created,
      set: { id: command.id, displayName: command.displayName, conditions, broken: false, brokenReason: null },
    };
  }

  async delete(id: string): Promise<boolean> {
    const deleted = await this.dataSource.transaction(async (tx) => {
      if (!(await deviceSetRepository.delete(tx, id))) return false;
      await this.outboxWriter.write(tx, TOPICS.devices, [
        deviceSetEvent<'DeviceSetDeleted', DeviceSetDeletedData>('DeviceSetDeleted', id, { deviceSetId: id }),
      ]);
      return true;
    });
    if (deleted) this.outbox.wake();
    return deleted;
  }
}
