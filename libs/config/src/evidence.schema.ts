import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { z } from 'zod';

import type { EvidenceConfig } from './audit-config.types';
import { environmentFields, type ConfigEnvironment } from './schema-primitives';
import { Secret } from './secret';

/**
 * The `evidence` section: the Ed25519 private key that signs evidence packs, as a PEM file
 * (`signingKeyFile`) or in an environment variable (`signingKeyEnv`), never in the file itself.
 * Read and checked at startup, so a wrong key stops the process naming the key; its text never
 * appears in a message.
 */
export function evidenceSchema(env: ConfigEnvironment) {
  const { secretFromEnv } = environmentFields(env);
  return z
    .strictObject({
      signingKeyFile: z.string().min(1).optional(),
      signingKeyEnv: secretFromEnv.optional(),
    })
    .transform((value, ctx): EvidenceConfig => {
      if (value.signingKeyFile !== undefined && value.signingKeyEnv !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['signingKeyEnv'],
          message: 'set signingKeyFile or signingKeyEnv, not both',
        });
        return z.NEVER;
      }
      if (value.signingKeyFile !== undefined) {
        let text: string;
        try {
          text = readFileSync(value.signingKeyFile, 'utf8');
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
          ctx.addIssue({
            code: 'custom',
            path: ['signingKeyFile'],
            message: `cannot read ${value.signingKeyFile} (${code})`,
          });
          return z.NEVER;
        }
        return signingKeyOrIssue(new Secret(text), 'signingKeyFile', ctx);
      }
      if (value.signingKeyEnv !== undefined)
        return signingKeyOrIssue(value.signingKeyEnv, 'signingKeyEnv', ctx);
      return { signingKey: null };
    })
    .prefault({});
}

function signingKeyOrIssue(pem: Secret, key: string, ctx: z.RefinementCtx): EvidenceConfig {
  let type: string | undefined;
  try {
    type = createPrivateKey(pem.reveal()).asymmetricKeyType;
  } catch {
    ctx.addIssue({ code: 'custom', path: [key], message: 'is not a PEM private key (value hidden)' });
    return { signingKey: null };
  }
  if (type !== 'ed25519') {
    ctx.addIssue({
      code: 'custom',
      path: [key],
      message: `must be an Ed25519 private key, not ${type ?? 'unknown'}`,
    });
  }
  return { signingKey: pem };
}
