/**
 * Reads Prometheus' text exposition format (version 0.0.4) as Prometheus does: HELP and TYPE
 * lines, samples with quoted, escaped label values, special values (+Inf, NaN). prom-client
 * only writes this format, so the tests parse it themselves.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: Sample[];
  /** Metric family name → its TYPE (counter, gauge, histogram …). */
  types: Map<string, string>;
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const n = Number(text);
  if (text === '' || Number.isNaN(n)) throw new Error(`not a sample value: ${text}`);
  return n;
}

/** Label pairs `a="x",b="y \"q\""` from position `i` (just after `{`); returns them and the position after `}`. */
function parseLabels(line: string, i: number): {labels: Record<string, string>; end: number} {
  const labels: Record<string, string> = {};
  for (;;) {
    while (line[i] === ' ' || line[i] === ',') i++;
    if (line[i] === '}') return {labels, end: i + 1};
    const eq = line.indexOf('=', i);
    if (eq < 0 || line[eq + 1] !== '"') throw new Error(`bad label at ${i}: ${line}`);
    const name = line.slice(i, eq).trim();
    let value = '';
    let j = eq + 2;
    for (; j < line.length && line[j] !== '"'; j++) {
      if (line[j] === '\\') {
        j++;
        value += line[j] === 'n' ? '\n' : line[j];
      } else value += line[j];
    }
    if (j >= line.length) throw new Error(`unterminated label value: ${line}`);
    labels[name] = value;
    i = j + 1;
  }
}

export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const m = /^#\s+TYPE\s+(\S+)\s+(\S+)$/.exec(line);
      if (m) types.set(m[1]!, m[2]!);
      continue;
    }
    const nameEnd = line.search(/[{\s]/);
    if (nameEnd <= 0) throw new Error(`bad sample line: ${line}`);
    const name = line.slice(0, nameEnd);
    let labels: Record<string, string> = {};
    let rest = line.slice(nameEnd);
    if (rest.startsWith('{')) {
      const parsed = parseLabels(line, nameEnd + 1);
      labels = parsed.labels;
      rest = line.slice(parsed.end);
    }
    const [value] = rest.trim().split(/\s+/); // an optional timestamp may follow
    samples.push({name, labels, value: parseValue(value!)});
  }
  return {samples, types};
}

/** GET the endpoint and parse it. */
export async function scrape(url: string): Promise<Exposition> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`scrape ${url}: HTTP ${res.status}`);
  return parseExposition(await res.text());
}

/** The value of `name` whose labels include `labels`; undefined when there is none, an error when several match. */
export function sampleValue(exp: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  const hits = exp.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (hits.length > 1) throw new Error(`${hits.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return hits[0]?.value;
}

/** Every name a query may use: each family (by its TYPE line, samples or not), its samples, and a histogram's _bucket, _sum and _count. */
export function servedNames(exp: Exposition): Set<string> {
  const names = new Set<string>();
  for (const [family, type] of exp.types) {
    names.add(family);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(family + suffix);
  }
  for (const s of exp.samples) names.add(s.name);
  return names;
}
