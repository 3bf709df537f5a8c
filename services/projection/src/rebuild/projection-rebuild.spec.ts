import { EventLog, SubscribeOptions, Subscription } from '@fleetjobs/messaging';
import { replayingAs } from './projection-rebuild';

describe('replayingAs', () => {
  it('subscribes every group under a new name, leaving topics and handlers as they are', async () => {
    const subscribed: SubscribeOptions[] = [];
    const inner = {
      subscribe: async (options: SubscribeOptions) => {
        subscribed.push(options);
        return { groupId: options.groupId } as Subscription;
      },
    } as unknown as EventLog;
    const handleBatch = async () => undefined;

    const subscription = await replayingAs(inner, 'rebuild-7').subscribe({ groupId: 'projection', topics: ['fleetjobs.jobs'], handleBatch, maxBatchSize: 10 });

    expect(subscription.groupId).toBe('projection.rebuild-7');
    expect(subscribed).toEqual([{ groupId: 'projection.rebuild-7', topics: ['fleetjobs.jobs'], handleBatch, maxBatchSize: 10 }]);
  });
});
