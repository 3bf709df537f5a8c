import { percentile, WatermarkHistory } from './watermark-history';

describe('WatermarkHistory', () => {
  it('dates an offset in the middle of the samples around its write', () => {
    const history = new WatermarkHistory();
    history.record('p0', 10, 1000);
    history.record('p0', 10, 1250);
    history.record('p0', 15, 1500);
    history.record('p0', 20, 1750);
    // Offset 12 was not there at 1250 (high 10) and was at 1500 (high 15).
    expect(history.writtenAt('p0', 12)).toBe(1375);
    expect(history.writtenAt('p0', 15)).toBe(1625);
    expect(history.latest('p0')).toBe(20);
  });

  it('dates an offset written before the first sample at that sample (a lower bound of its age)', () => {
    const history = new WatermarkHistory();
    history.record('p0', 10, 1000);
    history.record('p0', 12, 1250);
    expect(history.writtenAt('p0', 3)).toBe(1000);
  });

  it('knows nothing of offsets not yet seen, nor of partitions never sampled', () => {
    const history = new WatermarkHistory();
    history.record('p0', 10, 1000);
    expect(history.writtenAt('p0', 10)).toBeNull();
    expect(history.writtenAt('p1', 0)).toBeNull();
    expect(history.latest('p1')).toBeNull();
  });

  it('keeps partitions apart', () => {
    const history = new WatermarkHistory();
    history.record('p0', 5, 1000);
    history.record('p1', 0, 1000);
    history.record('p1', 5, 2000);
    expect(history.writtenAt('p0', 1)).toBe(1000);
    expect(history.writtenAt('p1', 1)).toBe(1500);
  });
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});
