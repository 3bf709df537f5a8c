import { judgeCpuRegression, parseCiBaseline } from './cpu-regression.check';

describe('parseCiBaseline', () => {
  it('reads the marked line among the rest of the document', () => {
    const markdown = '# Benchmarks\n\ntext\n<!-- ci-baseline: cpu-ms-per-op=4.25 devices=5000 operation=property topology=distributed -->\n| a | b |\n';
    expect(parseCiBaseline(markdown)).toEqual({ cpuMsPerOp: 4.25, devices: 5000, operation: 'property', topology: 'distributed' });
  });

  it('reads the reference work\'s figure when the line has one', () => {
    expect(parseCiBaseline('<!-- ci-baseline: cpu-ms-per-op=2.1 devices=5000 calibration-ms=84.5 -->')).toMatchObject({ cpuMsPerOp: 2.1, calibrationMs: 84.5 });
    expect(parseCiBaseline('<!-- ci-baseline: cpu-ms-per-op=2.1 devices=5000 -->')).not.toHaveProperty('calibrationMs');
    expect(() => parseCiBaseline('<!-- ci-baseline: cpu-ms-per-op=2.1 devices=5000 calibration-ms=0 -->')).toThrow(/calibration-ms/);
  });

  it('defaults operation and topology', () => {
    expect(parseCiBaseline('<!-- ci-baseline: cpu-ms-per-op=1 devices=10 -->')).toMatchObject({ operation: 'property', topology: 'distributed' });
  });

  it('refuses a document without the line, or with two', () => {
    expect(() => parseCiBaseline('# nothing here')).toThrow(/found 0/);
    const twice = '<!-- ci-baseline: cpu-ms-per-op=1 devices=10 -->\n<!-- ci-baseline: cpu-ms-per-op=2 devices=10 -->';
    expect(() => parseCiBaseline(twice)).toThrow(/found 2/);
  });

  it('refuses a missing or non-positive figure', () => {
    expect(() => parseCiBaseline('<!-- ci-baseline: devices=5000 -->')).toThrow(/cpu-ms-per-op/);
    expect(() => parseCiBaseline('<!-- ci-baseline: cpu-ms-per-op=0 devices=5000 -->')).toThrow(/cpu-ms-per-op/);
    expect(() => parseCiBaseline('<!-- ci-baseline: cpu-ms-per-op=abc devices=5000 -->')).toThrow(/cpu-ms-per-op/);
    expect(() => parseCiBaseline('<!-- ci-baseline: cpu-ms-per-op=2 devices=-1 -->')).toThrow(/devices/);
  });
});

describe('judgeCpuRegression', () => {
  it('passes up to 50 % above the baseline', () => {
    expect(judgeCpuRegression(2, 2.9)).toMatchObject({ passed: true, limit: 3 });
    expect(judgeCpuRegression(2, 3)).toMatchObject({ passed: true });
    expect(judgeCpuRegression(2, 1)).toMatchObject({ passed: true, ratio: 0.5 });
  });

  it('fails beyond 50 % above the baseline, saying by how much', () => {
    const verdict = judgeCpuRegression(2, 3.01);
    expect(verdict.passed).toBe(false);
    expect(verdict.message).toMatch(/regressed: 3\.010 ms .* baseline of 2 ms .* 151 %/);
  });

  it('honours another tolerance', () => {
    expect(judgeCpuRegression(2, 2.5, 0.2).passed).toBe(false);
    expect(judgeCpuRegression(2, 2.4, 0.2).passed).toBe(true);
  });

  it('scales the baseline by how much slower or faster this machine did the reference work', () => {
    const slower = { baselineMs: 80, measuredMs: 100 };
    expect(judgeCpuRegression(2, 3.7, 0.5, slower)).toMatchObject({ passed: true, machineFactor: 1.25, limit: 3.75 });
    expect(judgeCpuRegression(2, 3.8, 0.5, slower).passed).toBe(false);
    const faster = { baselineMs: 100, measuredMs: 80 };
    const verdict = judgeCpuRegression(2, 2.5, 0.5, faster);
    expect(verdict).toMatchObject({ passed: false, machineFactor: 0.8 });
    expect(verdict.limit).toBeCloseTo(2.4);
    expect(verdict.message).toMatch(/2 ms × 0\.80 for this machine .* = 1\.600 ms/);
  });

  it('fails a run whose calibration measured nothing', () => {
    expect(judgeCpuRegression(2, 2, 0.5, { baselineMs: 80, measuredMs: 0 }).passed).toBe(false);
    expect(judgeCpuRegression(2, 2, 0.5, { baselineMs: 80, measuredMs: NaN }).passed).toBe(false);
  });

  it('fails a run that measured nothing', () => {
    expect(judgeCpuRegression(2, NaN).passed).toBe(false);
    expect(judgeCpuRegression(2, 0).passed).toBe(false);
  });
});
