/** DI token of the `AccessConfig` the module was started with. */
export const ACCESS_CONFIG = Symbol('ACCESS_CONFIG');
/** DI token of the unit of work on the `access` schema and its outbox. */
export const ACCESS_UNIT_OF_WORK = Symbol('ACCESS_UNIT_OF_WORK');
/** DI token of the clock tokens are created, expired and verified by: `() => Date`. */
export const ACCESS_CLOCK = Symbol('ACCESS_CLOCK');
