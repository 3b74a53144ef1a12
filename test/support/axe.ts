/**
 * axe-core in the browser tests: the WCAG 2.2 AA rules (and axe's best practices) run on a page
 * or on one part of it; a serious or critical finding fails the test, listed one line per rule
 * with the elements it names.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const blockingImpacts = new Set(['serious', 'critical']);

/** axe-core's serious and critical findings on the page as it is now, or inside `selector` only. */
export async function blockingViolations(page: Page, selector?: string): Promise<string[]> {
  const builder = new AxeBuilder({ page }).withTags(wcagTags);
  const results = await (selector ? builder.include(selector) : builder).analyze();
  return results.violations
    .filter((v) => v.impact != null && blockingImpacts.has(v.impact))
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 4)
        .map(
          (n) => `      ${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`,
        )
        .join('\n');
      const more = v.nodes.length > 4 ? `\n      … and ${v.nodes.length - 4} more` : '';
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} element(s))\n${nodes}${more}`;
    });
}
