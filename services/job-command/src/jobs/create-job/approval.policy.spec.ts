import { approvalPolicyFromEnv, approvalRequirement, ApprovalFacts, NO_APPROVAL_RULES } from './approval.policy';

const setting = [{ type: 'setting' as const }];
const command = [{ type: 'setting' as const }, { type: 'command' as const }];
const facts = (overrides: Partial<ApprovalFacts> = {}): ApprovalFacts => ({ requested: false, operations: setting, deviceCount: null, ...overrides });

describe('approval policy', () => {
  it('needs no approval without a request or a rule', () => {
    expect(approvalRequirement(facts({ operations: command, deviceCount: 10_000 }), NO_APPROVAL_RULES)).toBeUndefined();
  });

  it('needs approval when the creator asks for it', () => {
    expect(approvalRequirement(facts({ requested: true }), NO_APPROVAL_RULES)).toEqual({ required: true, reason: 'requested by its creator' });
  });

  it('needs approval for a job with a command when commands need it', () => {
    const policy = { ...NO_APPROVAL_RULES, commands: true };
    expect(approvalRequirement(facts({ operations: command }), policy)).toEqual({ required: true, reason: 'it runs a command' });
    expect(approvalRequirement(facts({ operations: setting }), policy)).toBeUndefined();
  });

  it('needs approval for more devices than the threshold, not for exactly as many', () => {
    const policy = { ...NO_APPROVAL_RULES, deviceThreshold: 100 };
    expect(approvalRequirement(facts({ deviceCount: 101 }), policy)).toEqual({ required: true, reason: 'more than 100 devices' });
    expect(approvalRequirement(facts({ deviceCount: 100 }), policy)).toBeUndefined();
  });

  it('gives every reason that applies', () => {
    const policy = { commands: true, deviceThreshold: 0 };
    expect(approvalRequirement(facts({ requested: true, operations: command, deviceCount: 1 }), policy)?.reason).toBe(
      'requested by its creator; it runs a command; more than 0 devices',
    );
  });

  it('reads the rules from the environment, none by default', () => {
    expect(approvalPolicyFromEnv({})).toEqual(NO_APPROVAL_RULES);
    expect(approvalPolicyFromEnv({ APPROVAL_REQUIRED_FOR_COMMANDS: 'true', APPROVAL_DEVICE_THRESHOLD: '250' })).toEqual({
      commands: true,
      deviceThreshold: 250,
    });
  });

  it('refuses malformed rules rather than letting jobs through unapproved', () => {
    expect(() => approvalPolicyFromEnv({ APPROVAL_REQUIRED_FOR_COMMANDS: 'yes' })).toThrow(/APPROVAL_REQUIRED_FOR_COMMANDS/);
    expect(() => approvalPolicyFromEnv({ APPROVAL_DEVICE_THRESHOLD: '-1' })).toThrow(/APPROVAL_DEVICE_THRESHOLD/);
  });
});
