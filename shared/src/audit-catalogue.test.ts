import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditActionLabel, auditActions, auditCatalogue, auditEntityTypes, isAuditAction } from './audit-catalogue.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Every `action: '…'` literal in the desk's server code. */
function actionsWritten(): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        for (const m of readFileSync(full, 'utf8').matchAll(/\baction: '([a-z_]+\.[a-z_]+)'/g)) found.add(m[1] ?? '');
      }
    }
  };
  walk(path.join(repoRoot, 'server/src'));
  return [...found].sort();
}

describe('the audit catalogue', () => {
  it('When an action is listed, then it has a label, a known entity type and an area.verb name', () => {
    expect(auditActions.length).toBeGreaterThan(25);
    for (const action of auditActions) {
      const spec = auditCatalogue[action];
      expect(spec.label.trim(), action).not.toBe('');
      expect(auditEntityTypes, action).toContain(spec.entityType);
      expect(action).toMatch(/^[a-z_]+\.[a-z_]+$/);
      expect(auditActionLabel(action)).toBe(spec.label);
    }
  });

  it('When the server code names an audit action, then the catalogue has it', () => {
    const written = actionsWritten();
    expect(written.length).toBeGreaterThan(20);
    expect(written.filter((action) => !isAuditAction(action))).toEqual([]);
  });

  it('When an action is not in the catalogue (older rows), then its label is spelled out and nothing breaks', () => {
    expect(isAuditAction('constructor')).toBe(false);
    expect(isAuditAction('toString')).toBe(false);
    expect(auditActionLabel('legacy.thing_done')).toBe('Legacy thing done');
  });
});
