export type OutputMode = 'tui' | 'plain' | 'json';

/** tui only on an interactive terminal outside CI; json wins when asked for. */
export function resolveOutputMode(
  requested: OutputMode | undefined,
  json: boolean,
  stdoutIsTTY: boolean,
  env: NodeJS.ProcessEnv = process.env,
): OutputMode {
  if (json) return 'json';
  if (requested) return requested;
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return stdoutIsTTY && !ci ? 'tui' : 'plain';
}
