/**
 * `kpat proxy`'s fault flags, checked with zod and turned into the proxy's FaultPlan; a bad
 * value is a ConfigError (exit 2) naming the flag and an example of a good one.
 */
import {z} from 'zod';
import {parseDuration} from '../core/duration.js';
import {ConfigError} from '../core/errors.js';
import {apiKeyOf, type FaultPlan} from '../kafka/proxy/index.js';

export interface ProxyFlagValues {
  'drop-responses'?: string;
  'drop-apis'?: string;
  delay?: string;
  cut?: string;
}

const probability = (flag: string, example: string) =>
  z.string().transform((text, ctx) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
      ctx.addIssue({code: 'custom', message: `${flag} must be a probability from 0 to 1, got "${text}" (e.g. ${flag} ${example})`});
      return z.NEVER;
    }
    return n;
  });

const DelaySchema = z.string().transform((text, ctx) => {
  const [low, high, ...rest] = text.split('-');
  const min = parseDuration(low ?? '');
  const max = high === undefined ? min : parseDuration(high);
  if (rest.length > 0 || min === null || max === null || max < min) {
    ctx.addIssue({code: 'custom', message: `--delay must be a duration or a range, got "${text}" (e.g. --delay 20ms or --delay 10ms-50ms)`});
    return z.NEVER;
  }
  return min === max ? min : {min, max};
});

const ApisSchema = z.string().transform((text, ctx) => {
  const keys: number[] = [];
  for (const name of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const key = apiKeyOf(name);
    if (key === undefined) {
      ctx.addIssue({code: 'custom', message: `--drop-apis: "${name}" is not a Kafka API — use names like produce,fetch,offsetcommit`});
      return z.NEVER;
    }
    keys.push(key);
  }
  if (keys.length === 0) ctx.addIssue({code: 'custom', message: '--drop-apis needs at least one API, e.g. --drop-apis produce,fetch'});
  return keys;
});

const ProxyFlagsSchema = z.object({
  'drop-responses': probability('--drop-responses', '0.05').optional(),
  'drop-apis': ApisSchema.optional(),
  delay: DelaySchema.optional(),
  cut: probability('--cut', '0.01').optional(),
});

export function faultPlanFromFlags(flags: ProxyFlagValues): FaultPlan {
  const parsed = ProxyFlagsSchema.safeParse({
    'drop-responses': flags['drop-responses'],
    'drop-apis': flags['drop-apis'],
    delay: flags.delay,
    cut: flags.cut,
  });
  if (!parsed.success) throw new ConfigError(parsed.error.issues[0]?.message ?? 'invalid proxy flags');
  const values = parsed.data;
  if (values['drop-apis'] && values['drop-responses'] === undefined) {
    throw new ConfigError('--drop-apis says which responses --drop-responses drops — give --drop-responses too, e.g. --drop-responses 0.05');
  }
  const plan: FaultPlan = {};
  if (values['drop-responses'] !== undefined) plan.dropResponses = {probability: values['drop-responses'], ...(values['drop-apis'] ? {apiKeys: values['drop-apis']} : {})};
  if (values.delay !== undefined) plan.delayMs = values.delay;
  if (values.cut !== undefined) plan.cutProbability = values.cut;
  return plan;
}
