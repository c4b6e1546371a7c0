import { loadProfile, type Profile } from '../../core/profile.ts';

/**
 * A tiny profile for data-size tests: 10 users × 5 conversations × 2 messages seeded (100), 20 per
 * conversation at the reference (1,000 messages, 100 per user).
 */
export const tinyProfile: Profile = {
  ...loadProfile('ci-smoke'),
  name: 'tiny',
  users: 10,
  conversationsPerUser: { mean: 5, max: 10 },
  messagesPerConversation: { mean: 2, max: 4, reference: 20 },
};
