import { z } from 'zod';
import { seconds, urlRefusal, userCount, wholeNumber } from './values.ts';

/** `atlas-cap k8s` flags → its options; the target and the database must be loopback or allowed. */
export const K8S_FLAGS = z
  .object({
    scenario: z.string(),
    parallelism: wholeNumber(1, 1000),
    users: userCount.optional(),
    policy: z.string(),
    profile: z.string(),
    duration: seconds(1),
    target: z.string(),
    allowRemote: z.string().optional(),
    usersCsv: z.string().optional(),
    databaseUrl: z.string().optional(),
    namespace: z.string().optional(),
    out: z.string().optional(),
  })
  .superRefine((flags, ctx) => {
    const target = /^https?:\/\//.test(flags.target)
      ? urlRefusal(flags.target, flags.allowRemote)
      : `must be an http(s) URL, got '${flags.target}'`;
    if (target) ctx.addIssue({ code: 'custom', path: ['target'], message: target });
    if (flags.usersCsv === undefined && flags.databaseUrl !== undefined) {
      const database = urlRefusal(flags.databaseUrl, flags.allowRemote);
      if (database) ctx.addIssue({ code: 'custom', path: ['databaseUrl'], message: database });
    }
  });
