import { methodNameProblem, twinKeyProblem, twinSize, twinValueProblems } from './hub-limits';

function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { property: 'value' };
  for (let level = levels; level >= 1; level--) value = { [`l${level}`]: value };
  return value;
}

describe("IoT Hub's twin and method limits", () => {
  it('refuses the twin keys IoT Hub refuses', () => {
    for (const key of ['serial.no', '$version', 'do it', 'tab\there', 'c1\u0085', '']) expect(twinKeyProblem(key)).not.toBeNull();
    expect(twinKeyProblem('x'.repeat(1025))).toMatch(/1024 bytes/);
    for (const key of ['serialNo', 'serial_no', 'é-ü', 'x'.repeat(1024), 'a:b']) expect(twinKeyProblem(key)).toBeNull();
  });

  it('refuses method names outside printable US-ASCII or with separators', () => {
    for (const name of ['do it', 'a/b', 'x$', 'a=b', 'é', '', 'tab\t', '{x}']) expect(methodNameProblem(name)).not.toBeNull();
    for (const name of ['reboot', 'firmware.update', 'set-mode_2', "o'k"]) expect(methodNameProblem(name)).toBeNull();
  });

  it('counts a twin as IoT Hub does: keys and strings in UTF-8 without control characters, numbers 8, booleans 4', () => {
    expect(twinSize({ ab: 'cde', n: 1, b: true, o: { é: 'x\u0001' }, list: [1, 'xy'] })).toBe(2 + 3 + 1 + 8 + 1 + 4 + 1 + 2 + 1 + 4 + 8 + 2);
    expect(twinSize({ gone: null })).toBe(4);
  });

  it('allows ten levels of objects below the root and refuses an eleventh', () => {
    expect(twinValueProblems(nested(10))).toEqual([]);
    expect(twinValueProblems(nested(11))).toEqual([{ path: '.l1.l2.l3.l4.l5.l6.l7.l8.l9.l10.l11', message: expect.stringMatching(/10 levels/) }]);
    // A setting's value sits one level below properties/desired.
    expect(twinValueProblems(nested(9), 1)).toEqual([]);
    expect(twinValueProblems(nested(10), 1)).toHaveLength(1);
  });

  it('names nested keys, long strings and out-of-range integers by their path', () => {
    const problems = twinValueProblems({ ok: { 'serial.no': 1 }, long: 'x'.repeat(4097), big: 2 ** 53, fine: 'é'.repeat(2048) });
    expect(problems.map((problem) => problem.path)).toEqual(['.ok.serial.no', '.long', '.big']);
  });
});
