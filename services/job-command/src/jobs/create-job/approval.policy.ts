import { JobApprovalRequirement, JobOperation } from '@fleetjobs/contracts';

/** The rules under which a job needs a second person's approval (APPROVAL_* environment). */
export interface ApprovalPolicy {
  /** Any job with a command operation needs approval. */
  commands: boolean;
  /** A job on more than this many devices needs approval; null: no such rule. */
  deviceThreshold: number | null;
}

export const APPROVAL_POLICY = Symbol('APPROVAL_POLICY');

export const NO_APPROVAL_RULES: ApprovalPolicy = { commands: false, deviceThreshold: null };

/** What decides whether one job needs approval. */
export interface ApprovalFacts {
  /** The creator asked for approval (`"approval": {"required": true}`). */
  requested: boolean;
  operations: readonly Pick<JobOperation, 'type'>[];
  /**
   * The job's devices: its explicit devices, or its set's members at creation, counted up to one
   * above the threshold (more is never needed); null when not counted (no threshold).
   */
  deviceCount: number | null;
}

/** Whether a job needs approval, and why (every reason that applies); undefined when it does not. */
export function approvalRequirement(facts: ApprovalFacts, policy: ApprovalPolicy): JobApprovalRequirement | undefined {
  const reasons: string[] = [];
  if (facts.requested) reasons.push('requested by its creator');
  if (policy.commands && facts.operations.some((operation) => operation.type === 'command')) {
    reasons.push('it runs a command');
  }
  if (policy.deviceThreshold !== null && facts.deviceCount !== null && facts.deviceCount > policy.deviceThreshold) {
    reasons.push(`more than ${policy.deviceThreshold} devices`);
  }
  return reasons.length === 0 ? undefined : { required: true, reason: reasons.join('; ') };
}

/**
 * The policy from APPROVAL_REQUIRED_FOR_COMMANDS (`true` or `false`, default false) and
 * APPROVAL_DEVICE_THRESHOLD (a whole number of devices, default none). A malformed value stops the
 * start rather than silently letting jobs through without approval.
 */
export function approvalPolicyFromEnv(environment: NodeJS.ProcessEnv = process.env): ApprovalPolicy {
  const commands = (environment.APPROVAL_REQUIRED_FOR_COMMANDS ?? '').trim().toLowerCase();
  if (!['', 'true', 'false'].includes(commands)) {
    throw new Error(`APPROVAL_REQUIRED_FOR_COMMANDS must be true or false, not "${environment.APPROVAL_REQUIRED_FOR_COMMANDS}"`);
  }
  const threshold = (environment.APPROVAL_DEVICE_THRESHOLD ?? '').trim();
  if (threshold !== '' && !/^\d+$/.test(threshold)) {
    throw new Error(`APPROVAL_DEVICE_THRESHOLD must be a whole number of devices, not "${threshold}"`);
  }
  return { commands: commands === 'true', deviceThreshold: threshold === '' ? null : Number(threshold) };
}
