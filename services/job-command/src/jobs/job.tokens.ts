export const JOB_DEFINITION_CHECKER = Symbol('JOB_DEFINITION_CHECKER');
export const JOB_DEVICE_OUTCOMES = Symbol('JOB_DEVICE_OUTCOMES');
/** Days an ended job is kept (`JOB_RETENTION_DAYS`): past them it cannot be rerun or reverted. */
export const JOB_RETENTION_DAYS = Symbol('JOB_RETENTION_DAYS');
