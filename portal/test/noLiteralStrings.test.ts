import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Every word a portal component shows comes from the message catalog (src/i18n): this fails on
// a literal user-facing string in a component, read with TypeScript's own parser.

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const FILES = [
  'App.tsx',
  ...readdirSync(`${SRC}components`)
    .filter((f) => f.endsWith('.tsx'))
    .map((f) => `components/${f}`),
];

/** Attributes a reader sees or hears. */
const USER_FACING = new Set(['aria-label', 'aria-description', 'title', 'placeholder', 'alt', 'label', 'confirmLabel', 'submitLabel', 'what', 'value']);
/** Attributes that are code, never text (class names, ids, input types). */
const CODE_ATTRIBUTES = new Set([
  'className',
  'type',
  'id',
  'name',
  'key',
  'htmlFor',
  'role',
  'inputMode',
  'autoComplete',
  'scope',
  'dateTime',
  'status',
  'aria-live',
  'aria-current',
]);
/** Not words: identifiers and protocol tokens shown as they are in every language. */
const ALLOWED = new Set(['svix.ping', 'standardwebhooks', 'POST']);
/** Calls whose string arguments are catalog keys or code. */
const KEY_CALLS = new Set(['t', 'rich', 'useCan', 'useState', 'useId', 'set']);

const hasLetters = (s: string) => /\p{L}/u.test(s);
/** Prose: two words in a row ("Saving failed."), which identifiers and class-free code never are. */
const looksLikeProse = (s: string) => /\p{L}{2,}[ ,]+\p{L}{2,}/u.test(s);

function attributeOf(node: ts.Node): string | null {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isJsxAttribute(n)) return n.name.getText();
    if (ts.isJsxElement(n) || ts.isJsxSelfClosingElement(n) || ts.isFunctionLike(n)) return null;
  }
  return null;
}

function calleeOf(node: ts.Node): string | null {
  const call = node.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(node as ts.Expression)) return null;
  const callee = call.expression;
  return ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : null;
}

const insideJsxExpression = (node: ts.Node) => {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isJsxExpression(n)) return true;
    if (ts.isFunctionLike(n) || ts.isSourceFile(n)) return false;
  }
  return false;
};

/** The literal user-facing strings of a TSX source, as `line: text`. */
export function literalStrings(source: string, fileName = 'component.tsx'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const report = (node: ts.Node, text: string) => found.push(`${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${text.trim()}`);
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (ts.isJsxText(node)) {
      if (hasLetters(node.text) && !ALLOWED.has(node.text.trim())) report(node, node.text);
    } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
      const text = ts.isTemplateExpression(node) ? [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ') : node.text;
      const attribute = attributeOf(node);
      const callee = calleeOf(node);
      const skip =
        ALLOWED.has(text) || (callee !== null && KEY_CALLS.has(callee)) || (attribute !== null && (CODE_ATTRIBUTES.has(attribute) || attribute.startsWith('data-')));
      if (!skip && hasLetters(text)) {
        if (attribute !== null && USER_FACING.has(attribute) && attribute !== 'value') report(node, text);
        else if (looksLikeProse(text) || (insideJsxExpression(node) && attribute === null && /^\p{Lu}\p{Ll}+/u.test(text))) report(node, text);
      }
      if (ts.isTemplateExpression(node)) node.templateSpans.forEach((s) => visit(s.expression));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('portal components', () => {
  it.each(FILES)('%s shows no literal user-facing string', (name) => {
    expect(literalStrings(readFileSync(`${SRC}${name}`, 'utf8'), name)).toEqual([]);
  });

  it('flags JSX text, user-facing attributes and prose, and lets catalog lookups, code and symbols through', () => {
    const source = `
      export function Sample({ ok }: { ok: boolean }) {
        const { t } = useI18n();
        const fallback = 'Saving failed.';
        return (
          <section className="panel wide" aria-label="Recent messages">
            <h1>Endpoints</h1>
            <p title={ok ? 'All good' : t('status.fail')}>{t('endpoints.intro')} · ✕ 42</p>
            <Loading what="attempts" />
            <input placeholder={\`Header \${1} name\`} type="text" data-testid="x y" />
            <span>{ok ? 'Enabled' : t('status.disabled')}</span>
            <option value="svix.ping">svix.ping</option>
          </section>
        );
      }`;
    expect(literalStrings(source)).toEqual(['4: Saving failed.', '6: Recent messages', '7: Endpoints', '8: All good', '9: attempts', '10: Header   name', '11: Enabled']);
  });
});
