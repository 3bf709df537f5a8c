import { judgeCpuRegression, parseCiBaseline } from './cpu-regression.check';

describe('parseCiBaseline', () => {
  it('reads the marked line among the rest of the document', () => {
    const markdown = '# Benchmarks\n\ntext\n<!-- ci-baseline: cpu-ms-per-op=4.25 devices=5000 operation=property topology=distributed -->\n| a | b |\n';
    expect(parseCiBaseline(markdown)).toEqual({ cpuMsPerOp: 4.25, devices: 5000, operation: 'property', topology: 'distributed' });
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

  it('fails a run that measured nothing', () => {
    expect(judgeCpuRegression(2, NaN).passed).toBe(false);
    expect(judgeCpuRegression(2, 0).passed).toBe(false);
  });
});
