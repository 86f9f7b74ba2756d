/**
 * Reads a Redoc page saved as text (the ISOlocity and Pharus seed documents) into operations:
 * summary, description, parameters, request body fields, and the request/response samples.
 *
 * The text rendering keeps, per operation: the summary line, an optional description, the
 * "Authorizations:" line (ISOlocity), "path/query/header Parameters" blocks, a "Request Body
 * schema:" block, "Responses", then "Request samples" / "Response samples" with a JSON sample whose
 * nested values Redoc collapsed (`{ }`). Field blocks are: name, optional "required", a type line
 * (with inline constraints), optional Enum/Example/Default lines, then description lines.
 */
export interface RedocField {
  name: string;
  required: boolean;
  /** The type line as printed, e.g. "string or null <= 150 characters". */
  type: string;
  enum?: string[];
  example?: string;
  default?: string;
  description: string;
}

export interface RedocOperation {
  /** 1-based line of the summary in the document. */
  line: number;
  tag: string;
  summary: string;
  description: string;
  pathParams: RedocField[];
  queryParams: RedocField[];
  headerParams: RedocField[];
  bodyFields: RedocField[] | null;
  /** A body whose schema the document does not give ("Schema not provided"). */
  bodyUnspecified: boolean;
  requestSample: unknown;
  responseSample: unknown;
}

const TYPE_LINE = /^(string|integer|number|boolean|object|any|Array of|array|null|Array)\b/;
const NAME_LINE = /^[A-Za-z_$][\w$.\[\]-]*$/;
const BLOCK = /^(Authorizations:|path Parameters|query Parameters|header Parameters|Request Body schema:|Responses$)/;

export function parseRedocText(text: string, tags: ReadonlySet<string>): RedocOperation[] {
  const lines = text.split('\n').map((l) => l.replace(/\s+$/, ''));
  const ops: RedocOperation[] = [];
  let i = 0;
  let tag = '';
  while (i < lines.length) {
    // Collect the heading lines up to the first block marker of the next operation.
    const heading: { line: number; text: string }[] = [];
    while (i < lines.length && !BLOCK.test(lines[i]!)) {
      const text = lines[i]!.trim();
      if (text !== '') heading.push({ line: i + 1, text });
      i++;
    }
    if (i >= lines.length) break;
    let summaryAt = 0;
    for (let k = 0; k < heading.length; k++) {
      if (tags.has(heading[k]!.text)) {
        tag = heading[k]!.text;
        summaryAt = k + 1;
      }
    }
    // Lines before the last tag heading are the tag's own description; after it: summary, description.
    const rest = heading.slice(summaryAt);
    if (rest.length === 0) throw new Error(`line ${i + 1}: an operation without a summary`);
    const op: RedocOperation = {
      line: rest[0]!.line,
      tag,
      summary: rest[0]!.text,
      description: rest
        .slice(1)
        .map((h) => h.text)
        .join(' '),
      pathParams: [],
      queryParams: [],
      headerParams: [],
      bodyFields: null,
      bodyUnspecified: false,
      requestSample: undefined,
      responseSample: undefined,
    };
    // Blocks until "Responses"; then samples.
    while (i < lines.length && lines[i] !== 'Responses') {
      const line = lines[i]!;
      if (line === 'Authorizations:') {
        i++;
        continue;
      }
      const end = nextBlock(lines, i + 1);
      const fields = parseFields(lines.slice(i + 1, end));
      if (line === 'path Parameters') op.pathParams = fields.fields;
      else if (line === 'query Parameters') op.queryParams = fields.fields;
      else if (line === 'header Parameters') op.headerParams = fields.fields;
      else {
        op.bodyFields = fields.fields;
        op.bodyUnspecified = fields.unspecified;
        if (fields.orphanRequired) op.bodyFields.push({ name: '', required: true, type: 'Array of objects', description: '' });
      }
      i = end;
    }
    i++; // "Responses"
    // Status lines (if any), then "Request samples"? then "Response samples"?
    while (i < lines.length) {
      const line = lines[i]!.trim();
      if (line === 'Request samples' || line === 'Response samples') {
        const which = line;
        const sample = readSample(lines, i + 1);
        if (which === 'Request samples') op.requestSample = sample.value;
        else op.responseSample = sample.value;
        i = sample.end;
        continue;
      }
      if (line === '' || /^\d{3}\b/.test(line)) {
        i++;
        continue;
      }
      break;
    }
    ops.push(op);
  }
  return ops;
}

function nextBlock(lines: string[], from: number): number {
  let j = from;
  while (j < lines.length && !BLOCK.test(lines[j]!)) j++;
  return j;
}

function parseFields(block: string[]): { fields: RedocField[]; unspecified: boolean; orphanRequired: boolean } {
  const ls = block.map((l) => l.trim()).filter((l) => l !== '');
  const fields: RedocField[] = [];
  let unspecified = false;
  let orphanRequired = false;
  let k = 0;
  const isFieldStart = (at: number): boolean => {
    const name = ls[at];
    if (name === undefined || !NAME_LINE.test(name)) return false;
    const next = ls[at + 1];
    if (next === 'required') return ls[at + 2] !== undefined && TYPE_LINE.test(ls[at + 2]!);
    return next !== undefined && TYPE_LINE.test(next);
  };
  while (k < ls.length) {
    if (ls[k] === 'Schema not provided') {
      unspecified = true;
      k++;
      continue;
    }
    if (ls[k] === 'required' && ls[k + 1] !== undefined && TYPE_LINE.test(ls[k + 1]!)) {
      // Redoc renders an array-of-objects field's name as a button the text dump dropped.
      orphanRequired = true;
      k += 2;
      continue;
    }
    if (!isFieldStart(k)) {
      k++;
      continue;
    }
    const field: RedocField = { name: ls[k]!, required: false, type: '', description: '' };
    k++;
    if (ls[k] === 'required') {
      field.required = true;
      k++;
    }
    field.type = ls[k]!;
    k++;
    const description: string[] = [];
    while (k < ls.length && !isFieldStart(k) && !(ls[k] === 'required' && ls[k + 1] !== undefined && TYPE_LINE.test(ls[k + 1]!))) {
      const l = ls[k]!;
      if (l.startsWith('Enum:')) field.enum = [...l.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
      else if (l.startsWith('Example:')) field.example = l.slice('Example:'.length).trim();
      else if (l.startsWith('Default:')) field.default = l.slice('Default:'.length).trim();
      else if (l === 'Examples:') {
        /* the bullet lines that follow are examples */
      } else if (l.startsWith('•')) field.example ??= l.replace(/^•\s*/, '').replace(/\s*-\s*$/, '');
      else description.push(l);
      k++;
    }
    field.description = description.join(' ');
    fields.push(field);
  }
  return { fields, unspecified, orphanRequired };
}

/** "Content type", the media type, then a JSON sample with Redoc's bullets; collapsed values stay empty. */
function readSample(lines: string[], from: number): { value: unknown; end: number } {
  let j = from;
  while (j < lines.length && (lines[j]!.trim() === '' || lines[j]!.trim() === 'Content type' || /^[a-z]+\/[\w.+-]+$/.test(lines[j]!.trim()))) j++;
  const first = lines[j]?.trim() ?? '';
  if (!first.startsWith('{') && !first.startsWith('[')) return { value: undefined, end: j };
  const buf: string[] = [];
  let depth = 0;
  for (; j < lines.length; j++) {
    const line = lines[j]!.replace(/^\s*•\s?/, '');
    buf.push(line);
    for (const ch of stripStrings(line)) {
      if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') depth--;
    }
    if (depth === 0) {
      j++;
      break;
    }
  }
  const raw = buf.join('\n');
  try {
    return { value: JSON.parse(raw), end: j };
  } catch {
    // Trailing values Redoc cut ("part_id": <nothing>): drop keys without a value.
    const repaired = raw
      .replace(/"[^"]*":\s*(?=[,}\n])/g, '')
      .replace(/,(\s*[}\]])/g, '$1')
      .replace(/,\s*,/g, ',');
    try {
      return { value: JSON.parse(repaired), end: j };
    } catch {
      return { value: { __unparsed: raw }, end: j };
    }
  }
}

function stripStrings(line: string): string {
  return line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
}
