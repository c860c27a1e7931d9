/**
 * Markdown for text that pyguard does not write itself. Finding messages quote the pull
 * request's code, paths and suppression reasons come from its author: rendered as is they could
 * forge a fingerprint marker, inject HTML, @-mention people or break a table or list.
 */

const ZERO_WIDTH_SPACE = "\u200b";

/** Breaks `<!--` so that quoted text can never pass for one of pyguard's hidden markers. */
export function neutralizeMarkers(text: string): string {
  return text.replaceAll("<!--", `<${ZERO_WIDTH_SPACE}!--`);
}

export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? word : pluralWord}`;
}

/** Control characters (newlines, tabs) as visible escapes, so a path stays on one line. */
function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/gu, (char) => JSON.stringify(char).slice(1, -1));
}

/** A code span that holds any text: the fence is one backtick longer than the longest run inside. */
export function codeSpan(text: string): string {
  const content = neutralizeMarkers(escapeControls(text));
  const longestRun = Math.max(0, ...(content.match(/`+/gu) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const padded = content.startsWith("`") || content.endsWith("`") ? ` ${content} ` : content;
  return `${fence}${padded}${fence}`;
}

/** A fenced block; the fence outgrows any backtick run in the content, as CommonMark requires. */
export function fencedBlock(info: string, content: string): string {
  const longestRun = Math.max(0, ...(content.match(/`{3,}/gu) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return `${fence}${info}\n${content.length > 0 ? `${content}\n` : ""}${fence}`;
}

interface Segment {
  text: string;
  code: boolean;
}

/** Splits Markdown into code spans and the text between them, as CommonMark pairs backtick runs. */
function segments(text: string): Segment[] {
  const result: Segment[] = [];
  let plain = "";
  let index = 0;
  while (index < text.length) {
    if (text[index] === "\\" && index + 1 < text.length) {
      plain += text.slice(index, index + 2);
      index += 2;
      continue;
    }
    if (text[index] !== "`") {
      plain += text[index];
      index++;
      continue;
    }
    const run = /^`+/u.exec(text.slice(index))?.[0] ?? "`";
    const close = findClosingRun(text, index + run.length, run.length);
    if (close === -1) {
      plain += run;
      index += run.length;
      continue;
    }
    if (plain) result.push({ text: plain, code: false });
    plain = "";
    result.push({ text: text.slice(index, close + run.length), code: true });
    index = close + run.length;
  }
  if (plain) result.push({ text: plain, code: false });
  return result;
}

function findClosingRun(text: string, from: number, length: number): number {
  const pattern = /`+/gu;
  pattern.lastIndex = from;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match[0].length === length) return match.index;
  }
  return -1;
}

/** Outside code spans: no HTML, no @-mentions. Inside: only the marker opener is broken. */
function escapeSegment(segment: Segment): string {
  if (segment.code) return neutralizeMarkers(segment.text);
  return segment.text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replace(/@(?=[\w-])/gu, `@${ZERO_WIDTH_SPACE}`);
}

/**
 * A finding message or a reason as one safe line of Markdown, at most `maxLength` characters of
 * source text: the cut never falls inside a code span, which would leave a stray backtick.
 */
export function inlineMarkdown(text: string, maxLength = 1000): string {
  const oneLine = text.replace(/\s*[\r\n]+\s*/gu, " ");
  let used = 0;
  let out = "";
  for (const segment of segments(oneLine)) {
    if (used + segment.text.length <= maxLength) {
      out += escapeSegment(segment);
      used += segment.text.length;
      continue;
    }
    if (!segment.code) out += escapeSegment({ text: cutAt(segment.text, maxLength - used), code: false });
    return `${out.trimEnd()}…`;
  }
  return out;
}

/** Cuts a string without splitting a surrogate pair. */
function cutAt(text: string, length: number): string {
  if (length <= 0) return "";
  const cut = text.slice(0, length);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** A table cell: one line, and a pipe would end the cell even inside a code span. */
export function tableCell(markdown: string): string {
  return markdown.replace(/[\r\n]+/gu, " ").replaceAll("|", "\\|");
}

/** Plain text cut to `maxLength` characters (for titles, which are not Markdown). */
export function truncatePlain(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  return `${cutAt(text, maxLength - 1)}…`;
}
