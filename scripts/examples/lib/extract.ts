// Helpers shared by test files: plain TypeScript modules, imported with a relative path.

/** The first run of `digits` digits standing alone in text, such as a one-time code. */
export function oneTimeCode(text: string, digits = 6): string | undefined {
  const m = text.match(new RegExp(`\\b(\\d{${digits}})\\b`));
  return m ? m[1] : undefined;
}
