import { Inject, Injectable } from '@nestjs/common';
import { DeviceSetBrokenData, DeviceTemplateDeletedData, DeviceTemplateSavedData, TOPICS } from '@fleetjobs/contracts';
import { ValidationProblem } from '@fleetjobs/http-kit';
import { OutboxWriter } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource, EntityManager } from 'typeorm';
import { DeviceSetOutbox } from '../device-set.outbox';
import { DEVICE_SET_SCHEMA } from '../device-set.schema';
import { brokenReason } from '../device-sets/broken-reason';
import { deviceSetRepository } from '../device-sets/device-set.repository';
import { deviceSetEvent } from '../shared/device-set-events';
import { validateCapabilities } from './capability.validator';
import { DeviceTemplate, templateRepository } from './template.repository';

/** Sets announced as broken per query while a template is deleted. */
const BROKEN_SETS_PAGE = 500;

/** Saves and deletes templates, announcing each change and the sets a deletion breaks. */
@Injectable()
export class TemplateCommandsHandler {
  private readonly outboxWriter = new OutboxWriter(DEVICE_SET_SCHEMA);

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly outbox: DeviceSetOutbox,
  ) {}

  async save(template: DeviceTemplate): Promise<{ created: boolean }> {
    const errors = validateCapabilities(template.capabilities);
    if (errors.length > 0) throw new ValidationProblem(errors);
    const result = await this.dataSource.transaction(async (tx) => {
      const saved = await templateRepository.save(tx, template);
      await this.outboxWriter.write(tx, TOPICS.devices, [
        deviceSetEvent<'DeviceTemplateSaved', DeviceTemplateSavedData>('DeviceTemplateSaved', template.id, {
          templateId: template.id,
          displayName: template.displayName,
          capabilities: template.capabilities,
        }),
      ]);
      return saved;
    });
    this.outbox.wake();
    return result;
  }

  /** Deletes the template even while devices and sets use it; answers false if it did not exist. */
  async delete(id: string): Promise<boolean> {
    const deleted = await this.dataSource.transaction(async (tx) => {
      if (!(await templateRepository.delete(tx, id))) return false;
      await this.outboxWriter.write(tx, TOPICS.devices, [
        deviceSetEvent<'DeviceTemplateDeleted', DeviceTemplateDeletedData>('DeviceTemplateDeleted', id, { templateId: id }),
      ]);
      await this.announceBrokenSets(tx, id);
      return true;
    });
    if (deleted) this.outbox.wake();
    return deleted;
  }

  private async announceBrokenSets(tx: EntityManager, templateId: string): Promise<void> {
    for (let after = ''; ; ) {
      const sets = await deviceSetRepository.fixingTemplate(tx, templateId, after, BROKEN_SETS_PAGE);
      if (sets.length === 0) return;
      await this.outboxWriter.write(
        tx,
        TOPICS.devices,
        sets.map((set) =>
          deviceSetEvent<'DeviceSetBroken', DeviceSetBrokenData>('DeviceSetBroken', set.id, {
            deviceSetId: set.id,
            reason: brokenReason(set.conditions, false) ?? `template "${templateId}" no longer exists`,
          }),
        ),
      );
      after = sets[sets.length - 1].id;
    }
  }
}
