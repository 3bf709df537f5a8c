import type { Capability } from '@fleetjobs/contracts';
import { checkOperations } from './operation.checker';

const vendingMachine: Capability[] = [
  { name: 'fanSpeed', kind: 'setting', schema: 'number' },
  { name: 'location', kind: 'property', schema: 'string' },
  { name: 'reboot', kind: 'command', schema: 'object' },
  { name: 'eco', kind: 'setting', schema: 'boolean' },
];

describe('checkOperations', () => {
  it('accepts operations that exist in the template with values of their schema', () => {
    expect(
      checkOperations(
        [
          { type: 'setting', name: 'fanSpeed', value: 5 },
          { type: 'property', name: 'location', value: 'Pier 39' },
          { type: 'command', name: 'reboot', value: { delay: 1 } },
          { type: 'setting', name: 'eco', value: false },
        ],
        vendingMachine,
      ),
    ).toEqual([]);
  });

  it('names an operation whose name is not a capability of that kind', () => {
    expect(
      checkOperations(
        [
          { type: 'setting', name: 'reboot', value: {} },
          { type: 'command', name: 'selfDestruct', value: {} },
        ],
        vendingMachine,
      ),
    ).toEqual([
      { field: 'operations[0].name', message: 'the template has no setting named "reboot"' },
      { field: 'operations[1].name', message: 'the template has no command named "selfDestruct"' },
    ]);
  });

  it('names a value of the wrong schema', () => {
    expect(
      checkOperations(
        [
          { type: 'setting', name: 'fanSpeed', value: '5' },
          { type: 'property', name: 'location', value: 1 },
          { type: 'command', name: 'reboot', value: [1] },
          { type: 'command', name: 'reboot', value: null },
          { type: 'setting', name: 'eco', value: 'true' },
        ],
        vendingMachine,
      ),
    ).toEqual([
      { field: 'operations[0].value', message: 'must be a number' },
      { field: 'operations[1].value', message: 'must be a string' },
      { field: 'operations[2].value', message: 'must be a JSON object' },
      { field: 'operations[3].value', message: 'must be a JSON object' },
      { field: 'operations[4].value', message: 'must be a boolean' },
    ]);
  });

  it('names a value that could not be stored', () => {
    expect(checkOperations([{ type: 'property', name: 'location', value: 'a\u0000' }], vendingMachine)).toEqual([
      { field: 'operations[0].value', message: 'must not contain U+0000 or unpaired surrogates' },
    ]);
  });
});
