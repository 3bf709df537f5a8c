import { tearDownTestInfrastructure } from './test-infrastructure.setup';

/** Stops the containers the test infrastructure setup started, if any. */
export default function globalTeardown(): Promise<void> {
  return tearDownTestInfrastructure();
}
