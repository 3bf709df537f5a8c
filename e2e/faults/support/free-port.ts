import { freePortRange } from '../../support/free-ports';

/** A TCP port nothing listens on at this moment, on 127.0.0.1 (one the kernel does not hand out by itself). */
export function freePort(): Promise<number> {
  return freePortRange(1);
}
