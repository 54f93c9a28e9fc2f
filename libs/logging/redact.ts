// Secrets and personal data never reach a log line: sensitive fields are masked, e-mail addresses anywhere
// in text are replaced. Applied to every line by the logger, so call sites cannot forget it.

const sensitiveKey = /pass(word)?|secret|token|authorization|api[-_]?key|cookie|email/i;
const emailPattern = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const maxDepth = 5;

/** The text with every e-mail address replaced by `[email]`. */
export function redactText(text: string): string {
  // Most lines hold no '@' at all; skipping the regex for them keeps per-event logging cheap.
  return text.includes('@') ? text.replace(emailPattern, '[email]') : text;
}

/**
 * A copy of a log field's value that is safe to write: sensitive keys (passwords, tokens, secrets, cookies,
 * e-mail) masked as `[redacted]`, e-mail addresses in strings replaced, errors reduced to name and message,
 * nesting cut at a fixed depth.
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null || depth >= maxDepth) return value;
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    copy[key] = sensitiveKey.test(key) ? '[redacted]' : redactValue(child, depth + 1);
  }
  return copy;
}
