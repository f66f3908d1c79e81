/**
 * Kafka's StandardAuthorizer rules, for one node: ACLs in `acls.json` of the
 * data dir (written whole and renamed), checked only when the broker runs with
 * ACLs on. Super users pass; a DENY that matches wins over any ALLOW; an ALLOW of
 * READ, WRITE, DELETE or ALTER also allows DESCRIBE, and ALTER_CONFIGS allows
 * DESCRIBE_CONFIGS; ALL covers every operation; with no matching ALLOW the answer
 * is no (allow.everyone.if.no.acl.found=false).
 */
import {existsSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {filterMatches, Operation, patternCovers, Permission, ResourceType, sameBinding, type AclBinding, type AclFilter, type OperationName, type ResourceTypeName} from './acl.js';

export const ACLS_FILE = 'acls.json';

const IMPLIES_DESCRIBE = new Set<number>([Operation.READ, Operation.WRITE, Operation.DELETE, Operation.ALTER]);

export class Authorizer {
  private acls: AclBinding[];

  private constructor(
    private readonly file: string,
    /** Off: every request is allowed (the broker's default). */
    readonly enabled: boolean,
    private readonly superUsers: Set<string>,
  ) {
    this.acls = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as {acls: AclBinding[]}).acls : [];
  }

  static open(dataDir: string, opts: {enabled: boolean; superUsers: string[]}): Authorizer {
    return new Authorizer(join(dataDir, ACLS_FILE), opts.enabled, new Set(opts.superUsers));
  }

  isSuperUser(principal: string): boolean {
    return this.superUsers.has(principal);
  }

  authorize(principal: string, host: string, operation: OperationName, type: ResourceTypeName, name: string): boolean {
    if (!this.enabled || this.superUsers.has(principal)) return true;
    const op = Operation[operation];
    const rt = ResourceType[type];
    const applies = (b: AclBinding) =>
      b.resourceType === rt && patternCovers(b, name) && (b.principal === principal || b.principal === 'User:*') && (b.host === host || b.host === '*');
    const matching = this.acls.filter(applies);
    if (matching.some((b) => b.permission === Permission.DENY && (b.operation === op || b.operation === Operation.ALL))) return false;
    return matching.some(
      (b) =>
        b.permission === Permission.ALLOW &&
        (b.operation === op ||
          b.operation === Operation.ALL ||
          (op === Operation.DESCRIBE && IMPLIES_DESCRIBE.has(b.operation)) ||
          (op === Operation.DESCRIBE_CONFIGS && b.operation === Operation.ALTER_CONFIGS)),
    );
  }

  /** Does some ALLOW binding give this principal `operation` on a resource of this type? */
  allowsSome(principal: string, host: string, operation: OperationName, type: ResourceTypeName): boolean {
    if (!this.enabled || this.superUsers.has(principal)) return true;
    return this.acls.some(
      (b) =>
        b.resourceType === ResourceType[type] &&
        b.permission === Permission.ALLOW &&
        (b.operation === Operation[operation] || b.operation === Operation.ALL) &&
        (b.principal === principal || b.principal === 'User:*') &&
        (b.host === host || b.host === '*'),
    );
  }

  /** Adds bindings (an existing identical one is kept once). */
  add(bindings: AclBinding[]): void {
    for (const b of bindings) if (!this.acls.some((a) => sameBinding(a, b))) this.acls.push(b);
    this.save();
  }

  list(filter: AclFilter): AclBinding[] {
    return this.acls.filter((b) => filterMatches(filter, b));
  }

  /** Removes what each filter matches; returns the removed bindings per filter. */
  delete(filters: AclFilter[]): AclBinding[][] {
    const removed = filters.map((f) => this.acls.filter((b) => filterMatches(f, b)));
    const gone = new Set(removed.flat());
    if (gone.size > 0) {
      this.acls = this.acls.filter((b) => !gone.has(b));
      this.save();
    }
    return removed;
  }

  private save(): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({version: 1, acls: this.acls}, null, 2) + '\n');
    renameSync(tmp, this.file);
  }
}
