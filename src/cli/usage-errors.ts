import type {Command} from '@oclif/core';

/** The first example that runs this command, cut before its flags: `kpat consume orders.v1`. */
function exampleOf(cmd: Command.Class, bin: string, withFlags: boolean): string | undefined {
  const words = `${bin} ${(cmd.id ?? '').split(':').join(' ')}`;
  for (const ex of cmd.examples ?? []) {
    const text = (typeof ex === 'string' ? ex : ex.command).replaceAll('<%= config.bin %>', bin);
    const at = text.indexOf(words);
    if (at < 0) continue;
    const tokens = text.slice(at).split(/\s+/);
    if (withFlags) return tokens.join(' ');
    const firstFlag = tokens.findIndex((t) => t.startsWith('-') || t === '|');
    return tokens.slice(0, firstFlag < 0 ? undefined : firstFlag).join(' ');
  }
  return undefined;
}

/**
 * oclif's parse errors for a missing argument or required flag print the whole
 * usage; this is the one line that says what is missing and shows an example.
 * Undefined for any other error.
 */
export function missingInputMessage(err: Error & {args?: Array<{name?: string}>}, cmd: Command.Class, bin: string, argv: string[]): string | undefined {
  if (/^Missing \d+ required arg/.test(err.message) && Array.isArray(err.args)) {
    const names = err.args.map((a) => (a.name ?? '?').toUpperCase());
    const example = exampleOf(cmd, bin, false);
    // A flag taking several values (that oclif lists) swallowed the argument, if the user gave one.
    const listed = /Note: (.+?) allows? multiple values/.exec(err.message)?.[1]?.split(', ') ?? [];
    const given = listed.filter((f) => argv.some((a) => a === f || a.startsWith(`${f}=`)));
    const multiple = given.length > 0 ? given.join(', ') : undefined;
    return [
      `missing argument${names.length === 1 ? '' : 's'} ${names.join(', ')}`,
      example ? ` — e.g. ${example}` : '',
      multiple ? ` (give ${names.length === 1 ? 'it' : 'them'} before ${multiple}, which take${multiple.includes(',') ? '' : 's'} several values)` : '',
    ].join('');
  }
  const flag = /Missing required flag (\S+)/.exec(err.message)?.[1];
  if (flag) {
    const example = exampleOf(cmd, bin, true);
    return `missing flag --${flag}${example ? ` — e.g. ${example}` : ''}`;
  }
  return undefined;
}
