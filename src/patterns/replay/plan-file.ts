import {readFileSync, writeFileSync} from 'node:fs';
import {ConfigError} from '../../core/errors.js';

/** One line of a plan file: move `topic`/`partition` to `offset`. */
export interface PlanFileRow {
  topic: string;
  partition: number;
  offset: number;
}

const HEADERS = new Set(['topic,partition,target', 'topic,partition,offset', 'group,topic,partition,offset']);

/**
 * Reads a plan CSV: kpat's own (`topic,partition,target` header) or the reset-offsets
 * CSV of kafka-consumer-groups (`topic,partition,offset` without a header, or
 * `group,topic,partition,offset` when it exported several groups: `group`'s rows are
 * used). Blank lines and `#` comments are skipped. Errors name the line.
 */
export function parsePlanFile(text: string, group: string, source = 'plan file'): PlanFileRow[] {
  const rows: PlanFileRow[] = [];
  const otherGroups = new Set<string>();
  const seen = new Set<string>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || HEADERS.has(line.toLowerCase().replace(/\s+/g, ''))) return;
    const where = `${source}:${i + 1}`;
    const fields = line.split(',').map((f) => f.trim());
    if (fields.length !== 3 && fields.length !== 4) throw new ConfigError(`${where}: expected topic,partition,target — got "${line}"`);
    const [topic, partition, offset] = fields.length === 4 ? fields.slice(1) : fields;
    if (fields.length === 4 && fields[0] !== group) {
      otherGroups.add(fields[0]!);
      return;
    }
    if (!topic || !/^\d+$/.test(partition!) || !/^\d+$/.test(offset!)) {
      throw new ConfigError(`${where}: expected topic,partition,target with a partition number and an offset ≥ 0 — got "${line}"`);
    }
    const key = `${topic}:${partition}`;
    if (seen.has(key)) throw new ConfigError(`${where}: ${topic} partition ${partition} appears twice — keep one line per partition`);
    seen.add(key);
    rows.push({topic, partition: Number(partition), offset: Number(offset)});
  });
  if (rows.length === 0) {
    const hint = otherGroups.size > 0 ? ` (it has rows for ${[...otherGroups].join(', ')})` : '';
    throw new ConfigError(`${source} has no offsets for group ${group}${hint} — one line per partition: topic,partition,target`);
  }
  return rows;
}

/** kpat's plan CSV: a header line, then one `topic,partition,target` line per partition. */
export function formatPlanFile(rows: Array<{topic: string; partition: number; target: number}>): string {
  return ['topic,partition,target', ...rows.map((r) => `${r.topic},${r.partition},${r.target}`)].join('\n') + '\n';
}

export function readPlanFile(path: string, group: string): PlanFileRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`cannot read the plan file ${path} — check the path given to --from-file`);
  }
  return parsePlanFile(text, group, path);
}

export function writePlanFile(path: string, rows: Array<{topic: string; partition: number; target: number}>): void {
  try {
    writeFileSync(path, formatPlanFile(rows));
  } catch (error) {
    throw new ConfigError(`cannot write the plan file ${path} (${(error as Error).message}) — check the path given to --export`);
  }
}
