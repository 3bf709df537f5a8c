import { workKey } from './dispatch-events';
import { SendMarks, SendMarkStore } from './send-marks';

type Mark = { jobId: string; deviceId: string };

/** A store whose statements the test completes one by one. */
function fakeWork(notHeld: Set<string> = new Set()) {
  const statements: { marks: Mark[]; kept: unknown[]; commit: () => void; fail: (error: Error) => void }[] = [];
  const work: SendMarkStore = {
    markSent: (_workerId, marks) =>
      new Promise<Set<string>>((resolve, reject) => {
        statements.push({
          marks: marks.map(({ jobId, deviceId }) => ({ jobId, deviceId })),
          kept: marks.flatMap((mark) => (mark.keep ?? []).map((value) => ({ deviceId: mark.deviceId, replace: mark.replace, ...value }))),
          commit: () => resolve(new Set(marks.map((mark) => workKey(mark.jobId, mark.deviceId)).filter((key) => !notHeld.has(key)))),
          fail: reject,
        });
      }),
  };
  return { work, statements };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SendMarks', () => {
  it('writes the marks asked in one tick in one statement, and answers each once it committed', async () => {
    const { work, statements } = fakeWork(new Set([workKey('job', 'vm-2')]));
    const marks = new SendMarks(work, 'worker-1');
    const answers = [marks.mark('job', 'vm-1'), marks.mark('job', 'vm-2')];
    await tick();
    expect(statements.map((statement) => statement.marks)).toEqual([[{ jobId: 'job', deviceId: 'vm-1' }, { jobId: 'job', deviceId: 'vm-2' }]]);
    statements[0].commit();
    expect(await Promise.all(answers)).toEqual([true, false]);
  });

  it('writes one statement at a time: marks asked meanwhile wait and share the next one', async () => {
    const { work, statements } = fakeWork();
    const marks = new SendMarks(work, 'worker-1');
    const first = marks.mark('job', 'vm-1');
    await tick();
    const later = [marks.mark('job', 'vm-2'), marks.mark('job', 'vm-3')];
    await tick();
    await tick();
    expect(statements).toHaveLength(1);
    let laterAnswered = false;
    void Promise.all(later).then(() => (laterAnswered = true));
    statements[0].commit();
    expect(await first).toBe(true);
    await tick();
    expect(laterAnswered).toBe(false);
    expect(statements.map((statement) => statement.marks.map((mark) => mark.deviceId))).toEqual([['vm-1'], ['vm-2', 'vm-3']]);
    statements[1].commit();
    expect(await Promise.all(later)).toEqual([true, true]);
  });

  it('writes the values a device keeps with its mark, in the same statement', async () => {
    const { work, statements } = fakeWork();
    const marks = new SendMarks(work, 'worker-1');
    const previous = { kind: 'property', name: 'location', previous: { present: true as const, value: 'lobby' } };
    const answers = [marks.mark('job', 'vm-1', [previous], false), marks.mark('job', 'vm-2')];
    await tick();
    expect(statements).toHaveLength(1);
    expect(statements[0].kept).toEqual([{ deviceId: 'vm-1', replace: false, ...previous }]);
    statements[0].commit();
    expect(await Promise.all(answers)).toEqual([true, true]);
  });

  it('rejects the marks of a failed statement only, and goes on with the next', async () => {
    const { work, statements } = fakeWork();
    const marks = new SendMarks(work, 'worker-1');
    const failed = marks.mark('job', 'vm-1');
    await tick();
    const next = marks.mark('job', 'vm-2');
    statements[0].fail(new Error('connection lost'));
    await expect(failed).rejects.toThrow('connection lost');
    await tick();
    statements[1].commit();
    expect(await next).toBe(true);
  });
});
