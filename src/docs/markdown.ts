// Small Markdown helpers shared by the generated reference pages.

// The line at the top of every generated page: where it comes from and how to refresh it.
export const GENERATED_NOTE = (source: string): string =>
  `<!-- Generated from ${source} by \`npm run docs\`; do not edit by hand. -->`;

// Text that is safe inside a table cell: one line, pipes escaped.
export function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
}
