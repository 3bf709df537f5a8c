import { Inject, Injectable } from '@nestjs/common';
import { Actor, DeviceSetDeletedData, DeviceSetSavedData, TOPICS } from '@fleetjobs/contracts';
import { UnprocessableProblem, ValidationProblem } from '@fleetjobs/http-kit';
import { UNIT_OF_WORK, UnitOfWork } from '@fleetjobs/persistence-pg';
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

/** Saves and deletes device sets, announcing each change with who made it. */
@Injectable()
export class DeviceSetCommandsHandler {
  constructor(@Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork) {}

  /** A set must type-check, and the template it fixes must exist when it is saved. */
  async save(command: SaveDeviceSet, actor?: Actor): Promise<{ created: boolean; set: DeviceSetView }> {
    const errors = validateConditions(command.conditions);
    if (errors.length > 0) throw new ValidationProblem(errors);
    const conditions = command.conditions.map(({ field, operator, value }) => ({ field, operator, value }));
    const template = fixedTemplate(conditions);
    const { created } = await this.uow.run(async (tx) => {
      if (template !== null && !(await templateRepository.existing(tx.manager, [template])).has(template)) {
        const index = conditions.findIndex((c) => c.field === 'template' && c.operator === 'eq');
        throw new UnprocessableProblem([{ field: `conditions[${index}].value`, message: `template "${template}" does not exist` }]);
      }
      const saved = await deviceSetRepository.save(tx.manager, { id: command.id, displayName: command.displayName, conditions, template });
      await tx.publish(TOPICS.devices, [
        deviceSetEvent<'DeviceSetSaved', DeviceSetSavedData>(
          'DeviceSetSaved',
          command.id,
          { deviceSetId: command.id, displayName: command.displayName, conditions },
          { actor },
        ),
      ]);
      return saved;
    });
    return {
      created,
      set: { id: command.id, displayName: command.displayName, conditions, broken: false, brokenReason: null },
    };
  }

  async delete(id: string, actor?: Actor): Promise<boolean> {
    return this.uow.run(async (tx) => {
      if (!(await deviceSetRepository.delete(tx.manager, id))) return false;
      await tx.publish(TOPICS.devices, [
        deviceSetEvent<'DeviceSetDeleted', DeviceSetDeletedData>('DeviceSetDeleted', id, { deviceSetId: id }, { actor }),
      ]);
      return true;
    });
  }
}
