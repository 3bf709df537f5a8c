import { Inject, Injectable } from '@nestjs/common';
import { Actor, DeviceSetBrokenData, DeviceTemplateDeletedData, DeviceTemplateSavedData, TOPICS } from '@fleetjobs/contracts';
import { ValidationProblem } from '@fleetjobs/http-kit';
import { UNIT_OF_WORK, UnitOfWork, UnitOfWorkContext } from '@fleetjobs/persistence-pg';
import { brokenReason } from '../device-sets/broken-reason';
import { deviceSetRepository } from '../device-sets/device-set.repository';
import { deviceSetEvent } from '../shared/device-set-events';
import { validateCapabilities } from './capability.validator';
import { DeviceTemplate, templateRepository } from './template.repository';

/** Sets announced as broken per query while a template is deleted. */
const BROKEN_SETS_PAGE = 500;

/**
 * Saves and deletes templates, announcing each change and the sets a deletion breaks. `actor`, who
 * sent the command, is on every event it causes.
 */
@Injectable()
export class TemplateCommandsHandler {
  constructor(@Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork) {}

  async save(template: DeviceTemplate, actor?: Actor): Promise<{ created: boolean }> {
    const errors = validateCapabilities(template.capabilities);
    if (errors.length > 0) throw new ValidationProblem(errors);
    return this.uow.run(async (tx) => {
      const saved = await templateRepository.save(tx.manager, template);
      await tx.publish(TOPICS.devices, [
        deviceSetEvent<'DeviceTemplateSaved', DeviceTemplateSavedData>(
          'DeviceTemplateSaved',
          template.id,
          { templateId: template.id, displayName: template.displayName, capabilities: template.capabilities },
          { actor },
        ),
      ]);
      return saved;
    });
  }

  /** Deletes the template even while devices and sets use it; answers false if it did not exist. */
  async delete(id: string, actor?: Actor): Promise<boolean> {
    return this.uow.run(async (tx) => {
      if (!(await templateRepository.delete(tx.manager, id))) return false;
      await tx.publish(TOPICS.devices, [
        deviceSetEvent<'DeviceTemplateDeleted', DeviceTemplateDeletedData>('DeviceTemplateDeleted', id, { templateId: id }, { actor }),
      ]);
      await this.announceBrokenSets(tx, id, actor);
      return true;
    });
  }

  private async announceBrokenSets(tx: UnitOfWorkContext, templateId: string, actor: Actor | undefined): Promise<void> {
    for (let after = ''; ; ) {
      const sets = await deviceSetRepository.fixingTemplate(tx.manager, templateId, after, BROKEN_SETS_PAGE);
      if (sets.length === 0) return;
      await tx.publish(
        TOPICS.devices,
        sets.map((set) =>
          deviceSetEvent<'DeviceSetBroken', DeviceSetBrokenData>(
            'DeviceSetBroken',
            set.id,
            { deviceSetId: set.id, reason: brokenReason(set.conditions, false) ?? `template "${templateId}" no longer exists` },
            { actor },
          ),
        ),
      );
      after = sets[sets.length - 1].id;
    }
  }
}
