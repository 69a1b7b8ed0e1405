/**
 * A strict reader of Prometheus' text exposition format (version 0.0.4), for tests: what a scraper or
 * node_exporter's textfile collector would refuse, it throws on, naming the line. It checks the metric and label
 * names, label values' quoting and escapes (only \\, \" and \n), the sample value (a float, NaN, +Inf, -Inf), an
 * optional integer timestamp, HELP and TYPE at most once per metric and TYPE before its samples, each metric's lines
 * as one group, no series written twice (the same name and label set), no label named twice in a sample, and a
 * line feed at the end.
 */
export interface PrometheusSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface PrometheusFamily {
  help?: string;
  type?: string;
  readonly samples: PrometheusSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const VALUE = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|NaN|[+-]Inf)$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

export function parsePrometheusText(text: string): Map<string, PrometheusFamily> {
  if (!text.endsWith('\n')) throw new Error('the exposition does not end with a line feed');
  const families = new Map<string, PrometheusFamily>();
  const series = new Set<string>();
  let current: string | undefined;
  const familyOf = (name: string, line: number): PrometheusFamily => {
    if (name !== current && families.has(name)) throw new Error(`line ${line}: ${name}'s lines are not one group`);
    current = name;
    const family = families.get(name) ?? { samples: [] };
    families.set(name, family);
    return family;
  };
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, index) => {
      const at = index + 1;
      if (line.startsWith('#')) return readComment(line, at, familyOf);
      if (line.trim() === '') throw new Error(`line ${at}: an empty line`);
      const sample = readSample(line, at);
      const family = familyOf(sample.name, at);
      if (family.type === undefined) throw new Error(`line ${at}: a sample of ${sample.name} before its TYPE`);
      const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
      if (series.has(key)) throw new Error(`line ${at}: the series ${line.split(' ')[0]} is written twice`);
      series.add(key);
      family.samples.push(sample);
    });
  return families;
}

function readComment(line: string, at: number, familyOf: (name: string, line: number) => PrometheusFamily): void {
  const [, keyword, name, rest] = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line) ?? [];
  if (keyword === undefined || name === undefined) return;
  if (METRIC_NAME.exec(name)?.[0] !== name) throw new Error(`line ${at}: "${name}" is not a metric name`);
  const family = familyOf(name, at);
  if (keyword === 'HELP') {
    if (family.help !== undefined) throw new Error(`line ${at}: a second HELP for ${name}`);
    family.help = rest ?? '';
    return;
  }
  if (family.type !== undefined) throw new Error(`line ${at}: a second TYPE for ${name}`);
  if (family.samples.length > 0) throw new Error(`line ${at}: the TYPE of ${name} after its samples`);
  if (!TYPES.has(rest ?? '')) throw new Error(`line ${at}: "${rest ?? ''}" is not a metric type`);
  family.type = rest;
}

function readSample(line: string, at: number): PrometheusSample {
  const name = METRIC_NAME.exec(line)?.[0];
  if (name === undefined) throw new Error(`line ${at}: no metric name at its start`);
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    rest = rest.slice(1);
    while (!rest.startsWith('}')) {
      const label = LABEL_NAME.exec(rest)?.[0];
      if (label === undefined || !rest.slice(label.length).startsWith('="'))
        throw new Error(`line ${at}: a label is not name="value"`);
      if (label in labels) throw new Error(`line ${at}: the label ${label} twice`);
      const read = readQuoted(rest.slice(label.length + 2), at);
      labels[label] = read.value;
      if (read.rest.startsWith(',')) rest = read.rest.slice(1);
      else if (read.rest.startsWith('}')) rest = read.rest;
      else throw new Error(`line ${at}: labels not separated by a comma`);
    }
    rest = rest.slice(1);
  }
  // The value, then an optional timestamp in milliseconds.
  const [, value] = /^ (\S+)(?: -?\d+)?$/.exec(rest) ?? [];
  if (value === undefined || !VALUE.test(value)) throw new Error(`line ${at}: no value after the series`);
  return { name, labels, value: Number(value.replace('Inf', 'Infinity')) };
}

/** A label value up to its closing quote, its escapes read. */
function readQuoted(text: string, at: number): { value: string; rest: string } {
  let value = '';
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (char === '"') return { value, rest: text.slice(index + 1) };
    if (char === '\n') throw new Error(`line ${at}: a line feed inside a label value`);
    if (char !== '\\') {
      value += char;
      continue;
    }
    const escaped = text[index + 1];
    if (escaped === '\\' || escaped === '"') value += escaped;
    else if (escaped === 'n') value += '\n';
    else throw new Error(`line ${at}: the escape \\${escaped ?? ''} in a label value`);
    index += 1;
  }
  throw new Error(`line ${at}: a label value without its closing quote`);
}

/** The value of the one sample of `name` whose labels are exactly `labels`; undefined when there is none. */
export function sampleValue(
  families: ReadonlyMap<string, PrometheusFamily>,
  name: string,
  labels: Readonly<Record<string, string>>,
): number | undefined {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  return families.get(name)?.samples.find((sample) => JSON.stringify(Object.entries(sample.labels).sort()) === wanted)
    ?.value;
}
