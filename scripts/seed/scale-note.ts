import type { Profile } from '../../core/profile.ts';
import type { ScaleNote } from './types.ts';

/** What was scaled: messages per conversation seeded vs the analysis's reference (~100). */
export function scaleNote(profile: Profile, conversations: number, messages: number): ScaleNote {
  const { mean, reference } = profile.messagesPerConversation;
  const factor = mean / reference;
  const atReference = Math.round(conversations * reference);
  const scaled = Math.abs(factor - 1) > 1e-9;
  return {
    messagesPerConversation: { seeded: mean, reference },
    messages: { seeded: messages, atReference },
    factor,
    scaled,
    note: scaled
      ? `messages scaled to ${mean} per conversation (reference ${reference}): ${messages} seeded instead of ~${atReference}`
      : 'not scaled: messages per conversation as the reference',
  };
}
