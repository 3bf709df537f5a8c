import { WireMessage } from '@fleetjobs/contracts';
import { groupByTopic, publishChunks } from './publish-chunks';

const message = (topic: string, key: string, value: string): WireMessage => ({ topic, key, value, headers: { ce_id: key } });

describe('publishChunks', () => {
  it('keeps every message, in order, within the count limit', () => {
    const messages = Array.from({ length: 23 }, (_, i) => message('t', `k${i}`, `${i}`));
    const chunks = [...publishChunks(messages, { maxMessages: 5, maxBytes: 1_000_000 })];
    expect(chunks.map((c) => c.length)).toEqual([5, 5, 5, 5, 3]);
    expect(chunks.flat()).toEqual(messages);
  });

  it('cuts by size, and sends a message larger than the limit on its own', () => {
    const big = message('t', 'big', 'x'.repeat(2_000));
    const small = (i: number) => message('t', `s${i}`, 'y'.repeat(300));
    const chunks = [...publishChunks([small(1), small(2), big, small(3)], { maxMessages: 100, maxBytes: 1_000 })];
    expect(chunks.map((c) => c.map((m) => m.key))).toEqual([['s1', 's2'], ['big'], ['s3']]);
  });

  it('yields nothing for no messages', () => {
    expect([...publishChunks([])]).toEqual([]);
  });
});

describe('groupByTopic', () => {
  it('groups by topic and keeps each topic in order', () => {
    const grouped = groupByTopic([message('a', '1', ''), message('b', '2', ''), message('a', '3', '')]);
    expect([...grouped].map(([topic, list]) => [topic, list.map((m) => m.key)])).toEqual([
      ['a', ['1', '3']],
      ['b', ['2']],
    ]);
  });
});
