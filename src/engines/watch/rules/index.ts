import { bruteForce } from './brute-force.js';
import type { WatchRule } from './context.js';
import { credentialStuffing } from './credential-stuffing.js';
import { distributedBruteForce } from './distributed-brute-force.js';
import { impossibleTravel } from './impossible-travel.js';
import { passwordSpraying } from './password-spraying.js';
import { successAfterFailures } from './success-after-failures.js';

/** Every watch rule; each sees every event. */
export const WATCH_RULES: readonly WatchRule[] = [
  bruteForce,
  passwordSpraying,
  credentialStuffing,
  distributedBruteForce,
  successAfterFailures,
  impossibleTravel,
];
